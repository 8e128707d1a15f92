#include "template/go_fmt.h"

#include <cmath>
#include <cstdio>
#include <cstring>

#include "core/go_format.h"
#include "template/internal/runes.h"

namespace kstack::tmpl {
namespace {

using internal::AppendRune;
using internal::DecodeRune;
using internal::RuneCount;

struct Spec {
  bool minus = false, plus = false, sharp = false, space = false, zero = false;
  int width = -1;
  int precision = -1;
  // %+v and %#v; plus and sharp are then cleared for the operands, as Go does.
  bool plus_v = false, sharp_v = false;
};

// Pads `s` to the width of `spec` with spaces (or zeros when `zero_ok`).
void Pad(std::string* out, std::string_view s, const Spec& spec, bool zero_ok = true) {
  int n = spec.width < 0 ? 0 : spec.width - static_cast<int>(RuneCount(s));
  if (n <= 0) {
    out->append(s);
    return;
  }
  if (spec.minus) {
    out->append(s);
    out->append(n, ' ');
  } else if (spec.zero && zero_ok) {
    out->append(n, '0');
    out->append(s);
  } else {
    out->append(n, ' ');
    out->append(s);
  }
}

// Pads a number: zeros go after the sign.
void PadNumber(std::string* out, std::string_view s, const Spec& spec) {
  if (spec.zero && !spec.minus && spec.width > 0 && !s.empty() &&
      (s[0] == '-' || s[0] == '+' || s[0] == ' ')) {
    out->push_back(s[0]);
    Spec inner = spec;
    inner.width -= 1;
    Pad(out, s.substr(1), inner);
    return;
  }
  Pad(out, s, spec);
}

void AppendQuotedRune(std::string* out, char32_t r, char quote) {
  switch (r) {
    case '\a': out->append("\\a"); return;
    case '\b': out->append("\\b"); return;
    case '\f': out->append("\\f"); return;
    case '\n': out->append("\\n"); return;
    case '\r': out->append("\\r"); return;
    case '\t': out->append("\\t"); return;
    case '\v': out->append("\\v"); return;
    case '\\': out->append("\\\\"); return;
    default: break;
  }
  if (r == static_cast<char32_t>(quote)) {
    out->push_back('\\');
    out->push_back(quote);
    return;
  }
  if (internal::IsPrintRune(r)) {
    AppendRune(out, r);
    return;
  }
  char buf[16];
  if (r < 0x80) {
    std::snprintf(buf, sizeof(buf), "\\x%02x", static_cast<unsigned>(r));
  } else if (r < 0x10000) {
    std::snprintf(buf, sizeof(buf), "\\u%04x", static_cast<unsigned>(r));
  } else {
    std::snprintf(buf, sizeof(buf), "\\U%08x", static_cast<unsigned>(r));
  }
  out->append(buf);
}

std::string QuoteRune(char32_t r) {
  std::string out = "'";
  if (r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF)) r = 0xFFFD;
  AppendQuotedRune(&out, r, '\'');
  out.push_back('\'');
  return out;
}

bool CanBackquote(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    size_t start = i;
    char32_t r = DecodeRune(s, &i);
    if (r == 0xFFFD && i - start == 1 && static_cast<unsigned char>(s[start]) >= 0x80) return false;
    if (r == '`' || r == 0xFEFF) return false;
    if (r < ' ' && r != '\t') return false;
    if (r == 0x7F) return false;
  }
  return true;
}

std::string Digits(uint64_t u, int base, bool upper) {
  if (u == 0) return "0";
  const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  std::string s;
  while (u > 0) {
    s.push_back(digits[u % base]);
    u /= base;
  }
  return std::string(s.rbegin(), s.rend());
}

class Printer {
 public:
  explicit Printer(std::string* out) : out_(out) {}

  void PrintValue(const Value& v, char verb, const Spec& spec, int depth);

  // fmt's badVerb: the value is printed with %v under the directive's own flags, width and
  // precision ("%.2f" of "raw" gives %!f(string=ra)).
  void BadVerb(const Value& v, std::string_view verb, const Spec& spec) {
    out_->append("%!");
    out_->append(verb);
    out_->push_back('(');
    if (!v.valid() || v.is_nil()) {
      out_->append("<nil>");
    } else {
      out_->append(v.TypeName());
      out_->push_back('=');
      PrintValue(v, 'v', spec, 0);
    }
    out_->push_back(')');
  }
  void BadVerb(const Value& v, char verb, const Spec& spec) {
    BadVerb(v, std::string_view(&verb, 1), spec);
  }

