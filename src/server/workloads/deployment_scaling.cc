#include "server/workloads/deployment_scaling.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "server/workloads/objects.h"

namespace kstack::server::workloads {
namespace {

int64_t AnnotatedCount(const Json& rs, std::string_view key) {
  const Json* annotations = At(rs, {"metadata", "annotations"});
  std::string text(annotations ? FindString(*annotations, key) : "");
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos) return -1;
  return std::atoll(text.c_str());
}

// Several ReplicaSets have replicas and one was sized for another spec.replicas.
bool ScalingEvent(const std::vector<Json>& sets, int64_t replicas) {
  int active = 0;
  bool other = false;
  for (const Json& rs : sets) {
    if (SpecReplicas(rs) == 0) continue;
    ++active;
    int64_t desired = AnnotatedCount(rs, kDesiredReplicas);
    if (desired >= 0 && desired != replicas) other = true;
  }
  return active > 1 && other;
}

// Kubernetes' proportional scaling: the difference between replicas + maxSurge and what the
// active ReplicaSets hold, shared by their size against the size they were scaled for
// (max-replicas), larger ones first; what rounding leaves goes to the largest.
void ScaleProportionally(const std::vector<Json>& sets, const Json* new_rs, int64_t replicas,
                         int64_t max_surge, std::map<const Json*, int64_t>& want) {
  std::vector<const Json*> active;
  int64_t total = 0;
  for (const Json& rs : sets) {
    if (SpecReplicas(rs) > 0) active.push_back(&rs), total += SpecReplicas(rs);
  }
  int64_t allowed = replicas > 0 ? replicas + max_surge : 0;
  int64_t to_add = allowed - total;
  if (to_add == 0 || active.empty()) return;
  std::sort(active.begin(), active.end(), [&](const Json* a, const Json* b) {
    if (SpecReplicas(*a) != SpecReplicas(*b)) {
      return to_add > 0 ? SpecReplicas(*a) > SpecReplicas(*b) : SpecReplicas(*a) < SpecReplicas(*b);
    }
    return (a == new_rs) > (b == new_rs);
  });
  int64_t added = 0;
  for (const Json* rs : active) {
    int64_t size = SpecReplicas(*rs);
    int64_t fraction = -size;
    if (replicas > 0) {
      int64_t annotated = AnnotatedCount(*rs, kMaxReplicas);
      if (annotated <= 0) annotated = std::max<int64_t>(total, 1);
      int64_t scaled = static_cast<int64_t>(
          std::llround(static_cast<double>(size) * static_cast<double>(allowed) / annotated));
      fraction = scaled - size;
    }
    int64_t proportion =
        to_add > 0 ? std::min(fraction, to_add - added) : std::max(fraction, to_add - added);
    want[rs] = size + proportion;
    added += proportion;
  }
  if (added != to_add) {
    const Json* largest = active.front();
    want[largest] = std::max<int64_t>(want[largest] + (to_add - added), 0);
  }
}
}  // namespace

int64_t SpecReplicas(const Json& rs) { return IntAt(rs, {"spec", "replicas"}, 0); }
int64_t StatusCount(const Json& rs, std::string_view field) {
  return IntAt(rs, {"status", field}, 0);
}

bool OlderFirst(const Json* a, const Json* b) {
  if (Meta(*a, "creationTimestamp") != Meta(*b, "creationTimestamp")) {
    return Meta(*a, "creationTimestamp") < Meta(*b, "creationTimestamp");
  }
  return Meta(*a, "name") < Meta(*b, "name");
}

DeploymentStrategy StrategyOf(const Json& d, int64_t replicas) {
  DeploymentStrategy s;
  const Json* type = At(d, {"spec", "strategy", "type"});
  s.recreate = type && type->is_string() && type->get_string() == "Recreate";
  if (s.recreate) return s;
  const Json* rolling = At(d, {"spec", "strategy", "rollingUpdate"});
  Json quarter = "25%";
  s.max_surge =
      ScaledValue(rolling ? FindMember(*rolling, "maxSurge") : &quarter, replicas, true, 0);
  s.max_unavailable =
      ScaledValue(rolling ? FindMember(*rolling, "maxUnavailable") : &quarter, replicas, false, 0);
  if (s.max_surge == 0 && s.max_unavailable == 0) s.max_unavailable = 1;
  if (s.max_unavailable > replicas) s.max_unavailable = replicas;
  return s;
}

