#pragma once

// The sizing arithmetic of the Deployment controller, apart from its reads and writes: the
// strategy's bounds (maxSurge rounded up, maxUnavailable rounded down, as Kubernetes resolves
// them) and the spec.replicas each of a Deployment's ReplicaSets should have now — a rolling
// update within the bounds (the new ReplicaSet up to the surge; old ones down, unhealthy
// replicas first, while enough stay available), Recreate (old ones to zero, the new one once
// their pods are gone), a change of spec.replicas mid-rollout shared in proportion, and a paused
// Deployment that only scales. Pure functions; thread-safe.

#include <cstdint>
#include <map>
#include <string_view>
#include <vector>

#include "core/json.h"

namespace kstack::server::workloads {

inline constexpr std::string_view kDesiredReplicas = "deployment.kubernetes.io/desired-replicas";
inline constexpr std::string_view kMaxReplicas = "deployment.kubernetes.io/max-replicas";

struct DeploymentStrategy {
  bool recreate = false;
  int64_t max_surge = 0;
  int64_t max_unavailable = 0;
};

// The strategy of `deployment` for `replicas` (RollingUpdate 25%/25% when not given).
DeploymentStrategy StrategyOf(const Json& deployment, int64_t replicas);

// The wanted spec.replicas of every ReplicaSet in `sets` (keys point into `sets`). `new_rs` is
// the one of the current template (in `sets`; may be null only when `paused`).
std::map<const Json*, int64_t> PlanReplicaSetSizes(const std::vector<Json>& sets,
                                                   const Json* new_rs, int64_t replicas,
                                                   const DeploymentStrategy& strategy, bool paused);

// spec.replicas and a status count of a ReplicaSet (0 when absent).
int64_t SpecReplicas(const Json& rs);
int64_t StatusCount(const Json& rs, std::string_view field);
// Older first (creationTimestamp, then name).
bool OlderFirst(const Json* a, const Json* b);

}  // namespace kstack::server::workloads