 private:
  void PrintInt(const Value& v, char verb, const Spec& spec);
  void PrintFloat(double f, char verb, const Spec& spec, bool in_complex);
  void PrintString(const std::string& s, char verb, const Spec& spec);

  std::string* out_;
};

void Printer::PrintInt(const Value& v, char verb, const Spec& spec) {
  bool negative = v.kind() == Kind::kInt && v.int_value() < 0;
  uint64_t mag = v.kind() == Kind::kInt
                     ? (negative ? 0 - static_cast<uint64_t>(v.int_value())
                                 : static_cast<uint64_t>(v.int_value()))
                     : v.uint_value();
  switch (verb) {
    case 'c': {
      std::string s;
      AppendRune(&s, static_cast<char32_t>(mag));
      Pad(out_, s, spec, false);
      return;
    }
    case 'q': {
      Pad(out_, QuoteRune(static_cast<char32_t>(mag)), spec, false);
      return;
    }
    case 'U': {
      char buf[32];
      std::snprintf(buf, sizeof(buf), "U+%04llX", static_cast<unsigned long long>(mag));
      Pad(out_, buf, spec, false);
      return;
    }
    default: break;
  }
  int base = 10;
  bool upper = false;
  std::string prefix;
  switch (verb) {
    case 'd': case 'v': base = 10; break;
    case 'b': base = 2; if (spec.sharp) prefix = "0b"; break;
    case 'o': base = 8; if (spec.sharp) prefix = "0"; break;
    case 'O': base = 8; prefix = "0o"; break;
    case 'x': base = 16; if (spec.sharp) prefix = "0x"; break;
    case 'X': base = 16; upper = true; if (spec.sharp) prefix = "0X"; break;
    default: BadVerb(v, verb, spec); return;
  }
  std::string digits = Digits(mag, base, upper);
  if (spec.precision >= 0) {
    if (spec.precision == 0 && mag == 0) digits.clear();
    while (static_cast<int>(digits.size()) < spec.precision) digits.insert(digits.begin(), '0');
  } else if (spec.zero && !spec.minus && spec.width > 0) {
    int sign = (negative || spec.plus || spec.space) ? 1 : 0;
    int want = spec.width - sign - static_cast<int>(prefix.size());
    while (static_cast<int>(digits.size()) < want) digits.insert(digits.begin(), '0');
  }
  if (base == 8 && prefix == "0" && !digits.empty() && digits[0] == '0') prefix.clear();
  std::string s;
  if (negative) {
    s = "-";
  } else if (spec.plus) {
    s = "+";
  } else if (spec.space) {
    s = " ";
  }
  s += prefix + digits;
  Spec no_zero = spec;
  no_zero.zero = false;
  Pad(out_, s, no_zero);
}

void Printer::PrintFloat(double f, char verb, const Spec& spec, bool in_complex) {
  std::string s;
  if (std::isinf(f) || std::isnan(f)) {
    s = std::isnan(f) ? "NaN" : (f > 0 ? "+Inf" : "-Inf");
    if (std::isnan(f) && (spec.plus || in_complex)) s = "+NaN";
    if (f > 0 && !spec.plus && !in_complex && !std::isnan(f)) s = spec.space ? " Inf" : "+Inf";
    Spec no_zero = spec;
    no_zero.zero = false;
    Pad(out_, s, no_zero);
    return;
  }
  char buf[512];
  switch (verb) {
    case 'v': case 'g': case 'G':
      if (spec.precision < 0) {
        s = FormatGoFloatG(f);
        if (verb == 'G') {
          for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        }
        if (spec.sharp && s.find('.') == std::string::npos && s.find('e') == std::string::npos) {
          s += ".";
        }
      } else {
        std::snprintf(buf, sizeof(buf), verb == 'G' ? "%.*G" : "%.*g",
                      spec.precision == 0 ? 1 : spec.precision, f);
        s = buf;
      }
      break;
    case 'e': case 'E':
      std::snprintf(buf, sizeof(buf), verb == 'E' ? "%.*E" : "%.*e",
                    spec.precision < 0 ? 6 : spec.precision, f);
      s = buf;
      break;
    case 'f': case 'F':
      std::snprintf(buf, sizeof(buf), "%.*f", spec.precision < 0 ? 6 : spec.precision, f);
      s = buf;
      break;
    default:
      BadVerb(Value::Float(f), verb, spec);
      return;
  }
  if (s[0] != '-') {
    if (spec.plus || in_complex) {
      s.insert(s.begin(), '+');
    } else if (spec.space) {
      s.insert(s.begin(), ' ');
    }
  }
  PadNumber(out_, s, spec);
}

