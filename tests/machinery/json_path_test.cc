#include "machinery/json_path.h"

#include <gtest/gtest.h>

namespace kstack::machinery {
namespace {

Json Doc() {
  return *ParseJson(R"({
    "metadata": {"name": "w", "labels": {"app.kubernetes.io/name": "web"}},
    "spec": {"replicas": 3, "items": [{"name": "a"}, {"name": "b"}]},
    "status": {"conditions": [{"type": "Ready", "status": "True"},
                              {"type": "Synced", "status": "False"}]}})");
}

std::string Eval(std::string_view path) {
  Json doc = Doc();
  Result<std::vector<const Json*>> found = EvaluateJsonPath(doc, path);
  if (!found.ok()) return "error: " + found.status().message();
  std::string out;
  for (const Json* v : *found) {
    if (!out.empty()) out += " ";
    out += WriteJson(*v);
  }
  return out;
}

TEST(JsonPathTest, SelectsFieldsIndexesWildcardsAndFilters) {
  EXPECT_EQ(Eval(".spec.replicas"), "3");
  EXPECT_EQ(Eval("{.spec.replicas}"), "3");
  EXPECT_EQ(Eval(".spec.items[1].name"), "\"b\"");
  EXPECT_EQ(Eval(".spec.items[-1].name"), "\"b\"");
  EXPECT_EQ(Eval(".spec.items[*].name"), "\"a\" \"b\"");
  EXPECT_EQ(Eval(".metadata.labels['app.kubernetes.io/name']"), "\"web\"");
  EXPECT_EQ(Eval(R"(.status.conditions[?(@.type=="Ready")].status)"), "\"True\"");
  EXPECT_EQ(Eval(R"(.status.conditions[?(@.type!="Ready")].type)"), "\"Synced\"");
  EXPECT_EQ(Eval(".status.missing"), "");
  EXPECT_EQ(Eval(".spec.items[5]"), "");
}

TEST(JsonPathTest, MalformedPathsAreErrors) {
  EXPECT_EQ(Eval(".spec.items[x]"), "error: invalid JSONPath \".spec.items[x]\": \"x\" is not an index");
  EXPECT_EQ(Eval(".spec.items[0"), "error: invalid JSONPath \".spec.items[0\": unclosed '['");
  EXPECT_EQ(Eval("spec"), "error: invalid JSONPath \"spec\": unexpected 's' at 0");
}

}  // namespace
}  // namespace kstack::machinery
