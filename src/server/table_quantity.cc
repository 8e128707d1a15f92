// resource.Quantity text in Kubernetes' canonical form, as the API server prints quantities in
// tables: "1024Mi" reads "1Gi", "0.5" reads "500m", "1000" reads "1k", "1.5Ki" reads "1536".
//
// A quantity is a decimal mantissa scaled by a power of ten (SI suffixes n..E, or eN) or of two
// (Ki..Ei). Decimal forms print with the largest SI suffix (a power of 1000) that keeps the
// mantissa whole; binary forms with the largest power of 1024 that keeps it whole, except below
// 1024 or when the value is not whole, where they print as decimal. Values finer than 1n round
// up to it. Values beyond 64 bits keep their text.

#include <fmt/format.h>

#include <cstdint>
#include <optional>

#include "server/internal/table_printer.h"

namespace kstack::server::internal {
namespace {

enum class Format { kDecimalSI, kBinarySI, kDecimalExponent };

constexpr int64_t kMax = INT64_MAX;

// a * m, or nothing on overflow (a >= 0, m > 0).
std::optional<int64_t> Mul(int64_t a, int64_t m) {
  if (a > kMax / m) return std::nullopt;
  return a * m;
}

struct Parsed {
  bool negative = false;
  std::string digits;  // integer and fraction digits, leading zeros removed
  int fraction = 0;    // how many of `digits` are after the point
  Format format = Format::kDecimalSI;
  int exponent = 0;  // power of ten (decimal) or of two (binary)
};

std::optional<Parsed> Parse(std::string_view text) {
  Parsed p;
  size_t i = 0;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) p.negative = text[i++] == '-';
  size_t int_start = i;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
  std::string_view integer = text.substr(int_start, i - int_start);
  std::string_view fraction;
  if (i < text.size() && text[i] == '.') {
    size_t frac_start = ++i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
    fraction = text.substr(frac_start, i - frac_start);
  }
  if (integer.empty() && fraction.empty()) return std::nullopt;
  std::string_view suffix = text.substr(i);
  static constexpr std::pair<std::string_view, int> kBinary[] = {
      {"Ki", 10}, {"Mi", 20}, {"Gi", 30}, {"Ti", 40}, {"Pi", 50}, {"Ei", 60}};
  static constexpr std::pair<std::string_view, int> kDecimal[] = {
      {"n", -9}, {"u", -6}, {"m", -3}, {"", 0},   {"k", 3},
      {"M", 6},  {"G", 9},  {"T", 12}, {"P", 15}, {"E", 18}};
  bool known = false;
  for (const auto& [s, e] : kBinary) {
    if (suffix == s) p.format = Format::kBinarySI, p.exponent = e, known = true;
  }
  for (const auto& [s, e] : kDecimal) {
    if (suffix == s) p.format = Format::kDecimalSI, p.exponent = e, known = true;
  }
  if (!known && suffix.size() > 1 && (suffix[0] == 'e' || suffix[0] == 'E')) {
    std::string_view exp = suffix.substr(1);
    bool neg = false;
    if (exp[0] == '+' || exp[0] == '-') neg = exp[0] == '-', exp.remove_prefix(1);
    if (exp.empty() || exp.size() > 4) return std::nullopt;
    int value = 0;
    for (char c : exp) {
      if (c < '0' || c > '9') return std::nullopt;
      value = value * 10 + (c - '0');
    }
    p.format = Format::kDecimalExponent;
    p.exponent = neg ? -value : value;
    known = true;
  }
  if (!known) return std::nullopt;
  p.digits = std::string(integer) + std::string(fraction);
  p.fraction = static_cast<int>(fraction.size());
  size_t nonzero = p.digits.find_first_not_of('0');
  p.digits = nonzero == std::string::npos ? "" : p.digits.substr(nonzero);
  return p;
}

std::optional<int64_t> ToInt(std::string_view digits) {
  int64_t v = 0;
  for (char c : digits) {
    std::optional<int64_t> times = Mul(v, 10);
    if (!times || *times > kMax - (c - '0')) return std::nullopt;
    v = *times + (c - '0');
  }
  return v;
}

// The decimal text of mantissa * 10^exponent with an SI suffix or an exponent.
std::optional<std::string> DecimalText(int64_t mantissa, int exponent, Format format,
                                       bool negative) {
  // Finer than a nano: round up to whole nanos.
  while (exponent < -9) {
    bool remainder = mantissa % 10 != 0;
    mantissa = mantissa / 10 + (remainder ? 1 : 0);
    ++exponent;
  }
  if (mantissa == 0) return "0";
  while (mantissa % 10 == 0) mantissa /= 10, ++exponent;
  while (((exponent % 3) + 3) % 3 != 0) {
    std::optional<int64_t> shifted = Mul(mantissa, 10);
    if (!shifted) return std::nullopt;
    mantissa = *shifted;
    --exponent;
  }
  std::string suffix;
  if (format == Format::kDecimalExponent) {
    if (exponent != 0) suffix = fmt::format("e{}", exponent);
  } else {
    static constexpr std::string_view kSI[] = {"n", "u", "m", "", "k", "M", "G", "T", "P", "E"};
    int index = exponent / 3 + 3;
    if (index < 0 || index > 9) return std::nullopt;
    suffix = kSI[index];
  }
  return fmt::format("{}{}{}", negative ? "-" : "", mantissa, suffix);
}

}  // namespace

std::string CanonicalQuantity(std::string_view text) {
  std::optional<Parsed> p = Parse(text);
  if (!p) return std::string(text);
  if (p->digits.empty()) return "0";
  std::optional<int64_t> digits = ToInt(p->digits);
  if (!digits) return std::string(text);
  if (p->format != Format::kBinarySI) {
    std::optional<std::string> out =
        DecimalText(*digits, p->exponent - p->fraction, p->format, p->negative);
    return out ? *out : std::string(text);
  }
  // Binary: digits * 2^exponent / 10^fraction.
  std::optional<int64_t> value = digits;
  for (int i = 0; i < p->exponent && value; ++i) value = Mul(*value, 2);
  if (!value) return std::string(text);
  int64_t pow10 = 1;
  for (int i = 0; i < p->fraction; ++i) {
    std::optional<int64_t> next = Mul(pow10, 10);
    if (!next) return std::string(text);
    pow10 = *next;
  }
  if (*value % pow10 != 0 || *value / pow10 < 1024) {
    std::optional<std::string> out =
        DecimalText(*value, -p->fraction, Format::kDecimalSI, p->negative);
    return out ? *out : std::string(text);
  }
  int64_t whole = *value / pow10;
  int power = 0;
  while (whole % 1024 == 0 && power < 6) whole /= 1024, ++power;
  static constexpr std::string_view kBinarySuffix[] = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
  return fmt::format("{}{}{}", p->negative ? "-" : "", whole, kBinarySuffix[power]);
}

}  // namespace kstack::server::internal
