// apps/v1 Deployment, judged as `kubectl rollout status` judges a rollout.

#include <fmt/core.h>

#include "gitops/health/builtin_checks.h"
#include "gitops/health/internal/fields.h"

namespace kstack::gitops::health {

using internal::FieldReader;

HealthStatus AssessDeployment(const Json& object) {
  if (FindString(object, "apiVersion") != "apps/v1") {
    return internal::UnsupportedVersion("Deployment", object);
  }
  FieldReader f("Deployment");
  const Json* metadata = f.Object(&object, "metadata", "metadata");
  const Json* spec = f.Object(&object, "spec", "spec");
  const Json* status = f.Object(&object, "status", "status");
  bool paused = f.Bool(spec, "paused", "spec.paused");
  std::optional<int64_t> replicas = f.OptionalInt(spec, "replicas", "spec.replicas");
  int64_t generation = f.Int(metadata, "generation", "metadata.generation");
  int64_t observed = f.Int(status, "observedGeneration", "status.observedGeneration");
  int64_t status_replicas = f.Int(status, "replicas", "status.replicas");
  int64_t updated = f.Int(status, "updatedReplicas", "status.updatedReplicas");
  int64_t available = f.Int(status, "availableReplicas", "status.availableReplicas");
  const Json* progressing = internal::FindCondition(
      f, f.Array(status, "conditions", "status.conditions"), "Progressing", "status.conditions[]");
  std::string_view progressing_reason =
      f.String(progressing, "reason", "status.conditions[].reason");
  std::string_view name = f.String(metadata, "name", "metadata.name");
  if (f.failed()) return f.Error();

  if (paused) return {HealthCode::kSuspended, "Deployment is paused"};
  if (generation > observed) {
    return {HealthCode::kProgressing,
            "Waiting for rollout to finish: observed deployment generation less than desired "
            "generation"};
  }
  if (progressing_reason == "ProgressDeadlineExceeded") {
    return {HealthCode::kDegraded,
            fmt::format("Deployment {} exceeded its progress deadline", internal::GoQuote(name))};
  }
  if (replicas && updated < *replicas) {
    return {HealthCode::kProgressing,
            fmt::format("Waiting for rollout to finish: {} out of {} new replicas have been "
                        "updated...",
                        updated, *replicas)};
  }
  if (status_replicas > updated) {
    return {HealthCode::kProgressing,
            fmt::format("Waiting for rollout to finish: {} old replicas are pending termination...",
                        status_replicas - updated)};
  }
  if (available < updated) {
    return {HealthCode::kProgressing,
            fmt::format("Waiting for rollout to finish: {} of {} updated replicas are available...",
                        available, updated)};
  }
  return {HealthCode::kHealthy, ""};
}

}  // namespace kstack::gitops::health
