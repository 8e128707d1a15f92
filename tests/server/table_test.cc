#include "server/table.h"

#include <gtest/gtest.h>

namespace kstack::server {
namespace {

using std::chrono::seconds;

TEST(HumanDuration, KubernetesAgeText) {
  EXPECT_EQ(HumanDuration(seconds(-5)), "<invalid>");
  EXPECT_EQ(HumanDuration(seconds(-1)), "0s");
  EXPECT_EQ(HumanDuration(seconds(45)), "45s");
  EXPECT_EQ(HumanDuration(seconds(119)), "119s");
  EXPECT_EQ(HumanDuration(seconds(120)), "2m");
  EXPECT_EQ(HumanDuration(seconds(192)), "3m12s");
  EXPECT_EQ(HumanDuration(seconds(15 * 60 + 7)), "15m");
  EXPECT_EQ(HumanDuration(seconds(5 * 3600 + 20 * 60)), "5h20m");
  EXPECT_EQ(HumanDuration(seconds(30 * 3600)), "30h");
  EXPECT_EQ(HumanDuration(seconds(51 * 3600)), "2d3h");
  EXPECT_EQ(HumanDuration(seconds(100 * 86400)), "100d");
  EXPECT_EQ(HumanDuration(seconds((3 * 365 + 45) * 86400)), "3y45d");
  EXPECT_EQ(HumanDuration(seconds(10 * 365 * 86400)), "10y");
}

TEST(Table, PodsShowReadyStatusRestartsAge) {
  const auto* pods = machinery::FindBuiltinResource("", "v1", "pods");
  Json pod = ParseJson(R"({"metadata":{"name":"web-1","creationTimestamp":"2024-01-01T00:00:00Z"},
      "spec":{"containers":[{"name":"a"},{"name":"b"}],"nodeName":"node-1"},
      "status":{"phase":"Running","podIP":"10.0.0.5","containerStatuses":[
        {"name":"a","ready":true,"restartCount":1},{"name":"b","ready":false,"restartCount":2}]}})")
                 .value();
  FakeClock clock;
  clock.Advance(std::chrono::seconds(192));
  Json table = ToTable(*pods, std::span<const Json>(&pod, 1),
                       ParseJson(R"({"resourceVersion":"12"})").value(), clock.Now());
  EXPECT_EQ(table.at("kind").as_string(), "Table");
  EXPECT_EQ(table.at("metadata").at("resourceVersion").as_string(), "12");
  std::vector<std::string> names;
  for (const Json& c : table.at("columnDefinitions").as_array()) {
    names.emplace_back(c.at("name").as_string());
  }
  EXPECT_EQ(names, (std::vector<std::string>{"Name", "Ready", "Status", "Restarts", "Age", "IP",
                                             "Node", "Nominated Node", "Readiness Gates"}));
  EXPECT_EQ(WriteJson(table.at("rows").at(0).at("cells"), {.escape_html = false}),
            R"(["web-1","1/2","Running","3","3m12s","10.0.0.5","node-1","<none>","<none>"])");
  EXPECT_EQ(table.at("rows").at(0).at("object").at("kind").as_string(), "PartialObjectMetadata");
}

TEST(Table, DeploymentsAndDefaultColumns) {
  const auto* deployments = machinery::FindBuiltinResource("apps", "v1", "deployments");
  Json d = ParseJson(R"({"metadata":{"name":"web","creationTimestamp":"2024-01-01T00:00:00Z"},
      "spec":{"replicas":3,"selector":{"matchLabels":{"app":"web"}},
              "template":{"spec":{"containers":[{"name":"web","image":"nginx:1.27"}]}}},
      "status":{"readyReplicas":2,"updatedReplicas":3,"availableReplicas":2}})")
               .value();
  FakeClock clock;
  Json table = ToTable(*deployments, std::span<const Json>(&d, 1), JsonObject(), clock.Now());
  EXPECT_EQ(WriteJson(table.at("rows").at(0).at("cells")),
            R"(["web","2/3",3,2,"0s","web","nginx:1.27","app=web"])");
  const auto* leases = machinery::FindBuiltinResource("coordination.k8s.io", "v1", "leases");
  Json lease = ParseJson(R"({"metadata":{"name":"l","creationTimestamp":"2024-01-01T00:00:00Z"}})")
                   .value();
  Json t2 = ToTable(*leases, std::span<const Json>(&lease, 1), JsonObject(), clock.Now());
  EXPECT_EQ(WriteJson(t2.at("rows").at(0).at("cells")), R"(["l","2024-01-01T00:00:00Z"])");
}

}  // namespace
}  // namespace kstack::server
