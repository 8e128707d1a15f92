// batch/v1 Job, by its conditions. Only the condition types count, not their status (the
// controller adds Failed and Complete only when true), except Suspended, which a resumed Job
// keeps with status False.

#include "gitops/health/builtin_checks.h"
#include "gitops/health/internal/fields.h"

namespace kstack::gitops::health {

using internal::FieldReader;

HealthStatus AssessJob(const Json& object) {
  if (FindString(object, "apiVersion") != "batch/v1") {
    return internal::UnsupportedVersion("Job", object);
  }
  FieldReader f("Job");
  const Json* status = f.Object(&object, "status", "status");
  const JsonArray* conditions = f.Array(status, "conditions", "status.conditions");
  bool failed = false;
  bool complete = false;
  bool suspended = false;
  std::string_view fail_message;
  std::string_view message;
  if (conditions != nullptr) {
    for (const Json& element : *conditions) {
      const Json* condition = f.Element(element, "status.conditions[]");
      std::string_view type = f.String(condition, "type", "status.conditions[].type");
      std::string_view text = f.String(condition, "message", "status.conditions[].message");
      if (type == "Failed") {
        failed = true;
        complete = true;
        fail_message = text;
      } else if (type == "Complete") {
        complete = true;
        message = text;
      } else if (type == "Suspended") {
        complete = true;
        message = text;
        if (f.String(condition, "status", "status.conditions[].status") == "True") {
          suspended = true;
        }
      }
    }
  }
  if (f.failed()) return f.Error();

  if (!complete) return {HealthCode::kProgressing, std::string(message)};
  if (failed) return {HealthCode::kDegraded, std::string(fail_message)};
  if (suspended) return {HealthCode::kSuspended, std::string(message)};
  return {HealthCode::kHealthy, std::string(message)};
}

}  // namespace kstack::gitops::health
