#pragma once

// The health of one object, or of an application, with Argo CD's six codes and their meaning:
//   Healthy      the object is fully available;
//   Suspended    paused or suspended on purpose, waiting for someone to resume it;
//   Progressing  not healthy yet, but still able to get there;
//   Missing      absent from the cluster;
//   Degraded     failed, or gave up (a deadline exceeded, a crash loop);
//   Unknown      the assessment itself failed (a bad field, a Lua error).
// The enumerators are declared from the most to the least healthy: that is the order Argo CD
// ranks them in when an application takes the worst of its resources.

#include <optional>
#include <ostream>
#include <string>
#include <string_view>

namespace kstack::gitops::health {

enum class HealthCode { kHealthy, kSuspended, kProgressing, kMissing, kDegraded, kUnknown };

// "Healthy", "Suspended", ... as Argo CD writes them in Application.status.
std::string_view HealthCodeName(HealthCode code);
// The code of an exact (case-sensitive) name; nullopt for anything else, "" included.
std::optional<HealthCode> ParseHealthCode(std::string_view name);

// Whether `candidate` is less healthy than `current` in Argo CD's order.
inline bool IsWorse(HealthCode current, HealthCode candidate) { return candidate > current; }

struct HealthStatus {
  HealthCode status = HealthCode::kUnknown;
  // Why, in the words of the check; often empty when the object is healthy.
  std::string message;

  friend bool operator==(const HealthStatus&, const HealthStatus&) = default;
};

// "Progressing: Waiting for rollout to finish" (just the code when there is no message).
std::string ToString(const HealthStatus& health);
// For GoogleTest and logs.
std::ostream& operator<<(std::ostream& out, HealthCode code);
std::ostream& operator<<(std::ostream& out, const HealthStatus& health);

}  // namespace kstack::gitops::health