std::map<const Json*, int64_t> PlanReplicaSetSizes(const std::vector<Json>& sets,
                                                   const Json* new_rs, int64_t replicas,
                                                   const DeploymentStrategy& strategy,
                                                   bool paused) {
  std::vector<const Json*> olds;
  for (const Json& rs : sets) {
    if (&rs != new_rs) olds.push_back(&rs);
  }
  std::sort(olds.begin(), olds.end(), OlderFirst);
  std::map<const Json*, int64_t> want;
  for (const Json& rs : sets) want[&rs] = SpecReplicas(rs);
  auto total_wanted = [&] {
    int64_t sum = 0;
    for (const auto& [rs, n] : want) sum += n;
    return sum;
  };
  if (paused) {
    // Only scaling: the one active ReplicaSet follows spec.replicas.
    std::vector<const Json*> active;
    for (const Json& rs : sets) {
      if (SpecReplicas(rs) > 0) active.push_back(&rs);
    }
    if (active.size() == 1) want[active[0]] = replicas;
    if (active.empty() && new_rs != nullptr) want[new_rs] = replicas;
  } else if (!strategy.recreate && ScalingEvent(sets, replicas)) {
    // spec.replicas changed while several ReplicaSets are active: each grows or shrinks in
    // proportion to its share, as Kubernetes scales a Deployment mid-rollout; the rollout goes
    // on at the next look.
    ScaleProportionally(sets, new_rs, replicas, strategy.max_surge, want);
  } else if (strategy.recreate) {
    bool old_running = false;
    for (const Json* rs : olds) {
      want[rs] = 0;
      if (StatusCount(*rs, "replicas") > 0) old_running = true;
    }
    if (!old_running) want[new_rs] = replicas;
  } else {
    // Scale the new ReplicaSet up within maxSurge.
    int64_t& current = want[new_rs];
    if (current > replicas) {
      current = replicas;
    } else if (current < replicas) {
      int64_t max_total = replicas + strategy.max_surge;
      // Old pods count until their ReplicaSet has removed them (its status says so), so that
      // the pods that exist stay within maxSurge, not only the ReplicaSets' sizes.
      int64_t all = 0;
      for (const auto& [rs, n] : want) {
        all += rs == new_rs ? n : std::max(n, StatusCount(*rs, "replicas"));
      }
      if (all < max_total) current += std::min(max_total - all, replicas - current);
    }
    // Scale old ones down within maxUnavailable: unhealthy replicas first, then by
    // availability.
    int64_t min_available = replicas - strategy.max_unavailable;
    int64_t new_unavailable = want[new_rs] - StatusCount(*new_rs, "availableReplicas");
    int64_t max_scaled_down = total_wanted() - min_available - new_unavailable;
    if (max_scaled_down > 0) {
      int64_t cleaned = 0;
      for (const Json* rs : olds) {
        if (cleaned >= max_scaled_down) break;
        int64_t n = want[rs];
        int64_t available = StatusCount(*rs, "availableReplicas");
        if (n == 0 || n <= available) continue;
        int64_t down = std::min(max_scaled_down - cleaned, n - available);
        want[rs] = n - down;
        cleaned += down;
      }
      int64_t available_all = 0;
      for (const Json& rs : sets) available_all += StatusCount(rs, "availableReplicas");
      if (available_all > min_available) {
        int64_t budget = available_all - min_available;
        int64_t scaled = 0;
        for (const Json* rs : olds) {
          if (scaled >= budget) break;
          int64_t n = want[rs];
          if (n == 0) continue;
          int64_t down = std::min(n, budget - scaled);
          want[rs] = n - down;
          scaled += down;
        }
      }
    }
  }
  return want;
}

}  // namespace kstack::server::workloads
