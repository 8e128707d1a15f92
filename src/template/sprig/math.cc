// Sprig's integer and float math (numeric.go). The float operations go through decimal
// arithmetic as Sprig's do (shopspring/decimal from each float's shortest digits), so
// 1.2 * 2.4 * 10 * 4 is 115.2 and not 115.19999999999999.

#include <cmath>
#include <cstdlib>
#include <random>

#include "core/go_format.h"
#include "template/sprig/util.h"

namespace kstack::tmpl::sprig {
namespace {

// coefficient * 10^exponent, exact for the decimal forms of float64 values.
struct Decimal {
  __int128 coef = 0;
  int exp = 0;
};

Decimal FromFloat(double f) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.17g", f);
  // Shortest digits that round-trip: try increasing precision.
  for (int prec = 1; prec <= 17; ++prec) {
    std::snprintf(buf, sizeof(buf), "%.*e", prec - 1, f);
    if (std::strtod(buf, nullptr) == f) break;
  }
  Decimal d;
  bool neg = false;
  const char* p = buf;
  if (*p == '-') {
    neg = true;
    ++p;
  }
  int frac_digits = 0;
  bool in_frac = false;
  for (; *p && *p != 'e'; ++p) {
    if (*p == '.') {
      in_frac = true;
      continue;
    }
    d.coef = d.coef * 10 + (*p - '0');
    if (in_frac) ++frac_digits;
  }
  int e = *p == 'e' ? std::atoi(p + 1) : 0;
  d.exp = e - frac_digits;
  if (neg) d.coef = -d.coef;
  return d;
}

double ToDouble(const Decimal& d) {
  __int128 c = d.coef;
  bool neg = c < 0;
  if (neg) c = -c;
  std::string digits;
  if (c == 0) digits = "0";
  while (c > 0) {
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(c % 10)));
    c /= 10;
  }
  std::string text = (neg ? "-" : "") + digits + "e" + std::to_string(d.exp);
  return std::strtod(text.c_str(), nullptr);
}

void Align(Decimal* a, Decimal* b) {
  while (a->exp > b->exp) {
    a->coef *= 10;
    --a->exp;
  }
  while (b->exp > a->exp) {
    b->coef *= 10;
    --b->exp;
  }
}

Decimal Add(Decimal a, Decimal b) {
  Align(&a, &b);
  return Decimal{a.coef + b.coef, a.exp};
}
Decimal Sub(Decimal a, Decimal b) {
  Align(&a, &b);
  return Decimal{a.coef - b.coef, a.exp};
}
Decimal Mul(Decimal a, Decimal b) {
  Decimal d{a.coef * b.coef, a.exp + b.exp};
  while (d.coef != 0 && d.coef % 10 == 0) {
    d.coef /= 10;
    ++d.exp;
  }
  return d;
}

template <typename Op>
FuncResult DecimalOp(const Value& first, Args rest, Op op) {
  Decimal acc = FromFloat(ToFloat64(first));
  for (const Value& v : rest) acc = op(acc, FromFloat(ToFloat64(v)));
  return Value::Float(ToDouble(acc));
}

}  // namespace

