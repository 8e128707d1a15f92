// v1 PersistentVolumeClaim, by its phase.

#include "gitops/health/builtin_checks.h"
#include "gitops/health/internal/fields.h"

namespace kstack::gitops::health {

using internal::FieldReader;

HealthStatus AssessPersistentVolumeClaim(const Json& object) {
  if (FindString(object, "apiVersion") != "v1") {
    return internal::UnsupportedVersion("PersistentVolumeClaim", object);
  }
  FieldReader f("PersistentVolumeClaim");
  std::string_view phase = f.String(f.Object(&object, "status", "status"), "phase", "status.phase");
  if (f.failed()) return f.Error();
  if (phase == "Bound") return {HealthCode::kHealthy, ""};
  if (phase == "Pending") return {HealthCode::kProgressing, ""};
  if (phase == "Lost") return {HealthCode::kDegraded, ""};
  return {HealthCode::kUnknown, ""};
}

}  // namespace kstack::gitops::health
