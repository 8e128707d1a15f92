#include "machinery/quantity.h"

#include <array>
#include <cstdint>

namespace kstack::machinery {
namespace {

using U128 = unsigned __int128;

constexpr U128 kMaxU128 = ~static_cast<U128>(0);

enum class Form { kDecimal, kBinary, kExponent };

struct Amount {
  bool negative = false;
  U128 mantissa = 0;  // all digits of the text, the point removed
  int fraction = 0;   // how many of those digits follow the point
  Form form = Form::kDecimal;
  int exponent = 0;  // of ten (decimal, exponent forms) or of two (binary form)
};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// mantissa * 10, or false on overflow.
bool TimesTen(U128* v) {
  if (*v > kMaxU128 / 10) return false;
  *v *= 10;
  return true;
}

std::string ToDecimal(U128 v) {
  if (v == 0) return "0";
  std::string out;
  while (v != 0) {
    out.push_back(static_cast<char>('0' + static_cast<int>(v % 10)));
    v /= 10;
  }
  return std::string(out.rbegin(), out.rend());
}

// The power of ten or two that a suffix stands for, and the form it chooses.
bool ReadSuffix(std::string_view suffix, Amount* a) {
  struct Unit {
    std::string_view name;
    Form form;
    int exponent;
  };
  static constexpr std::array<Unit, 16> kUnits = {{
      {"", Form::kDecimal, 0},
      {"n", Form::kDecimal, -9},
      {"u", Form::kDecimal, -6},
      {"m", Form::kDecimal, -3},
      {"k", Form::kDecimal, 3},
      {"M", Form::kDecimal, 6},
      {"G", Form::kDecimal, 9},
      {"T", Form::kDecimal, 12},
      {"P", Form::kDecimal, 15},
      {"E", Form::kDecimal, 18},
      {"Ki", Form::kBinary, 10},
      {"Mi", Form::kBinary, 20},
      {"Gi", Form::kBinary, 30},
      {"Ti", Form::kBinary, 40},
      {"Pi", Form::kBinary, 50},
      {"Ei", Form::kBinary, 60},
  }};
  for (const Unit& u : kUnits) {
    if (u.name == suffix) {
      a->form = u.form;
      a->exponent = u.exponent;
      return true;
    }
  }
  // "e3", "E-2": a power of ten written out.
  if (suffix.size() < 2 || (suffix[0] != 'e' && suffix[0] != 'E')) return false;
  std::string_view digits = suffix.substr(1);
  bool negative = false;
  if (digits[0] == '+' || digits[0] == '-') {
    negative = digits[0] == '-';
    digits.remove_prefix(1);
  }
  if (digits.empty() || digits.size() > 4) return false;
  int value = 0;
  for (char c : digits) {
    if (!IsDigit(c)) return false;
    value = value * 10 + (c - '0');
  }
  a->form = Form::kExponent;
  a->exponent = negative ? -value : value;
  return true;
}

std::optional<Amount> Parse(std::string_view text) {
  Amount a;
  size_t i = 0;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) a.negative = text[i++] == '-';
  std::string digits;
  size_t start = i;
  while (i < text.size() && IsDigit(text[i])) digits.push_back(text[i++]);
  bool any = i > start;
  if (i < text.size() && text[i] == '.') {
    ++i;
    size_t fraction_start = i;
    while (i < text.size() && IsDigit(text[i])) digits.push_back(text[i++]);
    a.fraction = static_cast<int>(i - fraction_start);
    any = any || a.fraction > 0;
  }
  if (!any || !ReadSuffix(text.substr(i), &a)) return std::nullopt;
  // Trailing zeros after the point and leading zeros carry no amount.
  while (a.fraction > 0 && digits.back() == '0') {
    digits.pop_back();
    --a.fraction;
  }
  size_t first = digits.find_first_not_of('0');
  digits = first == std::string::npos ? "" : digits.substr(first);
  for (char c : digits) {
    if (!TimesTen(&a.mantissa) || a.mantissa > kMaxU128 - static_cast<unsigned>(c - '0')) {
      return std::nullopt;
    }
    a.mantissa += static_cast<unsigned>(c - '0');
  }
  return a;
}

// mantissa * 10^exponent written with an SI suffix (or an exponent, for that form).
std::optional<std::string> DecimalText(bool negative, U128 mantissa, int exponent, Form form) {
  // Finer than a nano: round up to whole nanos.
  if (exponent < -9) {
    int shift = -9 - exponent;
    bool remainder = false;
    for (int i = 0; i < shift && mantissa != 0; ++i) {
      remainder = remainder || mantissa % 10 != 0;
      mantissa /= 10;
    }
    if (remainder) ++mantissa;
    exponent = -9;
  }
  if (mantissa == 0) return "0";
  while (mantissa % 10 == 0) {
    mantissa /= 10;
    ++exponent;
  }
  while (((exponent % 3) + 3) % 3 != 0) {
    if (!TimesTen(&mantissa)) return std::nullopt;
    --exponent;
  }
  std::string suffix;
  if (form == Form::kExponent) {
    if (exponent != 0) suffix = std::string("e").append(std::to_string(exponent));
  } else {
    // Beyond exa there is no larger suffix: the mantissa grows instead.
    while (exponent > 18) {
      if (!TimesTen(&mantissa)) return std::nullopt;
      --exponent;
    }
    static constexpr std::array<std::string_view, 10> kSuffixes = {"n", "u", "m", "",  "k",
                                                                   "M", "G", "T", "P", "E"};
    suffix = kSuffixes[static_cast<size_t>(exponent / 3 + 3)];
  }
  std::string out(negative ? "-" : "");
  out.append(ToDecimal(mantissa)).append(suffix);
  return out;
}

std::optional<std::string> BinaryText(const Amount& a) {
  // The amount is mantissa * 2^exponent / 10^fraction.
  if (a.mantissa != 0 && a.exponent > 0) {
    int bits = 0;
    for (U128 v = a.mantissa; v != 0; v >>= 1) ++bits;
    if (bits + a.exponent > 127) return std::nullopt;
  }
  U128 scaled = a.mantissa << a.exponent;
  U128 divisor = 1;
  for (int i = 0; i < a.fraction; ++i) {
    if (!TimesTen(&divisor)) return std::nullopt;
  }
  if (scaled % divisor != 0 || scaled / divisor < 1024) {
    return DecimalText(a.negative, scaled, -a.fraction, Form::kDecimal);
  }
  U128 whole = scaled / divisor;
  static constexpr std::array<std::string_view, 7> kSuffixes = {"",   "Ki", "Mi", "Gi",
                                                                "Ti", "Pi", "Ei"};
  size_t power = 0;
  while (power + 1 < kSuffixes.size() && whole % 1024 == 0) {
    whole /= 1024;
    ++power;
  }
  std::string out(a.negative ? "-" : "");
  out.append(ToDecimal(whole)).append(kSuffixes[power]);
  return out;
}

}  // namespace

std::optional<std::string> CanonicalQuantity(std::string_view text) {
  std::optional<Amount> a = Parse(text);
  if (!a) return std::nullopt;
  if (a->mantissa == 0) return "0";
  if (a->form == Form::kBinary) return BinaryText(*a);
  return DecimalText(a->negative, a->mantissa, a->exponent - a->fraction, a->form);
}

std::optional<std::string> CanonicalQuantityOf(const Json& value) {
  if (value.is_string()) return CanonicalQuantity(std::string_view(value.get_string()));
  if (value.is_int64()) return CanonicalQuantity(std::to_string(value.get_int64()));
  if (value.is_uint64()) return CanonicalQuantity(std::to_string(value.get_uint64()));
  if (value.is_double()) return CanonicalQuantity(WriteJson(value));
  return std::nullopt;
}

}  // namespace kstack::machinery
