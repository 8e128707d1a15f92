#include "server/workloads/deployment_scaling.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace kstack::server::workloads {
namespace {

// A ReplicaSet of `spec` replicas, `current` of them existing and `available` available,
// sized for `desired` (and max) replicas when given.
Json Rs(std::string_view name, int64_t spec, int64_t current, int64_t available,
        int64_t desired = -1, int64_t max = -1) {
  JsonObject annotations;
  if (desired >= 0) annotations[kDesiredReplicas] = std::to_string(desired);
  if (max >= 0) annotations[kMaxReplicas] = std::to_string(max);
  return JsonObject{
      {"metadata", JsonObject{{"name", name},
                              {"creationTimestamp", fmt::format("2024-01-01T00:00:0{}Z", name)},
                              {"annotations", std::move(annotations)}}},
      {"spec", JsonObject{{"replicas", spec}}},
      {"status", JsonObject{{"replicas", current}, {"availableReplicas", available}}}};
}

// The planned sizes, oldest first, the new ReplicaSet (the last) included.
std::vector<int64_t> Plan(const std::vector<Json>& sets, int64_t replicas,
                          DeploymentStrategy strategy, bool paused = false) {
  std::map<const Json*, int64_t> want =
      PlanReplicaSetSizes(sets, &sets.back(), replicas, strategy, paused);
  std::vector<int64_t> out;
  for (const Json& rs : sets) out.push_back(want.at(&rs));
  return out;
}

TEST(DeploymentScalingTest, StrategyBoundsRoundAsKubernetesDoes) {
  Json d = *ParseJson(R"({"spec":{"strategy":{"type":"RollingUpdate"}}})");
  DeploymentStrategy s = StrategyOf(d, 10);
  EXPECT_EQ(s.max_surge, 3);        // 25% of 10 rounded up
  EXPECT_EQ(s.max_unavailable, 2);  // rounded down
  Json none =
      *ParseJson(R"({"spec":{"strategy":{"rollingUpdate":{"maxSurge":0,"maxUnavailable":0}}}})");
  EXPECT_EQ(StrategyOf(none, 4).max_unavailable, 1);
  EXPECT_TRUE(StrategyOf(*ParseJson(R"({"spec":{"strategy":{"type":"Recreate"}}})"), 4).recreate);
}

TEST(DeploymentScalingTest, RollingUpdateStaysWithinSurgeAndUnavailability) {
  DeploymentStrategy s{.max_surge = 1, .max_unavailable = 1};
  // The first step: one new pod over the surge, one old one down.
  EXPECT_EQ(Plan({Rs("1", 4, 4, 4, 4, 5), Rs("2", 0, 0, 0)}, 4, s), (std::vector<int64_t>{3, 1}));
  // Old pods not gone yet count against the surge: no new one until they are.
  EXPECT_EQ(Plan({Rs("1", 3, 4, 4, 4, 5), Rs("2", 1, 1, 0)}, 4, s), (std::vector<int64_t>{3, 1}));
  // Room again, but the new pods are not available: the old ones stay.
  EXPECT_EQ(Plan({Rs("1", 3, 3, 3, 4, 5), Rs("2", 1, 1, 0)}, 4, s), (std::vector<int64_t>{3, 2}));
  // Unhealthy old replicas go first, beyond what availability alone allows.
  EXPECT_EQ(Plan({Rs("1", 3, 3, 1, 4, 5), Rs("2", 2, 2, 2)}, 4, s), (std::vector<int64_t>{1, 2}));
}

TEST(DeploymentScalingTest, RecreateWaitsForTheOldPodsToGo) {
  DeploymentStrategy s{.recreate = true};
  EXPECT_EQ(Plan({Rs("1", 2, 2, 2), Rs("2", 0, 0, 0)}, 2, s), (std::vector<int64_t>{0, 0}));
  EXPECT_EQ(Plan({Rs("1", 0, 0, 0), Rs("2", 0, 0, 0)}, 2, s), (std::vector<int64_t>{0, 2}));
}

TEST(DeploymentScalingTest, ScalingMidRolloutIsSharedInProportion) {
  DeploymentStrategy s{.max_surge = 2, .max_unavailable = 2};
  EXPECT_EQ(Plan({Rs("1", 3, 3, 3, 4, 5), Rs("2", 2, 2, 0, 4, 5)}, 8, s),
            (std::vector<int64_t>{6, 4}));
  // Down to zero: everything goes.
  EXPECT_EQ(Plan({Rs("1", 3, 3, 3, 4, 5), Rs("2", 2, 2, 0, 4, 5)}, 0, s),
            (std::vector<int64_t>{0, 0}));
}

TEST(DeploymentScalingTest, APausedDeploymentOnlyScales) {
  DeploymentStrategy s{.max_surge = 1, .max_unavailable = 1};
  EXPECT_EQ(Plan({Rs("1", 4, 4, 4), Rs("2", 0, 0, 0)}, 6, s, true), (std::vector<int64_t>{6, 0}));
}

}  // namespace
}  // namespace kstack::server::workloads