void Printer::PrintString(const std::string& s, char verb, const Spec& spec) {
  std::string_view text = s;
  std::string truncated;
  if (spec.precision >= 0 && verb != 'x' && verb != 'X') {
    size_t i = 0;
    for (int n = 0; n < spec.precision && i < s.size(); ++n) DecodeRune(s, &i);
    text = std::string_view(s).substr(0, i);
  }
  switch (verb) {
    case 'v': case 's':
      Pad(out_, text, spec);
      return;
    case 'q': {
      if (spec.sharp && CanBackquote(text)) {
        Pad(out_, "`" + std::string(text) + "`", spec);
      } else {
        Pad(out_, GoQuote(text), spec);
      }
      return;
    }
    case 'x': case 'X': {
      const char* digits = verb == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
      std::string hex;
      size_t n = s.size();
      if (spec.precision >= 0 && static_cast<size_t>(spec.precision) < n) n = spec.precision;
      for (size_t i = 0; i < n; ++i) {
        if (spec.space && i > 0) hex.push_back(' ');
        if (spec.sharp && (spec.space || i == 0)) hex.append(verb == 'X' ? "0X" : "0x");
        unsigned char c = static_cast<unsigned char>(s[i]);
        hex.push_back(digits[c >> 4]);
        hex.push_back(digits[c & 15]);
      }
      Pad(out_, hex, spec);
      return;
    }
    default:
      BadVerb(Value::String(s), verb, spec);
  }
}

// %#v: the value in Go syntax. `in_interface` is set for elements of []interface{} and
// map[string]interface{}, where a nil prints as interface {}(nil).
void AppendGoSyntax(std::string* out, const Value& v, bool in_interface) {
  switch (v.kind()) {
    case Kind::kInvalid:
    case Kind::kNil:
      *out += in_interface ? "interface {}(nil)" : "<nil>";
      return;
    case Kind::kUint:
      *out += "0x" + Digits(v.uint_value(), 16, false);
      return;
    case Kind::kString:
      *out += GoQuote(v.string_value());
      return;
    case Kind::kList: {
      bool any = v.type() == Type::kListAny;
      *out += v.TypeName();
      if (!v.list()) {
        *out += "(nil)";
        return;
      }
      *out += "{";
      for (size_t i = 0; i < v.list()->size(); ++i) {
        if (i > 0) *out += ", ";
        AppendGoSyntax(out, (*v.list())[i], any);
      }
      *out += "}";
      return;
    }
    case Kind::kMap: {
      bool any = v.type() == Type::kMapAny;
      *out += v.TypeName();
      if (!v.map()) {
        *out += "(nil)";
        return;
      }
      *out += "{";
      bool first = true;
      for (const auto& [key, item] : *v.map()) {
        if (!first) *out += ", ";
        first = false;
        *out += GoQuote(key) + ":";
        AppendGoSyntax(out, item, any);
      }
      *out += "}";
      return;
    }
    default:
      AppendGoString(out, v);
  }
}