void AddMath(FuncMap* m) {
  m->Add("add1", Fn({P::kAny}, [](CallContext&, Args a) -> FuncResult {
    return Int64(ToInt64(a[0]) + 1);
  }));
  m->Add("add", VarFn({}, P::kAny, [](CallContext&, Args a) -> FuncResult {
    int64_t sum = 0;
    for (const Value& v : a) sum += ToInt64(v);
    return Int64(sum);
  }));
  m->Add("sub", Fn({P::kAny, P::kAny}, [](CallContext&, Args a) -> FuncResult {
    return Int64(ToInt64(a[0]) - ToInt64(a[1]));
  }));
  m->Add("div", Fn({P::kAny, P::kAny}, [](CallContext&, Args a) -> FuncResult {
    int64_t d = ToInt64(a[1]);
    if (d == 0) return BadRequestError("runtime error: integer divide by zero");
    return Int64(ToInt64(a[0]) / d);
  }));
  m->Add("mod", Fn({P::kAny, P::kAny}, [](CallContext&, Args a) -> FuncResult {
    int64_t d = ToInt64(a[1]);
    if (d == 0) return BadRequestError("runtime error: integer divide by zero");
    return Int64(ToInt64(a[0]) % d);
  }));
  m->Add("mul", VarFn({P::kAny}, P::kAny, [](CallContext&, Args a) -> FuncResult {
    int64_t p = ToInt64(a[0]);
    for (size_t i = 1; i < a.size(); ++i) p *= ToInt64(a[i]);
    return Int64(p);
  }));
  m->Add("randInt", Fn({P::kInt, P::kInt}, [](CallContext&, Args a) -> FuncResult {
    int64_t lo = a[0].int_value(), hi = a[1].int_value();
    if (hi - lo <= 0) return BadRequestError("invalid argument to Intn");
    static thread_local std::mt19937_64 rng{std::random_device{}()};
    return Value::Int(lo + static_cast<int64_t>(rng() % static_cast<uint64_t>(hi - lo)));
  }));
  auto maxi = VarFn({P::kAny}, P::kAny, [](CallContext&, Args a) -> FuncResult {
    int64_t r = ToInt64(a[0]);
    for (size_t i = 1; i < a.size(); ++i) r = std::max(r, ToInt64(a[i]));
    return Int64(r);
  });
  m->Add("max", maxi);
  m->Add("biggest", maxi);
  m->Add("min", VarFn({P::kAny}, P::kAny, [](CallContext&, Args a) -> FuncResult {
    int64_t r = ToInt64(a[0]);
    for (size_t i = 1; i < a.size(); ++i) r = std::min(r, ToInt64(a[i]));
    return Int64(r);
  }));
  m->Add("maxf", VarFn({P::kAny}, P::kAny, [](CallContext&, Args a) -> FuncResult {
    double r = ToFloat64(a[0]);
    for (size_t i = 1; i < a.size(); ++i) r = std::fmax(r, ToFloat64(a[i]));
    return Value::Float(r);
  }));
  m->Add("minf", VarFn({P::kAny}, P::kAny, [](CallContext&, Args a) -> FuncResult {
    double r = ToFloat64(a[0]);
    for (size_t i = 1; i < a.size(); ++i) r = std::fmin(r, ToFloat64(a[i]));
    return Value::Float(r);
  }));
  m->Add("add1f", Fn({P::kAny}, [](CallContext&, Args a) -> FuncResult {
    Value one[] = {Value::Float(1)};
    return DecimalOp(a[0], one, Add);
  }));
  m->Add("addf", VarFn({}, P::kAny, [](CallContext&, Args a) -> FuncResult {
    return DecimalOp(Value::Float(0), a, Add);
  }));
  m->Add("subf", VarFn({P::kAny}, P::kAny, [](CallContext&, Args a) -> FuncResult {
    return DecimalOp(a[0], a.subspan(1), Sub);
  }));
  m->Add("mulf", VarFn({P::kAny}, P::kAny, [](CallContext&, Args a) -> FuncResult {
    return DecimalOp(a[0], a.subspan(1), Mul);
  }));
  m->Add("divf", VarFn({P::kAny}, P::kAny, [](CallContext&, Args a) -> FuncResult {
    double r = ToFloat64(a[0]);
    for (size_t i = 1; i < a.size(); ++i) {
      double d = ToFloat64(a[i]);
      if (d == 0) return BadRequestError("decimal division by 0");
      r /= d;
    }
    return Value::Float(r);
  }));
  m->Add("ceil", Fn({P::kAny}, [](CallContext&, Args a) -> FuncResult {
    return Value::Float(std::ceil(ToFloat64(a[0])));
  }));
  m->Add("floor", Fn({P::kAny}, [](CallContext&, Args a) -> FuncResult {
    return Value::Float(std::floor(ToFloat64(a[0])));
  }));
  m->Add("round", VarFn({P::kAny, P::kInt}, P::kFloat64, [](CallContext&, Args a) -> FuncResult {
    double round_on = a.size() > 2 ? a[2].float_value() : 0.5;
    double val = ToFloat64(a[0]);
    double pow = std::pow(10, static_cast<double>(a[1].int_value()));
    double digit = pow * val;
    double intpart = 0;
    double div = std::modf(digit, &intpart);
    double r = div >= round_on ? std::ceil(digit) : std::floor(digit);
    return Value::Float(r / pow);
  }));
  m->Add("toDecimal", Fn({P::kAny}, [](CallContext&, Args a) -> FuncResult {
    std::string s = StrVal(a[0]);
    char* end = nullptr;
    long long n = std::strtoll(s.c_str(), &end, 8);
    if (s.empty() || end != s.c_str() + s.size()) n = 0;
    return Int64(n);
  }));
}

}  // namespace kstack::tmpl::sprig
