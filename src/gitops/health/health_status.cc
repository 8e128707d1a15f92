#include "gitops/health/health_status.h"

#include <array>

namespace kstack::gitops::health {
namespace {

constexpr std::array<std::string_view, 6> kNames = {"Healthy", "Suspended", "Progressing",
                                                    "Missing", "Degraded",  "Unknown"};

}  // namespace

std::string_view HealthCodeName(HealthCode code) { return kNames[static_cast<size_t>(code)]; }

std::optional<HealthCode> ParseHealthCode(std::string_view name) {
  for (size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i] == name) return static_cast<HealthCode>(i);
  }
  return std::nullopt;
}

std::string ToString(const HealthStatus& health) {
  std::string out(HealthCodeName(health.status));
  if (!health.message.empty()) {
    out += ": ";
    out += health.message;
  }
  return out;
}

std::ostream& operator<<(std::ostream& out, HealthCode code) { return out << HealthCodeName(code); }

std::ostream& operator<<(std::ostream& out, const HealthStatus& health) {
  return out << ToString(health);
}

}  // namespace kstack::gitops::health
