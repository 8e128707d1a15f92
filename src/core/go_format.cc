#include "core/go_format.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>

namespace kstack {
namespace {

// The shortest decimal digits of a value and the position of its decimal point:
// value = 0.d1d2...dn * 10^point.
struct Digits {
  char digits[32];
  int count = 0;
  int point = 0;
  bool negative = false;
};

Digits ShortestDigits(double v, int bits) {
  Digits d;
  d.negative = std::signbit(v);
  char buf[64];
  std::to_chars_result r;
  if (bits == 32) {
    r = std::to_chars(buf, buf + sizeof(buf), std::fabs(static_cast<float>(v)),
                      std::chars_format::scientific);
  } else {
    r = std::to_chars(buf, buf + sizeof(buf), std::fabs(v), std::chars_format::scientific);
  }
  *r.ptr = '\0';
  // buf is "d[.ddd]e[+-]xx".
  const char* p = buf;
  while (*p != 'e') {
    if (*p != '.') {
      d.digits[d.count++] = *p;
    }
    ++p;
  }
  int exponent = std::atoi(p + 1);
  // Trim trailing zeros (to_chars gives "1e+00" for 1, never padded, but be safe).
  while (d.count > 1 && d.digits[d.count - 1] == '0') {
    --d.count;
  }
  d.point = exponent + 1;
  if (d.count == 1 && d.digits[0] == '0') {
    d.point = 1;
  }
  return d;
}

void AppendExponentForm(std::string* out, const Digits& d, bool short_exponent) {
  if (d.negative) {
    out->push_back('-');
  }
  out->push_back(d.digits[0]);
  if (d.count > 1) {
    out->push_back('.');
    out->append(d.digits + 1, d.count - 1);
  }
  out->push_back('e');
  int exp = (d.digits[0] == '0') ? 0 : d.point - 1;
  out->push_back(exp < 0 ? '-' : '+');
  if (exp < 0) {
    exp = -exp;
  }
  if (exp < 10 && !short_exponent) {
    out->push_back('0');
  }
  out->append(std::to_string(exp));
}

void AppendFixedForm(std::string* out, const Digits& d) {
  if (d.negative) {
    out->push_back('-');
  }
  if (d.point <= 0) {
    out->push_back('0');
  } else {
    for (int i = 0; i < d.point; ++i) {
      out->push_back(i < d.count ? d.digits[i] : '0');
    }
  }
  if (d.count > d.point) {
    out->push_back('.');
    for (int i = d.point; i < 0; ++i) {
      out->push_back('0');
    }
    for (int i = d.point < 0 ? 0 : d.point; i < d.count; ++i) {
      out->push_back(d.digits[i]);
    }
  }
}

}  // namespace

std::string FormatGoFloatG(double v, int bits) {
  if (std::isnan(v)) {
    return "NaN";
  }
  if (std::isinf(v)) {
    return v > 0 ? "+Inf" : "-Inf";
  }
  Digits d = ShortestDigits(v, bits);
  std::string out;
  // Go switches to %e when the exponent is < -4 or >= 6 (the precision it uses for this
  // decision when formatting the shortest digits).
  int exp = d.point - 1;
  if (d.digits[0] == '0') {
    exp = 0;
  }
  if (exp < -4 || exp >= 6) {
    AppendExponentForm(&out, d, false);
  } else {
    AppendFixedForm(&out, d);
  }
  return out;
}

void AppendGoJsonFloat(std::string* out, double v) {
  double a = std::fabs(v);
  Digits d = ShortestDigits(v, 64);
  if (a != 0 && (a < 1e-6 || a >= 1e21)) {
    AppendExponentForm(out, d, true);
  } else {
    AppendFixedForm(out, d);
  }
}

bool GoJsonInteger(double v, int64_t* out) {
  if (!std::isfinite(v) || v != std::trunc(v) || std::fabs(v) >= 1e21) return false;
  std::string text;
  AppendGoJsonFloat(&text, v);
  auto r = std::from_chars(text.data(), text.data() + text.size(), *out);
  return r.ec == std::errc() && r.ptr == text.data() + text.size();
}

}  // namespace kstack
