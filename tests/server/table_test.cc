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
  const auto* roles =
      machinery::FindBuiltinResource("rbac.authorization.k8s.io", "v1", "clusterroles");
  Json role =
      ParseJson(R"({"metadata":{"name":"l","creationTimestamp":"2024-01-01T00:00:00Z"}})").value();
  Json t2 = ToTable(*roles, std::span<const Json>(&role, 1), JsonObject(), clock.Now());
  EXPECT_EQ(WriteJson(t2.at("rows").at(0).at("cells")), R"(["l","2024-01-01T00:00:00Z"])");
}

}  // namespace
}  // namespace kstack::server

namespace kstack::server {
namespace {

std::vector<std::string> Columns(std::string_view group, std::string_view resource,
                                 bool wide = false) {
  const machinery::ResourceType* t = machinery::FindBuiltinResource(group, "v1", resource);
  EXPECT_NE(t, nullptr) << resource;
  Json table = ToTable(*t, {}, JsonObject(), FakeClock().Now());
  std::vector<std::string> names;
  for (const Json& c : table.at("columnDefinitions").as_array()) {
    if (wide || c.at("priority").as_int64() == 0) names.emplace_back(c.at("name").as_string());
  }
  return names;
}

using Names = std::vector<std::string>;

TEST(Table, ColumnsOfKubectlGetPerType) {
  EXPECT_EQ(Columns("apps", "replicasets"), (Names{"Name", "Desired", "Current", "Ready", "Age"}));
  EXPECT_EQ(Columns("apps", "statefulsets"), (Names{"Name", "Ready", "Age"}));
  EXPECT_EQ(Columns("apps", "daemonsets"),
            (Names{"Name", "Desired", "Current", "Ready", "Up-to-date", "Available",
                   "Node Selector", "Age"}));
  EXPECT_EQ(Columns("", "serviceaccounts"), (Names{"Name", "Secrets", "Age"}));
  EXPECT_EQ(Columns("", "nodes"), (Names{"Name", "Status", "Roles", "Age", "Version"}));
  EXPECT_EQ(Columns("", "services"),
            (Names{"Name", "Type", "Cluster-IP", "External-IP", "Port(s)", "Age"}));
  EXPECT_EQ(Columns("coordination.k8s.io", "leases"), (Names{"Name", "Holder", "Age"}));
  EXPECT_EQ(Columns("rbac.authorization.k8s.io", "clusterroles"), (Names{"Name", "Created At"}));
}

TEST(Table, NodeStatusAndRoles) {
  const auto* nodes = machinery::FindBuiltinResource("", "v1", "nodes");
  Json node = ParseJson(R"({"metadata":{"name":"n1","creationTimestamp":"2024-01-01T00:00:00Z",
      "labels":{"node-role.kubernetes.io/control-plane":""}},"spec":{"unschedulable":true},
      "status":{"conditions":[{"type":"Ready","status":"True"}],
      "nodeInfo":{"kubeletVersion":"v1.32.0"}}})")
                  .value();
  Json table = ToTable(*nodes, std::span<const Json>(&node, 1), JsonObject(), FakeClock().Now());
  const JsonArray& cells = table.at("rows").at(0).at("cells").as_array();
  EXPECT_EQ(cells[1].as_string(), "Ready,SchedulingDisabled");
  EXPECT_EQ(cells[2].as_string(), "control-plane");
  EXPECT_EQ(cells[4].as_string(), "v1.32.0");
}

}  // namespace
}  // namespace kstack::server
