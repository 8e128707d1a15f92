// apps/v1 DaemonSet, judged as `kubectl rollout status` judges a rollout.

#include <fmt/core.h>

#include "gitops/health/builtin_checks.h"
#include "gitops/health/internal/fields.h"

namespace kstack::gitops::health {

using internal::FieldReader;

HealthStatus AssessDaemonSet(const Json& object) {
  if (FindString(object, "apiVersion") != "apps/v1") {
    return internal::UnsupportedVersion("DaemonSet", object);
  }
  FieldReader f("DaemonSet");
  const Json* metadata = f.Object(&object, "metadata", "metadata");
  const Json* spec = f.Object(&object, "spec", "spec");
  const Json* status = f.Object(&object, "status", "status");
  std::string_view name = f.String(metadata, "name", "metadata.name");
  int64_t generation = f.Int(metadata, "generation", "metadata.generation");
  const Json* strategy = f.Object(spec, "updateStrategy", "spec.updateStrategy");
  std::string_view strategy_type = f.String(strategy, "type", "spec.updateStrategy.type");
  int64_t observed = f.Int(status, "observedGeneration", "status.observedGeneration");
  int64_t updated = f.Int(status, "updatedNumberScheduled", "status.updatedNumberScheduled");
  int64_t desired = f.Int(status, "desiredNumberScheduled", "status.desiredNumberScheduled");
  int64_t available = f.Int(status, "numberAvailable", "status.numberAvailable");
  if (f.failed()) return f.Error();

  if (generation > observed) {
    return {HealthCode::kProgressing,
            "Waiting for rollout to finish: observed daemon set generation less than desired "
            "generation"};
  }
  if (strategy_type == "OnDelete") {
    return {HealthCode::kHealthy,
            fmt::format("daemon set {} out of {} new pods have been updated", updated, desired)};
  }
  if (updated < desired) {
    return {HealthCode::kProgressing,
            fmt::format("Waiting for daemon set {} rollout to finish: {} out of {} new pods have "
                        "been updated...",
                        internal::GoQuote(name), updated, desired)};
  }
  if (available < desired) {
    return {HealthCode::kProgressing,
            fmt::format("Waiting for daemon set {} rollout to finish: {} of {} updated pods are "
                        "available...",
                        internal::GoQuote(name), available, desired)};
  }
  return {HealthCode::kHealthy, ""};
}

}  // namespace kstack::gitops::health
