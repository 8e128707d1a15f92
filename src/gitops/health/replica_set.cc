// apps/v1 ReplicaSet: its ReplicaFailure condition, then its available replicas.

#include <fmt/core.h>

#include "gitops/health/builtin_checks.h"
#include "gitops/health/internal/fields.h"

namespace kstack::gitops::health {

using internal::FieldReader;

HealthStatus AssessReplicaSet(const Json& object) {
  if (FindString(object, "apiVersion") != "apps/v1") {
    return internal::UnsupportedVersion("ReplicaSet", object);
  }
  FieldReader f("ReplicaSet");
  const Json* metadata = f.Object(&object, "metadata", "metadata");
  const Json* spec = f.Object(&object, "spec", "spec");
  const Json* status = f.Object(&object, "status", "status");
  int64_t generation = f.Int(metadata, "generation", "metadata.generation");
  std::optional<int64_t> replicas = f.OptionalInt(spec, "replicas", "spec.replicas");
  int64_t observed = f.Int(status, "observedGeneration", "status.observedGeneration");
  int64_t available = f.Int(status, "availableReplicas", "status.availableReplicas");
  const Json* failure =
      internal::FindCondition(f, f.Array(status, "conditions", "status.conditions"),
                              "ReplicaFailure", "status.conditions[]");
  std::string_view failure_status = f.String(failure, "status", "status.conditions[].status");
  std::string_view failure_message = f.String(failure, "message", "status.conditions[].message");
  if (f.failed()) return f.Error();

  if (generation > observed) {
    return {HealthCode::kProgressing,
            "Waiting for rollout to finish: observed replica set generation less than desired "
            "generation"};
  }
  if (failure != nullptr && failure_status == "True") {
    return {HealthCode::kDegraded, std::string(failure_message)};
  }
  if (replicas && available < *replicas) {
    return {HealthCode::kProgressing,
            fmt::format("Waiting for rollout to finish: {} out of {} new replicas are "
                        "available...",
                        available, *replicas)};
  }
  return {HealthCode::kHealthy, ""};
}

}  // namespace kstack::gitops::health