void Printer::PrintValue(const Value& v, char verb, const Spec& spec, int depth) {
  if (verb == 'v' && spec.sharp_v) {
    std::string s;
    AppendGoSyntax(&s, v, false);
    Pad(out_, s, spec, false);
    return;
  }
  if (verb == 'T') {
    Pad(out_, v.TypeName(), spec, false);
    return;
  }
  switch (v.kind()) {
    case Kind::kInvalid:
    case Kind::kNil:
      if (depth == 0 && !v.valid() && verb == 'v') {
        Pad(out_, "<invalid reflect.Value>", spec, false);
        return;
      }
      if (verb == 'v' || (depth > 0)) {
        Pad(out_, "<nil>", spec, false);
      } else {
        BadVerb(v, verb, spec);
      }
      return;
    case Kind::kBool:
      if (verb == 'v' || verb == 't') {
        Pad(out_, v.bool_value() ? "true" : "false", spec, false);
      } else {
        BadVerb(v, verb, spec);
      }
      return;
    case Kind::kInt:
    case Kind::kUint:
      PrintInt(v, verb, spec);
      return;
    case Kind::kFloat:
      PrintFloat(v.float_value(), verb, spec, false);
      return;
    case Kind::kComplex: {
      if (verb != 'v' && verb != 'g' && verb != 'G' && verb != 'e' && verb != 'E' &&
          verb != 'f' && verb != 'F') {
        BadVerb(v, verb, spec);
        return;
      }
      std::string s = "(";
      Printer inner(&s);
      Spec part = spec;
      part.width = -1;
      inner.PrintFloat(v.float_value(), verb, part, false);
      inner.PrintFloat(v.imag_value(), verb, part, true);
      s += "i)";
      Pad(out_, s, spec, false);
      return;
    }
    case Kind::kString:
      PrintString(v.string_value(), verb, spec);
      return;
    case Kind::kList: {
      out_->push_back('[');
      if (v.list()) {
        bool first = true;
        for (const Value& item : *v.list()) {
          if (!first) out_->push_back(' ');
          first = false;
          PrintValue(item, verb, spec, depth + 1);
        }
      }
      out_->push_back(']');
      return;
    }
    case Kind::kMap: {
      out_->append("map[");
      if (v.map()) {
        bool first = true;
        for (const auto& [key, item] : *v.map()) {
          if (!first) out_->push_back(' ');
          first = false;
          PrintString(key, verb, spec);
          out_->push_back(':');
          PrintValue(item, verb, spec, depth + 1);
        }
      }
      out_->push_back(']');
      return;
    }
    case Kind::kObject:
      if (!v.object()) {
        Pad(out_, "<nil>", spec, false);
      } else {
        Pad(out_, v.object()->String(), spec, false);
      }
      return;
  }
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Reads a decimal number at format[*i]; -1 when there is none.
int ParseNumber(std::string_view format, size_t* i) {
  if (*i >= format.size() || !IsDigit(format[*i])) return -1;
  int n = 0;
  while (*i < format.size() && IsDigit(format[*i])) {
    if (n < 1000000) n = n * 10 + (format[*i] - '0');
    ++*i;
  }
  return n;
}

// The integer value of a '*' operand; false when the operand is not an int.
bool IntArgument(const Value& v, int* out) {
  if (v.kind() == Kind::kInt) {
    *out = static_cast<int>(v.int_value());
    return v.int_value() >= -1000000 && v.int_value() <= 1000000;
  }
  if (v.kind() == Kind::kUint) {
    *out = static_cast<int>(v.uint_value());
    return v.uint_value() <= 1000000;
  }
  return false;
}

}  // namespace

std::string GoQuote(std::string_view s) {
  std::string out = "\"";
  for (size_t i = 0; i < s.size();) {
    size_t start = i;
    char32_t r = DecodeRune(s, &i);
    if (r == 0xFFFD && i - start == 1) {
      char buf[8];
      std::snprintf(buf, sizeof(buf), "\\x%02x", static_cast<unsigned char>(s[start]));
      out.append(buf);
      continue;
    }
    AppendQuotedRune(&out, r, '"');
  }
  out.push_back('"');
  return out;
}

void AppendGoString(std::string* out, const Value& value) {
  if (!value.valid()) {
    out->append("<nil>");
    return;
  }
  switch (value.kind()) {
    case Kind::kString: out->append(value.string_value()); return;
    case Kind::kInt: out->append(std::to_string(value.int_value())); return;
    case Kind::kBool: out->append(value.bool_value() ? "true" : "false"); return;
    case Kind::kFloat: out->append(FormatGoFloatG(value.float_value())); return;
    default: break;
  }
  Printer p(out);
  p.PrintValue(value, 'v', Spec{}, 1);
}

std::string GoString(const Value& value) {
  std::string out;
  AppendGoString(&out, value);
  return out;
}

std::string GoSprint(std::span<const Value> args) {
  std::string out;
  bool prev_string = false;
  for (size_t i = 0; i < args.size(); ++i) {
    bool is_string = args[i].kind() == Kind::kString;
    if (i > 0 && !is_string && !prev_string) out.push_back(' ');
    AppendGoString(&out, args[i]);
    prev_string = is_string;
  }
  return out;
}

std::string GoSprintln(std::span<const Value> args) {
  std::string out;
  for (size_t i = 0; i < args.size(); ++i) {
    if (i > 0) out.push_back(' ');
    AppendGoString(&out, args[i]);
  }
  out.push_back('\n');
  return out;
}

// An explicit argument index "[n]" at format[*i], as fmt's argNumber reads it: moves *i past
// it and returns true when one is there; `*arg` becomes n-1 when that names an argument,
// otherwise `*good` turns false (BADINDEX).
bool ArgNumber(std::string_view format, size_t* i, size_t nargs, size_t* arg, bool* good,
               bool* reordered) {
  if (*i >= format.size() || format[*i] != '[') return false;
  *reordered = true;
  std::string_view rest = format.substr(*i);
  size_t close = rest.size() >= 3 ? rest.find(']', 1) : std::string_view::npos;
  if (close == std::string_view::npos) {  // no closing bracket: skip the '['
    *i += 1;
    *good = false;
    return false;
  }
  size_t j = 1;
  int n = ParseNumber(rest, &j);
  if (n < 0 || j != close) {
    *i += close + 1;
    *good = false;
    return false;
  }
  *i += close + 1;
  if (n >= 1 && static_cast<size_t>(n - 1) < nargs) {
    *arg = static_cast<size_t>(n - 1);
  } else {
    *good = false;
  }
  return true;
}

