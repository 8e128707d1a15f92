#include "gitops/app/duration.h"

#include <fmt/format.h>

#include <cctype>
#include <cmath>
#include <string>

namespace kstack::gitops::app {
namespace {

// Nanoseconds per unit, longest unit names first so that "ms" is not read as "m".
struct Unit {
  std::string_view name;
  double nanos;
};
constexpr Unit kUnits[] = {{"ns", 1},  {"us", 1e3}, {"µs", 1e3},  {"ms", 1e6},
                           {"s", 1e9}, {"m", 60e9}, {"h", 3600e9}};

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace

Result<std::chrono::nanoseconds> ParseDuration(std::string_view text, std::string_view field) {
  auto invalid = [&] {
    return InvalidError(fmt::format("{}: invalid duration \"{}\"", field, text));
  };
  if (AllDigits(text)) {
    if (text.size() > 12) return invalid();
    return std::chrono::seconds(std::stoll(std::string(text)));
  }
  std::string_view rest = text;
  bool negative = false;
  if (!rest.empty() && (rest.front() == '-' || rest.front() == '+')) {
    negative = rest.front() == '-';
    rest.remove_prefix(1);
  }
  if (rest == "0") return std::chrono::nanoseconds(0);
  if (rest.empty()) return invalid();
  double total = 0;
  while (!rest.empty()) {
    size_t n = 0;
    while (n < rest.size() &&
           (std::isdigit(static_cast<unsigned char>(rest[n])) || rest[n] == '.')) {
      ++n;
    }
    std::string number(rest.substr(0, n));
    if (number.empty() || number == "." || number.find('.') != number.rfind('.')) return invalid();
    rest.remove_prefix(n);
    const Unit* unit = nullptr;
    for (const Unit& u : kUnits) {
      if (rest.starts_with(u.name) && (unit == nullptr || u.name.size() > unit->name.size())) {
        unit = &u;
      }
    }
    if (unit == nullptr) return invalid();
    rest.remove_prefix(unit->name.size());
    total += std::stod(number) * unit->nanos;
  }
  if (total > 9.2e18) return invalid();
  auto nanos = std::chrono::nanoseconds(static_cast<int64_t>(std::llround(total)));
  return negative ? -nanos : nanos;
}

}  // namespace kstack::gitops::app
