// Sprig's string functions (strings.go and the goutils/xstrings helpers it calls).

#include <algorithm>

#include <fmt/format.h>

#include "template/go_fmt.h"
#include "template/internal/runes.h"
#include "template/sprig/util.h"

namespace kstack::tmpl::sprig {
namespace {

using internal::IsLowerRune;
using internal::IsSpaceRune;
using internal::IsUpperRune;
using internal::Runes;
using internal::ToLowerRune;
using internal::ToUpperRune;

std::string MapRunes(std::string_view s, char32_t (*f)(char32_t)) {
  std::string out;
  for (size_t i = 0; i < s.size();) internal::AppendRune(&out, f(internal::DecodeRune(s, &i)));
  return out;
}

std::string TrimSpace(std::string_view s) {
  std::vector<char32_t> r = Runes(s);
  size_t b = 0, e = r.size();
  while (b < e && IsSpaceRune(r[b])) ++b;
  while (e > b && IsSpaceRune(r[e - 1])) --e;
  return internal::FromRunes(r, b, e);
}

// strings.Trim(s, cutset).
std::string TrimSet(std::string_view s, std::string_view cutset) {
  std::vector<char32_t> cut = Runes(cutset);
  auto in = [&](char32_t r) { return std::find(cut.begin(), cut.end(), r) != cut.end(); };
  std::vector<char32_t> r = Runes(s);
  size_t b = 0, e = r.size();
  while (b < e && in(r[b])) ++b;
  while (e > b && in(r[e - 1])) --e;
  return internal::FromRunes(r, b, e);
}

std::string ReplaceAll(std::string_view s, std::string_view from, std::string_view to) {
  if (from.empty()) {
    // strings.Replace with an empty old string inserts `to` around every rune.
    std::string out(to);
    for (size_t i = 0; i < s.size();) {
      size_t start = i;
      internal::DecodeRune(s, &i);
      out.append(s.substr(start, i - start));
      out.append(to);
    }
    return out;
  }
  std::string out;
  size_t pos = 0;
  while (true) {
    size_t next = s.find(from, pos);
    if (next == std::string_view::npos) break;
    out.append(s.substr(pos, next - pos));
    out.append(to);
    pos = next + from.size();
  }
  out.append(s.substr(pos));
  return out;
}

// goutils.AbbreviateFull; "" where goutils returns an error.
std::string AbbreviateFull(const std::string& str, int64_t offset, int64_t max_width) {
  int64_t len = static_cast<int64_t>(str.size());
  if (str.empty()) return "";
  if (max_width < 4) return "";
  if (len <= max_width) return str;
  if (offset > len) offset = len;
  if (len - offset < max_width - 3) offset = len - (max_width - 3);
  if (offset <= 4) return str.substr(0, max_width - 3) + "...";
  if (max_width < 7) return "";
  if (offset + max_width - 3 < len) {
    return "..." + AbbreviateFull(str.substr(offset), 0, max_width - 3);
  }
  return "..." + str.substr(len - (max_width - 3));
}

// goutils.WrapCustom.
std::string WrapCustom(const std::string& str, int64_t width, std::string nl, bool long_words) {
  if (str.empty()) return "";
  if (nl.empty()) nl = "\n";
  if (width < 1) width = 1;
  size_t w = static_cast<size_t>(width);
  size_t len = str.size();
  size_t offset = 0;
  std::string out;
  while (len - offset > w) {
    if (str[offset] == ' ') {
      ++offset;
      continue;
    }
    size_t end = std::min(len, w + offset + 1);
    size_t space = str.substr(offset, end - offset).rfind(' ');
    if (space != std::string::npos) {
      out += str.substr(offset, space) + nl;
      offset += space + 1;
    } else if (long_words) {
      out += str.substr(offset, w) + nl;
      offset += w;
    } else {
      size_t e = w + offset;
      size_t idx = str.find(' ', e);
      if (idx == std::string::npos) {
        out += str.substr(offset);
        offset = len;
      } else {
        out += str.substr(offset, idx - offset) + nl;
        offset = idx + 1;
      }
    }
  }
  out += str.substr(offset);
  return out;
}

// Words of an identifier as xstrings splits them for snake and kebab case.
std::string ToDelimited(std::string_view s, char sep) {
  std::vector<char32_t> r = Runes(s);
  std::vector<std::string> words;
  std::string cur;
  auto flush = [&] {
    if (!cur.empty()) words.push_back(std::move(cur));
    cur.clear();
  };
  for (size_t i = 0; i < r.size(); ++i) {
    char32_t c = r[i];
    if (c == '_' || c == '-' || c == ' ' || c == '.' || IsSpaceRune(c)) {
      flush();
      continue;
    }
    if (IsUpperRune(c) && !cur.empty()) {
      char32_t prev = r[i - 1];
      bool next_lower = i + 1 < r.size() && IsLowerRune(r[i + 1]);
      if (!IsUpperRune(prev) || next_lower) flush();
    }
    internal::AppendRune(&cur, ToLowerRune(c));
  }
  flush();
  std::string out;
  for (size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out.push_back(sep);
    out += words[i];
  }
  return out;
}

std::string ToCamelCase(std::string_view s) {
  std::vector<char32_t> r = Runes(s);
  std::string out;
  size_t i = 0;
  while (i < r.size() && r[i] == '_') {
    out.push_back('_');
    ++i;
  }
  if (i >= r.size()) return out;
  char32_t r0 = ToUpperRune(r[i++]);
  for (; i < r.size(); ++i) {
    char32_t r1 = r0;
    r0 = r[i];
    if (r1 == '_' && r0 == '_') {
      out.push_back('_');
      continue;
    }
    if (r1 == '_') {
      r0 = ToUpperRune(r0);
    } else {
      internal::AppendRune(&out, r1);
    }
  }
  internal::AppendRune(&out, r0);
  return out;
}

bool IsTitleSeparator(char32_t r) {
  if (r < 0x80) {
    if ((r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || r == '_') {
      return false;
    }
    return true;
  }
  if (internal::IsLetterRune(r)) return false;
  return IsSpaceRune(r);
}

std::string Title(std::string_view s) {
  std::string out;
  char32_t prev = ' ';
  for (size_t i = 0; i < s.size();) {
    char32_t r = internal::DecodeRune(s, &i);
    internal::AppendRune(&out, IsTitleSeparator(prev) ? ToUpperRune(r) : r);
    prev = r;
  }
  return out;
}

std::string Untitle(std::string_view s) {
  std::string out;
  bool start = true;
  for (size_t i = 0; i < s.size();) {
    char32_t r = internal::DecodeRune(s, &i);
    if (IsSpaceRune(r)) {
      start = true;
      internal::AppendRune(&out, r);
      continue;
    }
    internal::AppendRune(&out, start ? ToLowerRune(r) : r);
    start = false;
  }
  return out;
}

std::string Initials(std::string_view s) {
  std::string out;
  bool start = true;
  for (size_t i = 0; i < s.size();) {
    char32_t r = internal::DecodeRune(s, &i);
    if (IsSpaceRune(r)) {
      start = true;
      continue;
    }
    if (start) internal::AppendRune(&out, r);
    start = false;
  }
  return out;
}

std::string SwapCase(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size();) {
    char32_t r = internal::DecodeRune(s, &i);
    if (IsUpperRune(r)) {
      r = ToLowerRune(r);
    } else if (IsLowerRune(r)) {
      r = ToUpperRune(r);
    }
    internal::AppendRune(&out, r);
  }
  return out;
}

// Sprig's strslice: a list as strings (nil elements dropped), anything else as one string.
std::vector<std::string> StrSlice(const Value& v) {
  std::vector<std::string> out;
  if (v.kind() == Kind::kList) {
    if (v.list()) {
      for (const Value& item : *v.list()) {
        if (item.kind() == Kind::kNil || !item.valid()) continue;
        out.push_back(StrVal(item));
      }
    }
    return out;
  }
  if (v.kind() == Kind::kNil || !v.valid()) return out;
  out.push_back(StrVal(v));
  return out;
}

Value StringList(std::vector<std::string> items) {
  List l;
  l.reserve(items.size());
  for (auto& s : items) l.push_back(Str(std::move(s)));
  return Value::MakeList(std::move(l), Type::kListString);
}

std::vector<std::string> SplitGo(const std::string& s, const std::string& sep, int64_t n) {
  std::vector<std::string> out;
  if (n == 0) return out;
  if (sep.empty()) {
    for (size_t i = 0; i < s.size();) {
      size_t start = i;
      internal::DecodeRune(s, &i);
      if (n > 0 && static_cast<int64_t>(out.size()) == n - 1) {
        out.push_back(s.substr(start));
        return out;
      }
      out.push_back(s.substr(start, i - start));
    }
    return out;
  }
  size_t pos = 0;
  while (n < 0 || static_cast<int64_t>(out.size()) < n - 1) {
    size_t next = s.find(sep, pos);
    if (next == std::string::npos) break;
    out.push_back(s.substr(pos, next - pos));
    pos = next + sep.size();
  }
  out.push_back(s.substr(pos));
  return out;
}

Value SplitMap(const std::vector<std::string>& parts) {
  Map m;
  for (size_t i = 0; i < parts.size(); ++i) m.emplace("_" + std::to_string(i), Str(parts[i]));
  return Value::MakeMap(std::move(m), Type::kMapString);
}

}  // namespace

std::vector<int64_t> UntilStep(int64_t start, int64_t stop, int64_t step) {
  std::vector<int64_t> v;
  if (stop < start) {
    if (step >= 0) return v;
    for (int64_t i = start; i > stop; i += step) v.push_back(i);
    return v;
  }
  if (step <= 0) return v;
  for (int64_t i = start; i < stop; i += step) v.push_back(i);
  return v;
}

Value IntList(const std::vector<int64_t>& v) {
  List l;
  for (int64_t i : v) l.push_back(Value::Int(i));
  return Value::MakeList(std::move(l), Type::kListInt);
}

void AddStrings(FuncMap* m) {
  auto s = [](const Value& v) -> const std::string& { return v.string_value(); };
  m->Add("abbrev", Fn({P::kInt, P::kString}, [=](CallContext&, Args a) -> FuncResult {
    if (a[0].int_value() < 4) return Str(s(a[1]));  // Sprig returns the text unchanged
    return Str(AbbreviateFull(s(a[1]), 0, a[0].int_value()));
  }));
  m->Add("abbrevboth", Fn({P::kInt, P::kInt, P::kString}, [=](CallContext&, Args a) -> FuncResult {
    int64_t left = a[0].int_value(), right = a[1].int_value();
    if (right < 4 || (left > 0 && right < 7)) return Str(s(a[2]));  // as Sprig does
    return Str(AbbreviateFull(s(a[2]), left, right));
  }));
  m->Add("trunc", Fn({P::kInt, P::kString}, [=](CallContext&, Args a) -> FuncResult {
    int64_t c = a[0].int_value();
    const std::string& str = s(a[1]);
    int64_t len = static_cast<int64_t>(str.size());
    if (c < 0 && len + c > 0) return Str(str.substr(len + c));
    if (c >= 0 && len > c) return Str(str.substr(0, c));
    return Str(str);
  }));
  m->Add("trim", Fn({P::kString}, [=](CallContext&, Args a) -> FuncResult {
    return Str(TrimSpace(s(a[0])));
  }));
  m->Add("upper", Fn({P::kString}, [=](CallContext&, Args a) -> FuncResult {
    return Str(MapRunes(s(a[0]), ToUpperRune));
  }));
  m->Add("lower", Fn({P::kString}, [=](CallContext&, Args a) -> FuncResult {
    return Str(MapRunes(s(a[0]), ToLowerRune));
  }));
  m->Add("title", Fn({P::kString}, [=](CallContext&, Args a) -> FuncResult {
    return Str(Title(s(a[0])));
  }));
  m->Add("untitle", Fn({P::kString}, [=](CallContext&, Args a) -> FuncResult {
    return Str(Untitle(s(a[0])));
  }));
  m->Add("substr", Fn({P::kInt, P::kInt, P::kString}, [=](CallContext&, Args a) -> FuncResult {
    int64_t start = a[0].int_value(), end = a[1].int_value();
    const std::string& str = s(a[2]);
    int64_t len = static_cast<int64_t>(str.size());
    // Sprig slices the string as given; Go's panic texts are the errors.
    auto bounds = [](std::string what) {
      return BadRequestError("runtime error: slice bounds out of range " + what);
    };
    if (start < 0) {
      if (end < 0) return bounds(fmt::format("[:{}]", end));
      if (end > len) return bounds(fmt::format("[:{}] with length {}", end, len));
      return Str(str.substr(0, end));
    }
    if (end < 0 || end > len) {
      if (start > len) return bounds(fmt::format("[{}:{}]", start, len));
      return Str(str.substr(start));
    }
    if (start > end) return bounds(fmt::format("[{}:{}]", start, end));
    return Str(str.substr(start, end - start));
  }));
  m->Add("repeat", Fn({P::kInt, P::kString}, [=](CallContext&, Args a) -> FuncResult {
    if (a[0].int_value() < 0) return BadRequestError("strings: negative Repeat count");
    std::string out;
    for (int64_t i = 0; i < a[0].int_value(); ++i) out += s(a[1]);
    return Str(out);
  }));
  auto trim_all = Fn({P::kString, P::kString}, [=](CallContext&, Args a) -> FuncResult {
    return Str(TrimSet(s(a[1]), s(a[0])));
  });
  m->Add("trimAll", trim_all);
  m->Add("trimall", trim_all);
  m->Add("trimSuffix", Fn({P::kString, P::kString}, [=](CallContext&, Args a) -> FuncResult {
    const std::string& str = s(a[1]);
    const std::string& suf = s(a[0]);
    if (str.size() >= suf.size() && str.compare(str.size() - suf.size(), suf.size(), suf) == 0) {
      return Str(str.substr(0, str.size() - suf.size()));
    }
    return Str(str);
  }));
  m->Add("trimPrefix", Fn({P::kString, P::kString}, [=](CallContext&, Args a) -> FuncResult {
    const std::string& str = s(a[1]);
    const std::string& pre = s(a[0]);
    if (str.compare(0, pre.size(), pre) == 0) return Str(str.substr(pre.size()));
    return Str(str);
  }));
  m->Add("nospace", Fn({P::kString}, [=](CallContext&, Args a) -> FuncResult {
    std::string out;
    const std::string& str = s(a[0]);
    for (size_t i = 0; i < str.size();) {
      char32_t r = internal::DecodeRune(str, &i);
      if (!IsSpaceRune(r)) internal::AppendRune(&out, r);
    }
    return Str(out);
  }));
  m->Add("initials", Fn({P::kString}, [=](CallContext&, Args a) -> FuncResult {
    return Str(Initials(s(a[0])));
  }));
  m->Add("swapcase", Fn({P::kString}, [=](CallContext&, Args a) -> FuncResult {
    return Str(SwapCase(s(a[0])));
  }));
  m->Add("snakecase", Fn({P::kString}, [=](CallContext&, Args a) -> FuncResult {
    return Str(ToDelimited(s(a[0]), '_'));
  }));
  m->Add("kebabcase", Fn({P::kString}, [=](CallContext&, Args a) -> FuncResult {
    return Str(ToDelimited(s(a[0]), '-'));
  }));
  m->Add("camelcase", Fn({P::kString}, [=](CallContext&, Args a) -> FuncResult {
    return Str(ToCamelCase(s(a[0])));
  }));
  m->Add("wrap", Fn({P::kInt, P::kString}, [=](CallContext&, Args a) -> FuncResult {
    return Str(WrapCustom(s(a[1]), a[0].int_value(), "", false));
  }));
  m->Add("wrapWith", Fn({P::kInt, P::kString, P::kString}, [=](CallContext&, Args a) -> FuncResult {
    return Str(WrapCustom(s(a[2]), a[0].int_value(), s(a[1]), true));
  }));
  m->Add("contains", Fn({P::kString, P::kString}, [=](CallContext&, Args a) -> FuncResult {
    return Value::Bool(s(a[1]).find(s(a[0])) != std::string::npos);
  }));
  m->Add("hasPrefix", Fn({P::kString, P::kString}, [=](CallContext&, Args a) -> FuncResult {
    return Value::Bool(s(a[1]).compare(0, s(a[0]).size(), s(a[0])) == 0);
  }));
  m->Add("hasSuffix", Fn({P::kString, P::kString}, [=](CallContext&, Args a) -> FuncResult {
    const std::string& str = s(a[1]);
    const std::string& suf = s(a[0]);
    return Value::Bool(str.size() >= suf.size() &&
                       str.compare(str.size() - suf.size(), suf.size(), suf) == 0);
  }));
  m->Add("quote", VarFn({}, P::kAny, [](CallContext&, Args a) -> FuncResult {
    std::string out;
    bool first = true;
    for (const Value& v : a) {
      if (v.is_nil() || !v.valid()) continue;
      if (!first) out += " ";
      first = false;
      out += GoQuote(StrVal(v));
    }
    return Str(out);
  }));
  m->Add("squote", VarFn({}, P::kAny, [](CallContext&, Args a) -> FuncResult {
    std::string out;
    bool first = true;
    for (const Value& v : a) {
      if (v.is_nil() || !v.valid()) continue;
      if (!first) out += " ";
      first = false;
      out += "'" + StrVal(v) + "'";
    }
    return Str(out);
  }));
  m->Add("cat", VarFn({}, P::kAny, [](CallContext&, Args a) -> FuncResult {
    std::string out;
    bool first = true;
    for (const Value& v : a) {
      if (v.is_nil() || !v.valid()) continue;
      if (!first) out += " ";
      first = false;
      out += GoString(v);
    }
    return Str(out);
  }));
  m->Add("indent", Fn({P::kInt, P::kString}, [=](CallContext&, Args a) -> FuncResult {
    if (a[0].int_value() < 0) return BadRequestError("strings: negative Repeat count");
    std::string pad(a[0].int_value(), ' ');
    return Str(pad + ReplaceAll(s(a[1]), "\n", "\n" + pad));
  }));
  m->Add("nindent", Fn({P::kInt, P::kString}, [=](CallContext&, Args a) -> FuncResult {
    if (a[0].int_value() < 0) return BadRequestError("strings: negative Repeat count");
    std::string pad(a[0].int_value(), ' ');
    return Str("\n" + pad + ReplaceAll(s(a[1]), "\n", "\n" + pad));
  }));
  m->Add("replace", Fn({P::kString, P::kString, P::kString}, [=](CallContext&, Args a) -> FuncResult {
    return Str(ReplaceAll(s(a[2]), s(a[0]), s(a[1])));
  }));
  m->Add("plural", Fn({P::kString, P::kString, P::kInt}, [=](CallContext&, Args a) -> FuncResult {
    return Str(a[2].int_value() == 1 ? s(a[0]) : s(a[1]));
  }));
  m->Add("toString", Fn({P::kAny}, [](CallContext&, Args a) -> FuncResult {
    return Str(StrVal(a[0]));
  }));
  m->Add("atoi", Fn({P::kString}, [=](CallContext&, Args a) -> FuncResult {
    const std::string& str = s(a[0]);
    char* end = nullptr;
    long long n = std::strtoll(str.c_str(), &end, 10);
    if (str.empty() || end != str.c_str() + str.size()) n = 0;
    return Value::Int(n);
  }));
  m->Add("int64", Fn({P::kAny}, [](CallContext&, Args a) -> FuncResult {
    return Int64(ToInt64(a[0]));
  }));
  m->Add("int", Fn({P::kAny}, [](CallContext&, Args a) -> FuncResult {
    return Value::Int(ToInt64(a[0]));
  }));
  m->Add("float64", Fn({P::kAny}, [](CallContext&, Args a) -> FuncResult {
    return Value::Float(ToFloat64(a[0]));
  }));
  m->Add("split", Fn({P::kString, P::kString}, [=](CallContext&, Args a) -> FuncResult {
    return SplitMap(SplitGo(s(a[1]), s(a[0]), -1));
  }));
  m->Add("splitList", Fn({P::kString, P::kString}, [=](CallContext&, Args a) -> FuncResult {
    return StringList(SplitGo(s(a[1]), s(a[0]), -1));
  }));
  m->Add("splitn", Fn({P::kString, P::kInt, P::kString}, [=](CallContext&, Args a) -> FuncResult {
    return SplitMap(SplitGo(s(a[2]), s(a[0]), a[1].int_value()));
  }));
  m->Add("toStrings", Fn({P::kAny}, [](CallContext&, Args a) -> FuncResult {
    return StringList(StrSlice(a[0]));
  }));
  m->Add("join", Fn({P::kString, P::kAny}, [=](CallContext&, Args a) -> FuncResult {
    std::string out;
    std::vector<std::string> parts = StrSlice(a[1]);
    for (size_t i = 0; i < parts.size(); ++i) {
      if (i > 0) out += s(a[0]);
      out += parts[i];
    }
    return Str(out);
  }));
  m->Add("sortAlpha", Fn({P::kAny}, [](CallContext&, Args a) -> FuncResult {
    std::vector<std::string> parts = StrSlice(a[0]);
    std::sort(parts.begin(), parts.end());
    return StringList(std::move(parts));
  }));
  m->Add("until", Fn({P::kInt}, [](CallContext&, Args a) -> FuncResult {
    int64_t n = a[0].int_value();
    return IntList(UntilStep(0, n, n < 0 ? -1 : 1));
  }));
  m->Add("untilStep", Fn({P::kInt, P::kInt, P::kInt}, [](CallContext&, Args a) -> FuncResult {
    return IntList(UntilStep(a[0].int_value(), a[1].int_value(), a[2].int_value()));
  }));
  m->Add("seq", VarFn({}, P::kInt, [](CallContext&, Args a) -> FuncResult {
    std::vector<int64_t> v;
    switch (a.size()) {
      case 1: {
        int64_t start = 1, end = a[0].int_value();
        int64_t inc = end < start ? -1 : 1;
        v = UntilStep(start, end + inc, inc);
        break;
      }
      case 2: {
        int64_t start = a[0].int_value(), end = a[1].int_value();
        int64_t step = end < start ? -1 : 1;
        v = UntilStep(start, end + step, step);
        break;
      }
      case 3: {
        int64_t start = a[0].int_value(), step = a[1].int_value(), end = a[2].int_value();
        int64_t inc = 1;
        if (end < start) {
          inc = -1;
          if (step > 0) return Str("");
        }
        v = UntilStep(start, end + inc, step);
        break;
      }
      default: return Str("");
    }
    std::string out;
    for (size_t i = 0; i < v.size(); ++i) {
      if (i > 0) out += " ";
      out += std::to_string(v[i]);
    }
    return Str(out);
  }));
}

}  // namespace kstack::tmpl::sprig
