// apiregistration.k8s.io APIService (v1, v1beta1), by its Available condition.

#include <fmt/core.h>

#include "gitops/health/builtin_checks.h"
#include "gitops/health/internal/fields.h"

namespace kstack::gitops::health {

using internal::FieldReader;

HealthStatus AssessAPIService(const Json& object) {
  std::string_view api_version = FindString(object, "apiVersion");
  if (api_version != "apiregistration.k8s.io/v1" &&
      api_version != "apiregistration.k8s.io/v1beta1") {
    return internal::UnsupportedVersion("APIService", object);
  }
  FieldReader f("APIService");
  const Json* status = f.Object(&object, "status", "status");
  const Json* available = internal::FindCondition(
      f, f.Array(status, "conditions", "status.conditions"), "Available", "status.conditions[]");
  std::string_view condition_status = f.String(available, "status", "status.conditions[].status");
  std::string message =
      fmt::format("{}: {}", f.String(available, "reason", "status.conditions[].reason"),
                  f.String(available, "message", "status.conditions[].message"));
  if (f.failed()) return f.Error();

  if (available == nullptr) return {HealthCode::kProgressing, "Waiting to be processed"};
  if (condition_status == "True") return {HealthCode::kHealthy, message};
  return {HealthCode::kProgressing, message};
}

}  // namespace kstack::gitops::health
