// batch CronJob, as Argo CD's bundled check judges it. A CronJob's status says when it last
// scheduled a run and when a run last succeeded, nothing more, so most states are Healthy:
// only a last success older than the last schedule, with nothing running, is a failure.
// Suspended CronJobs are reported Healthy (Argo CD does so on purpose, so that a suspended
// CronJob does not hold an app in Suspended).

#include "gitops/health/builtin_checks.h"
#include "gitops/health/internal/fields.h"

namespace kstack::gitops::health {

using internal::FieldReader;

HealthStatus AssessCronJob(const Json& object) {
  FieldReader f("CronJob");
  const Json* spec = f.Object(&object, "spec", "spec");
  const Json* status = f.Object(&object, "status", "status");
  bool suspend = f.Bool(spec, "suspend", "spec.suspend");
  const Json* last_schedule = internal::Member(status, "lastScheduleTime");
  const Json* last_success = internal::Member(status, "lastSuccessfulTime");
  const JsonArray* active = f.Array(status, "active", "status.active");
  if (f.failed()) return f.Error();

  if (suspend) return {HealthCode::kHealthy, "CronJob is Suspended"};
  if (status == nullptr) return {HealthCode::kProgressing, "Waiting for CronJob"};
  if (last_schedule == nullptr) return {HealthCode::kHealthy, "CronJob has not been scheduled yet"};
  if (last_success == nullptr) {
    // Either the first run has not finished or no run ever succeeded; nothing tells which.
    return {HealthCode::kHealthy,
            "The CronJob never completed successfully. It may not be healthy"};
  }
  if (active != nullptr && !active->empty()) {
    // While a run is active the last success is older than the last schedule anyway.
    return {HealthCode::kHealthy,
            "The job is running. Its last execution may not have been successful"};
  }
  std::string_view schedule = f.String(status, "lastScheduleTime", "status.lastScheduleTime");
  std::string_view success = f.String(status, "lastSuccessfulTime", "status.lastSuccessfulTime");
  if (f.failed()) return f.Error();
  // RFC 3339 times in UTC compare as text.
  if (success < schedule) {
    return {HealthCode::kDegraded, "CronJob has not completed its last execution successfully"};
  }
  return {HealthCode::kHealthy, "CronJob has completed its last execution successfully"};
}

}  // namespace kstack::gitops::health
