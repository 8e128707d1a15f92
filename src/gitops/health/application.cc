// argoproj.io Application seen as the child of an app of apps: it reports its own health in
// status.health, and that is its health as a resource. Until it reports one it is
// Progressing. A reported code that is not one of the six is Unknown, as Argo CD's Lua check
// makes it.

#include "gitops/health/builtin_checks.h"
#include "gitops/health/internal/fields.h"

namespace kstack::gitops::health {

HealthStatus AssessApplication(const Json& object) {
  const Json* status = internal::Member(&object, "status");
  const Json* health = internal::Member(status, "health");
  if (health == nullptr) return {HealthCode::kProgressing, ""};
  const Json* code = internal::Member(health, "status");
  const Json* message = internal::Member(health, "message");
  if ((code != nullptr && !code->is_string()) || (message != nullptr && !message->is_string())) {
    return {HealthCode::kUnknown, "Lua returned an invalid health status"};
  }
  std::optional<HealthCode> parsed =
      code != nullptr ? ParseHealthCode(code->get_string()) : std::nullopt;
  if (!parsed) return {HealthCode::kUnknown, "Lua returned an invalid health status"};
  return {*parsed, message != nullptr ? std::string(message->get_string()) : ""};
}

}  // namespace kstack::gitops::health
