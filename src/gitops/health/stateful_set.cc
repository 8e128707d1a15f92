// apps/v1 StatefulSet, judged as `kubectl rollout status` judges a rollout.

#include <fmt/core.h>

#include "gitops/health/builtin_checks.h"
#include "gitops/health/internal/fields.h"

namespace kstack::gitops::health {

using internal::FieldReader;

HealthStatus AssessStatefulSet(const Json& object) {
  if (FindString(object, "apiVersion") != "apps/v1") {
    return internal::UnsupportedVersion("StatefulSet", object);
  }
  FieldReader f("StatefulSet");
  const Json* metadata = f.Object(&object, "metadata", "metadata");
  const Json* spec = f.Object(&object, "spec", "spec");
  const Json* status = f.Object(&object, "status", "status");
  const Json* strategy = f.Object(spec, "updateStrategy", "spec.updateStrategy");
  std::string_view strategy_type = f.String(strategy, "type", "spec.updateStrategy.type");
  const Json* rolling = f.Object(strategy, "rollingUpdate", "spec.updateStrategy.rollingUpdate");
  std::optional<int64_t> partition =
      f.OptionalInt(rolling, "partition", "spec.updateStrategy.rollingUpdate.partition");
  std::optional<int64_t> replicas = f.OptionalInt(spec, "replicas", "spec.replicas");
  int64_t generation = f.Int(metadata, "generation", "metadata.generation");
  int64_t observed = f.Int(status, "observedGeneration", "status.observedGeneration");
  int64_t ready = f.Int(status, "readyReplicas", "status.readyReplicas");
  int64_t updated = f.Int(status, "updatedReplicas", "status.updatedReplicas");
  int64_t current = f.Int(status, "currentReplicas", "status.currentReplicas");
  std::string_view update_revision = f.String(status, "updateRevision", "status.updateRevision");
  std::string_view current_revision = f.String(status, "currentRevision", "status.currentRevision");
  if (f.failed()) return f.Error();

  if (observed == 0 || generation > observed) {
    return {HealthCode::kProgressing, "Waiting for statefulset spec update to be observed..."};
  }
  if (replicas && ready < *replicas) {
    return {HealthCode::kProgressing,
            fmt::format("Waiting for {} pods to be ready...", *replicas - ready)};
  }
  if (strategy_type == "RollingUpdate" && rolling != nullptr) {
    if (replicas && partition && updated < *replicas - *partition) {
      return {HealthCode::kProgressing,
              fmt::format("Waiting for partitioned roll out to finish: {} out of {} new pods "
                          "have been updated...",
                          updated, *replicas - *partition)};
    }
    return {
        HealthCode::kHealthy,
        fmt::format("partitioned roll out complete: {} new pods have been updated...", updated)};
  }
  if (strategy_type == "OnDelete") {
    return {HealthCode::kHealthy, fmt::format("statefulset has {} ready pods", ready)};
  }
  if (update_revision != current_revision) {
    return {HealthCode::kProgressing,
            fmt::format("waiting for statefulset rolling update to complete {} pods at revision "
                        "{}...",
                        updated, update_revision)};
  }
  return {HealthCode::kHealthy,
          fmt::format("statefulset rolling update complete {} pods at revision {}...", current,
                      current_revision)};
}

}  // namespace kstack::gitops::health
