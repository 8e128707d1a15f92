#include "server/discovery.h"

#include <gtest/gtest.h>

namespace kstack::server {
namespace {

using machinery::BuiltinResourceTypes;

const JsonObject* FindResource(const Json& list, std::string_view name) {
  for (const Json& r : list.at("resources").as_array()) {
    if (r.at("name").as_string() == name) return &r.as_object();
  }
  return nullptr;
}

TEST(Discovery, CoreVersions) {
  Json v = CoreApiVersions("127.0.0.1:6443");
  EXPECT_EQ(WriteJson(v),
            R"({"kind":"APIVersions","versions":["v1"],"serverAddressByClientCIDRs":)"
            R"([{"clientCIDR":"0.0.0.0/0","serverAddress":"127.0.0.1:6443"}]})");
}

TEST(Discovery, GroupListHasEveryNamedGroupOnce) {
  Json groups = ApiGroupList(BuiltinResourceTypes());
  std::vector<std::string> names;
  for (const Json& g : groups.at("groups").as_array()) {
    names.emplace_back(g.at("name").as_string());
    EXPECT_EQ(g.at("preferredVersion"), g.at("versions").at(0));
  }
  EXPECT_EQ(std::count(names.begin(), names.end(), "apps"), 1);
  EXPECT_NE(std::find(names.begin(), names.end(), "rbac.authorization.k8s.io"), names.end());
  EXPECT_EQ(std::find(names.begin(), names.end(), ""), names.end());
}

TEST(Discovery, ResourceListWithSubresources) {
  Json apps = ApiResourceList(BuiltinResourceTypes(), "apps", "v1");
  EXPECT_EQ(apps.at("groupVersion").as_string(), "apps/v1");
  const JsonObject* d = FindResource(apps, "deployments");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(WriteJson(d->at("shortNames")), R"(["deploy"])");
  EXPECT_EQ(WriteJson(d->at("categories")), R"(["all"])");
  EXPECT_TRUE(d->at("namespaced").as_bool());
  ASSERT_NE(FindResource(apps, "deployments/status"), nullptr);
  const JsonObject* scale = FindResource(apps, "deployments/scale");
  ASSERT_NE(scale, nullptr);
  EXPECT_EQ(scale->at("kind").as_string(), "Scale");
  EXPECT_EQ(FindResource(apps, "daemonsets/scale"), nullptr);
  Json core = ApiResourceList(BuiltinResourceTypes(), "", "v1");
  EXPECT_EQ(core.at("groupVersion").as_string(), "v1");
  EXPECT_FALSE(FindResource(core, "namespaces")->at("namespaced").as_bool());
  EXPECT_TRUE(ApiResourceList(BuiltinResourceTypes(), "apps", "v1beta1").is_null());
}

TEST(Discovery, AggregatedForm) {
  Json core = AggregatedDiscovery(BuiltinResourceTypes(), true);
  ASSERT_EQ(core.at("items").as_array().size(), 1u);
  EXPECT_EQ(core.at("items").at(0).at("metadata").at("name").as_string(), "");
  Json named = AggregatedDiscovery(BuiltinResourceTypes(), false);
  EXPECT_EQ(named.at("apiVersion").as_string(), "apidiscovery.k8s.io/v2");
  bool found = false;
  for (const Json& g : named.at("items").as_array()) {
    if (g.at("metadata").at("name").as_string() != "apps") continue;
    for (const Json& r : g.at("versions").at(0).at("resources").as_array()) {
      if (r.at("resource").as_string() != "deployments") continue;
      found = true;
      EXPECT_EQ(r.at("scope").as_string(), "Namespaced");
      EXPECT_EQ(r.at("subresources").as_array().size(), 2u);
    }
  }
  EXPECT_TRUE(found);
}

}  // namespace
}  // namespace kstack::server
