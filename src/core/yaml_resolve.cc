#include "core/internal/yaml_resolve.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <string>

namespace kstack::yaml_internal {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// strconv.ParseUint(s, 0, 64) without a sign: base prefixes 0x, 0o, 0b and a leading 0 (octal).
bool ParseGoUint(std::string_view s, uint64_t* out) {
  if (s.empty()) return false;
  int base = 10;
  if (s.size() >= 2 && s[0] == '0') {
    char p = s[1];
    if (p == 'x' || p == 'X') {
      base = 16;
      s.remove_prefix(2);
    } else if (p == 'o' || p == 'O') {
      base = 8;
      s.remove_prefix(2);
    } else if (p == 'b' || p == 'B') {
      base = 2;
      s.remove_prefix(2);
    } else {
      base = 8;
      s.remove_prefix(1);
    }
    if (s.empty()) return false;
  }
  uint64_t v = 0;
  for (char c : s) {
    int d;
    if (IsDigit(c)) {
      d = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      d = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      d = c - 'A' + 10;
    } else {
      return false;
    }
    if (d >= base) return false;
    if (v > (UINT64_MAX - static_cast<uint64_t>(d)) / static_cast<uint64_t>(base)) return false;
    v = v * static_cast<uint64_t>(base) + static_cast<uint64_t>(d);
  }
  *out = v;
  return true;
}

// strconv.ParseInt(s, 0, 64).
bool ParseGoInt(std::string_view s, int64_t* out) {
  bool negative = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  uint64_t u;
  if (!ParseGoUint(s, &u)) return false;
  if (negative) {
    if (u > static_cast<uint64_t>(INT64_MAX) + 1) return false;
    *out = static_cast<int64_t>(0 - u);
  } else {
    if (u > static_cast<uint64_t>(INT64_MAX)) return false;
    *out = static_cast<int64_t>(u);
  }
  return true;
}

// ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$
bool IsYamlStyleFloat(std::string_view s) {
  size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  if (i < s.size() && s[i] == '.') {
    ++i;
    size_t start = i;
    while (i < s.size() && IsDigit(s[i])) ++i;
    if (i == start) return false;
  } else {
    size_t start = i;
    while (i < s.size() && IsDigit(s[i])) ++i;
    if (i == start) return false;
    if (i < s.size() && s[i] == '.') {
      ++i;
      while (i < s.size() && IsDigit(s[i])) ++i;
    }
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    size_t start = i;
    while (i < s.size() && IsDigit(s[i])) ++i;
    if (i == start) return false;
  }
  return i == s.size();
}

// strconv.ParseFloat for the decimal forms the callers let through; false on overflow.
bool ParseFloatText(std::string_view s, double* out) {
  std::string copy(s);
  errno = 0;
  char* end = nullptr;
  double v = std::strtod(copy.c_str(), &end);
  if (end != copy.c_str() + copy.size()) return false;
  if (errno == ERANGE && std::isinf(v)) return false;
  *out = v;
  return true;
}

ResolvedScalar Of(ScalarType t) {
  ResolvedScalar r;
  r.type = t;
  return r;
}

ResolvedScalar Bool(bool b) {
  ResolvedScalar r = Of(ScalarType::kBool);
  r.boolean = b;
  return r;
}

ResolvedScalar Float(double f) {
  ResolvedScalar r = Of(ScalarType::kFloat);
  r.floating = f;
  return r;
}

// The words go-yaml looks up before anything else.
bool LookupWord(std::string_view s, ResolvedScalar* r) {
  switch (s.size()) {
    case 0: *r = Of(ScalarType::kNull); return true;
    case 1:
      if (s == "y" || s == "Y") { *r = Bool(true); return true; }
      if (s == "n" || s == "N") { *r = Bool(false); return true; }
      if (s == "~") { *r = Of(ScalarType::kNull); return true; }
      return false;
    case 2:
      if (s == "on" || s == "On" || s == "ON") { *r = Bool(true); return true; }
      if (s == "no" || s == "No" || s == "NO") { *r = Bool(false); return true; }
      return false;
    case 3:
      if (s == "yes" || s == "Yes" || s == "YES") { *r = Bool(true); return true; }
      if (s == "off" || s == "Off" || s == "OFF") { *r = Bool(false); return true; }
      return false;
    case 4:
      if (s == "true" || s == "True" || s == "TRUE") { *r = Bool(true); return true; }
      if (s == "null" || s == "Null" || s == "NULL") { *r = Of(ScalarType::kNull); return true; }
      if (s == ".nan" || s == ".NaN" || s == ".NAN") { *r = Float(NAN); return true; }
      if (s == ".inf" || s == ".Inf" || s == ".INF") { *r = Float(INFINITY); return true; }
      return false;
    case 5:
      if (s == "false" || s == "False" || s == "FALSE") { *r = Bool(false); return true; }
      if (s == "+.inf" || s == "+.Inf" || s == "+.INF") { *r = Float(INFINITY); return true; }
      if (s == "-.inf" || s == "-.Inf" || s == "-.INF") { *r = Float(-INFINITY); return true; }
      return false;
  }
  return false;
}

int ReadNumber(std::string_view s, size_t* i, int min_digits, int max_digits) {
  int v = 0;
  int n = 0;
  while (*i < s.size() && IsDigit(s[*i]) && n < max_digits) {
    v = v * 10 + (s[*i] - '0');
    ++*i;
    ++n;
  }
  return n >= min_digits ? v : -1;
}

int DaysIn(int year, int month) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0))) return 29;
  return kDays[month - 1];
}

}  // namespace