std::string GoSprintf(std::string_view format, std::span<const Value> args) {
  std::string out;
  Printer printer(&out);
  size_t arg = 0;
  size_t i = 0;
  bool reordered = false;
  while (i < format.size()) {
    size_t next = format.find('%', i);
    if (next == std::string_view::npos) {
      out.append(format.substr(i));
      break;
    }
    out.append(format.substr(i, next - i));
    i = next + 1;
    Spec spec;
    bool good = true;
    for (; i < format.size(); ++i) {
      char c = format[i];
      if (c == '-') { spec.minus = true; spec.zero = false; }
      else if (c == '+') spec.plus = true;
      else if (c == '#') spec.sharp = true;
      else if (c == ' ') spec.space = true;
      else if (c == '0') spec.zero = !spec.minus;
      else break;
    }
    bool after_index = ArgNumber(format, &i, args.size(), &arg, &good, &reordered);
    if (i < format.size() && format[i] == '*') {
      ++i;
      bool ok = arg < args.size() && IntArgument(args[arg], &spec.width);
      if (arg < args.size()) ++arg;
      if (!ok) {
        spec.width = -1;
        out.append("%!(BADWIDTH)");
      } else if (spec.width < 0) {
        spec.minus = true;
        spec.zero = false;
        spec.width = -spec.width;
      }
      after_index = false;
    } else {
      spec.width = ParseNumber(format, &i);
      if (after_index && spec.width >= 0) good = false;  // "%[3]2d"
    }
    if (i + 1 < format.size() && format[i] == '.') {
      ++i;
      if (after_index) good = false;  // "%[3].2d"
      after_index = ArgNumber(format, &i, args.size(), &arg, &good, &reordered);
      if (i < format.size() && format[i] == '*') {
        ++i;
        bool ok = arg < args.size() && IntArgument(args[arg], &spec.precision);
        if (arg < args.size()) ++arg;
        if (ok && spec.precision < 0) spec.precision = -1;
        if (!ok) {
          spec.precision = -1;
          out.append("%!(BADPREC)");
        }
        after_index = false;
      } else {
        spec.precision = ParseNumber(format, &i);
        if (spec.precision < 0) spec.precision = 0;
      }
    }
    if (!after_index) after_index = ArgNumber(format, &i, args.size(), &arg, &good, &reordered);
    if (i >= format.size()) {
      out.append("%!(NOVERB)");
      break;
    }
    size_t verb_start = i;
    char32_t verb32 = DecodeRune(format, &i);
    std::string_view verb_text = format.substr(verb_start, i - verb_start);
    if (verb32 == '%') {
      out.push_back('%');
      continue;
    }
    if (!good) {
      out.append("%!");
      out.append(verb_text);
      out.append("(BADINDEX)");
      continue;
    }
    if (arg >= args.size()) {
      out.append("%!");
      out.append(verb_text);
      out.append("(MISSING)");
      continue;
    }
    if (verb32 >= 0x80) {
      printer.BadVerb(args[arg], verb_text, spec);
      ++arg;
      continue;
    }
    char verb = static_cast<char>(verb32);
    if (verb == 'v') {
      if (spec.plus) { spec.plus = false; spec.plus_v = true; }
      if (spec.sharp) { spec.sharp = false; spec.sharp_v = true; }
    }
    if (verb == 'w') {
      printer.BadVerb(args[arg], verb_text, spec);
    } else {
      printer.PrintValue(args[arg], verb, spec, 0);
    }
    ++arg;
  }
  // An explicit index anywhere turns the EXTRA report off, as in fmt.
  if (!reordered && arg < args.size()) {
    out.append("%!(EXTRA ");
    for (size_t k = arg; k < args.size(); ++k) {
      if (k > arg) out.append(", ");
      if (!args[k].valid() || args[k].is_nil()) {
        out.append("<nil>");
        continue;
      }
      out.append(args[k].TypeName());
      out.push_back('=');
      AppendGoString(&out, args[k]);
    }
    out.push_back(')');
  }
  return out;
}

}  // namespace kstack::tmpl
