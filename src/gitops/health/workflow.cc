// argoproj.io Workflow (Argo Workflows), by its phase.

#include "gitops/health/builtin_checks.h"
#include "gitops/health/internal/fields.h"

namespace kstack::gitops::health {

HealthStatus AssessWorkflow(const Json& object) {
  const Json* status = internal::Member(&object, "status");
  const Json* phase_value = internal::Member(status, "phase");
  const Json* message_value = internal::Member(status, "message");
  std::string_view phase = phase_value != nullptr && phase_value->is_string()
                               ? std::string_view(phase_value->get_string())
                               : std::string_view();
  std::string message(message_value != nullptr && message_value->is_string()
                          ? std::string_view(message_value->get_string())
                          : std::string_view());
  if (phase.empty() || phase == "Pending" || phase == "Running") {
    return {HealthCode::kProgressing, message};
  }
  if (phase == "Succeeded") return {HealthCode::kHealthy, message};
  if (phase == "Failed" || phase == "Error") return {HealthCode::kDegraded, message};
  return {HealthCode::kUnknown, message};
}

}  // namespace kstack::gitops::health
