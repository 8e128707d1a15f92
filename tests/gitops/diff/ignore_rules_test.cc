#include "gitops/diff/ignore_rules.h"

#include <gtest/gtest.h>

#include "core/yaml.h"

namespace kstack::gitops::diff {
namespace {

Json Yaml(std::string_view text) {
  Result<Json> v = ParseYaml(text);
  EXPECT_TRUE(v.ok()) << v.status().ToString();
  return v.ok() ? *v : Json();
}

const ResourceKey kWeb{.group = "apps", .kind = "Deployment", .ns = "shop", .name = "web"};

Json Deployment() {
  return Yaml(R"(
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  annotations: {a/b: x, keep: y}
spec:
  replicas: 3
  template:
    spec:
      initContainers:
      - {name: injected, image: sidecar}
      - {name: setup, image: busybox}
      containers:
      - {name: web, image: nginx, env: [{name: A, value: "1"}]}
)");
}

TEST(IgnoreRules, RemovesJsonPointersWithEscapes) {
  std::vector<ResourceIgnoreDifferences> rules = {
      {.group = "apps",
       .kind = "Deployment",
       .json_pointers = {"/spec/replicas", "/metadata/annotations/a~1b"}}};
  Result<IgnoreRules> compiled = IgnoreRules::Compile(rules);
  ASSERT_TRUE(compiled.ok()) << compiled.status().ToString();
  Json d = Deployment();
  EXPECT_TRUE(compiled->Apply(kWeb, d));
  EXPECT_EQ(FindMember(d.at("spec"), "replicas"), nullptr);
  EXPECT_EQ(d.at("metadata").at("annotations"), Yaml("{keep: y}"));
}

TEST(IgnoreRules, PointersIntoListsAndMissingPaths) {
  std::vector<ResourceIgnoreDifferences> rules = {
      {.group = "*",
       .kind = "*",
       .json_pointers = {"/spec/template/spec/initContainers/0", "/spec/nothing/here",
                         "/spec/template/spec/containers/7"}}};
  Result<IgnoreRules> compiled = IgnoreRules::Compile(rules);
  ASSERT_TRUE(compiled.ok());
  Json d = Deployment();
  compiled->Apply(kWeb, d);
  EXPECT_EQ(d.at("spec").at("template").at("spec").at("initContainers"),
            Yaml("[{name: setup, image: busybox}]"));
  EXPECT_EQ(d.at("spec").at("template").at("spec").at("containers").as_array().size(), 1u);
}

TEST(IgnoreRules, JqPathExpressionsSelectListElements) {
  std::vector<ResourceIgnoreDifferences> rules = {
      {.group = "apps",
       .kind = "Deployment",
       .jq_path_expressions = {
           R"(.spec.template.spec.initContainers[] | select(.name == "injected"))",
           ".spec.template.spec.containers[].env[]? | select(.name == \"A\") | .value"}}};
  Result<IgnoreRules> compiled = IgnoreRules::Compile(rules);
  ASSERT_TRUE(compiled.ok()) << compiled.status().ToString();
  Json d = Deployment();
  compiled->Apply(kWeb, d);
  EXPECT_EQ(d.at("spec").at("template").at("spec").at("initContainers"),
            Yaml("[{name: setup, image: busybox}]"));
  EXPECT_EQ(d.at("spec").at("template").at("spec").at("containers"),
            Yaml("[{name: web, image: nginx, env: [{name: A}]}]"));
}

TEST(IgnoreRules, AFailingExpressionRemovesNothing) {
  std::vector<ResourceIgnoreDifferences> rules = {
      {.group = "apps", .kind = "Deployment", .jq_path_expressions = {".spec.nothing[]"}}};
  Result<IgnoreRules> compiled = IgnoreRules::Compile(rules);
  ASSERT_TRUE(compiled.ok());
  Json d = Deployment();
  compiled->Apply(kWeb, d);
  EXPECT_EQ(d, Deployment());
}

TEST(IgnoreRules, RemovesWhatIsLeftEmpty) {
  std::vector<ResourceIgnoreDifferences> rules = {
      {.group = "apps",
       .kind = "Deployment",
       .json_pointers = {"/metadata/annotations/a~1b", "/metadata/annotations/keep"}}};
  Result<IgnoreRules> compiled = IgnoreRules::Compile(rules);
  ASSERT_TRUE(compiled.ok());
  Json d = Deployment();
  compiled->Apply(kWeb, d);
  EXPECT_EQ(FindMember(d.at("metadata"), "annotations"), nullptr);
}

TEST(IgnoreRules, MatchesGroupKindGlobsNameAndNamespace) {
  auto matches = [](ResourceIgnoreDifferences rule, const ResourceKey& key) {
    rule.json_pointers = {"/spec/replicas"};
    Result<IgnoreRules> compiled = IgnoreRules::Compile(std::vector{rule});
    EXPECT_TRUE(compiled.ok());
    Json d = Deployment();
    return compiled->Apply(key, d);
  };
  EXPECT_TRUE(matches({.group = "apps", .kind = "Deployment"}, kWeb));
  EXPECT_TRUE(matches({.group = "*", .kind = "*"}, kWeb));
  EXPECT_TRUE(matches({.group = "ap?s", .kind = "{Deployment,StatefulSet}"}, kWeb));
  EXPECT_TRUE(matches({.group = "apps", .kind = "Deploy*", .name = "web", .ns = "shop"}, kWeb));
  EXPECT_FALSE(matches({.group = "", .kind = "Deployment"}, kWeb));
  EXPECT_FALSE(matches({.group = "apps", .kind = "Deployment", .name = "api"}, kWeb));
  EXPECT_FALSE(matches({.group = "apps", .kind = "Deployment", .ns = "other"}, kWeb));
  EXPECT_FALSE(matches({.group = "apps", .kind = "[unclosed"}, kWeb));
}

TEST(IgnoreRules, TrustedManagersOfMatchingRules) {
  std::vector<ResourceIgnoreDifferences> rules = {
      {.group = "*", .kind = "*", .managed_fields_managers = {"kube-controller-manager"}},
      {.group = "apps",
       .kind = "Deployment",
       .managed_fields_managers = {"hpa", "kube-controller-manager"}},
      {.group = "", .kind = "Service", .managed_fields_managers = {"other"}}};
  Result<IgnoreRules> compiled = IgnoreRules::Compile(rules);
  ASSERT_TRUE(compiled.ok());
  EXPECT_EQ(compiled->TrustedManagers(kWeb),
            (std::vector<std::string>{"kube-controller-manager", "hpa"}));
}

TEST(IgnoreRules, RefusesBadPointersAndExpressions) {
  Result<IgnoreRules> bad_pointer = IgnoreRules::Compile(std::vector<ResourceIgnoreDifferences>{
      {.group = "apps", .kind = "Deployment", .json_pointers = {"spec/replicas"}}});
  ASSERT_FALSE(bad_pointer.ok());
  EXPECT_EQ(bad_pointer.status().reason(), Reason::kInvalid);
  EXPECT_NE(bad_pointer.status().message().find("spec/replicas"), std::string::npos);

  Result<IgnoreRules> bad_jq = IgnoreRules::Compile(std::vector<ResourceIgnoreDifferences>{
      {.group = "apps", .kind = "Deployment", .jq_path_expressions = {".spec | [["}}});
  ASSERT_FALSE(bad_jq.ok());
  EXPECT_EQ(bad_jq.status().reason(), Reason::kInvalid);
  EXPECT_NE(bad_jq.status().message().find(".spec | [["), std::string::npos)
      << bad_jq.status().message();
}

}  // namespace
}  // namespace kstack::gitops::diff