bool IsTimestamp(std::string_view s) {
  size_t i = 0;
  int year = ReadNumber(s, &i, 4, 4);
  if (year < 0 || i >= s.size() || s[i] != '-') return false;
  ++i;
  int month = ReadNumber(s, &i, 1, 2);
  if (month < 1 || month > 12 || i >= s.size() || s[i] != '-') return false;
  ++i;
  int day = ReadNumber(s, &i, 1, 2);
  if (day < 1 || day > DaysIn(year, month)) return false;
  if (i == s.size()) return true;
  char sep = s[i];
  if (sep != 'T' && sep != 't' && sep != ' ') return false;
  ++i;
  int hour = ReadNumber(s, &i, 1, 2);
  if (hour < 0 || hour > 23 || i >= s.size() || s[i] != ':') return false;
  ++i;
  int minute = ReadNumber(s, &i, 1, 2);
  if (minute < 0 || minute > 59 || i >= s.size() || s[i] != ':') return false;
  ++i;
  int second = ReadNumber(s, &i, 1, 2);
  if (second < 0 || second > 59) return false;
  if (i < s.size() && s[i] == '.') {
    ++i;
    size_t start = i;
    while (i < s.size() && IsDigit(s[i])) ++i;
    if (i == start) return false;
  }
  if (sep == ' ') return i == s.size();
  if (i < s.size() && s[i] == 'Z') return i + 1 == s.size();
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
    ++i;
    if (ReadNumber(s, &i, 2, 2) < 0 || i >= s.size() || s[i] != ':') return false;
    ++i;
    if (ReadNumber(s, &i, 2, 2) < 0) return false;
    return i == s.size();
  }
  return false;
}

bool IsBase60Float(std::string_view s) {
  // ^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$
  if (s.find(':') == std::string_view::npos) return false;
  size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  if (i >= s.size() || !IsDigit(s[i])) return false;
  ++i;
  while (i < s.size() && (IsDigit(s[i]) || s[i] == '_')) ++i;
  int groups = 0;
  while (i < s.size() && s[i] == ':') {
    ++i;
    size_t start = i;
    while (i < s.size() && IsDigit(s[i]) && i - start < 2) ++i;
    size_t n = i - start;
    if (n == 0) return false;
    if (n == 2 && s[start] > '5') return false;
    ++groups;
  }
  if (groups == 0) return false;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && (IsDigit(s[i]) || s[i] == '_')) ++i;
  }
  return i == s.size();
}

ResolvedScalar ResolvePlain(std::string_view in) {
  ResolvedScalar r;
  if (in.empty()) return Of(ScalarType::kNull);
  char c = in[0];
  bool digit_or_sign = IsDigit(c) || c == '+' || c == '-';
  bool word = c == 'y' || c == 'Y' || c == 'n' || c == 'N' || c == 't' || c == 'T' || c == 'f' ||
              c == 'F' || c == 'o' || c == 'O' || c == '~' || c == '.';
  if (!digit_or_sign && !word) return r;  // a string
  if (LookupWord(in, &r)) return r;
  if (c == '.') {
    // Not a known word: maybe a float such as ".5".
    if (IsYamlStyleFloat(in)) {
      double f;
      if (ParseFloatText(in, &f)) return Float(f);
    }
    return Of(ScalarType::kString);
  }
  if (!digit_or_sign) return Of(ScalarType::kString);
  if (IsTimestamp(in)) return Of(ScalarType::kTimestamp);
  // go-yaml drops underscores before reading a number; most scalars have none.
  std::string without_underscores;
  std::string_view plain = in;
  if (in.find('_') != std::string_view::npos) {
    for (char ch : in) {
      if (ch != '_') without_underscores.push_back(ch);
    }
    plain = without_underscores;
  }
  int64_t i;
  if (ParseGoInt(plain, &i)) {
    r.type = ScalarType::kInt;
    r.integer = i;
    return r;
  }
  uint64_t u;
  if (ParseGoUint(plain, &u)) {
    r.type = ScalarType::kUint;
    r.unsigned_integer = u;
    return r;
  }
  if (IsYamlStyleFloat(plain)) {
    double f;
    if (ParseFloatText(plain, &f)) return Float(f);
  }
  // "-0b101": ParseInt does not take a sign before the 0b prefix in go-yaml's own check.
  if (plain.size() > 3 && plain.compare(0, 3, "-0b") == 0) {
    uint64_t bits;
    if (ParseGoUint("0b" + std::string(plain.substr(3)), &bits) &&
        bits <= static_cast<uint64_t>(INT64_MAX) + 1) {
      r.type = ScalarType::kInt;
      r.integer = static_cast<int64_t>(0 - bits);
      return r;
    }
  }
  return Of(ScalarType::kString);
}

}  // namespace kstack::yaml_internal
