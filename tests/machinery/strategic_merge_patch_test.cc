// Strategic merge patch as folders of cases (testdata/strategic_merge_patch/README.md):
// <case>/{type, original.yaml, patch.yaml, want.yaml | error}.

#include "machinery/strategic_merge_patch.h"

#include <gtest/gtest.h>

#include "core/yaml.h"
#include "machinery/builtin_schemas.h"
#include "tests/core/golden.h"

namespace kstack::machinery {
namespace {

namespace fs = std::filesystem;
using kstack::testing::ReadFile;

fs::path CasesDir() {
  return kstack::testing::SourceDir() / "tests/machinery/testdata/strategic_merge_patch";
}

std::string Trimmed(std::string s) {
  s.erase(s.find_last_not_of(" \n") + 1);
  return s;
}

Json ReadYamlFile(const fs::path& p) {
  Result<Json> v = ParseYaml(ReadFile(p), p.string());
  EXPECT_TRUE(v.ok()) << v.status().message();
  return v.ok() ? *v : Json();
}

// "apps/v1 Deployment", "v1 Pod", or "none" for no schema.
Result<const Schema*> SchemaOfType(const std::string& type) {
  if (type == "none") return static_cast<const Schema*>(nullptr);
  size_t space = type.find(' ');
  if (space == std::string::npos) return InvalidError("want \"<apiVersion> <Kind>\": " + type);
  std::string api_version = type.substr(0, space), kind = type.substr(space + 1);
  size_t slash = api_version.find('/');
  std::string group = slash == std::string::npos ? "" : api_version.substr(0, slash);
  std::string version = slash == std::string::npos ? api_version : api_version.substr(slash + 1);
  const Schema* s = BuiltinSchemaFor(group, version, kind);
  if (s == nullptr) return NotFoundError("no built-in schema for " + type);
  return s;
}

class StrategicMergePatchGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(StrategicMergePatchGolden, Applies) {
  fs::path dir = CasesDir() / GetParam();
  Result<const Schema*> schema = SchemaOfType(Trimmed(ReadFile(dir / "type")));
  ASSERT_TRUE(schema.ok()) << schema.status().message();
  Json original = ReadYamlFile(dir / "original.yaml");
  Json patch = ReadYamlFile(dir / "patch.yaml");
  Result<Json> got = ApplyStrategicMergePatch(original, patch, *schema);
  if (fs::exists(dir / "error")) {
    ASSERT_FALSE(got.ok()) << WriteYaml(*got);
    EXPECT_EQ(got.status().ToString(), Trimmed(ReadFile(dir / "error")));
    return;
  }
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  Json want = ReadYamlFile(dir / "want.yaml");
  EXPECT_EQ(*got, want) << "got:\n" << WriteYaml(*got) << "want:\n" << WriteYaml(want);
}

INSTANTIATE_TEST_SUITE_P(Cases, StrategicMergePatchGolden,
                         ::testing::ValuesIn(kstack::testing::CaseNames(CasesDir())),
                         [](const auto& info) { return kstack::testing::TestName(info.param); });

TEST(StrategicMergePatch, HasEnoughCases) {
  EXPECT_GE(kstack::testing::CaseNames(CasesDir()).size(), 30u);
}

TEST(StrategicMergePatch, PatchMustBeAnObject) {
  Result<Json> got = ApplyStrategicMergePatch(JsonObject(), JsonArray(), nullptr);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().reason(), Reason::kBadRequest);
  got = ApplyStrategicMergePatch(Json("x"), JsonObject(), nullptr);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().reason(), Reason::kBadRequest);
}

TEST(StrategicMergePatch, NullOriginalIsEmpty) {
  Json patch = ParseJson(R"({"a":{"b":1,"c":null}})").value();
  Result<Json> got = ApplyStrategicMergePatch(Json(), patch, nullptr);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(WriteJson(*got), R"({"a":{"b":1}})");
}

TEST(StrategicMergePatch, InputsStayAlone) {
  Json original = ParseJson(R"({"spec":{"containers":[{"name":"a","image":"x"}]}})").value();
  Json patch = ParseJson(R"({"spec":{"containers":[{"name":"a","image":"y"}]}})").value();
  std::string before = WriteJson(original), patch_before = WriteJson(patch);
  Result<Json> got = ApplyStrategicMergePatch(original, patch, BuiltinSchemaFor("", "v1", "Pod"));
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(WriteJson(original), before);
  EXPECT_EQ(WriteJson(patch), patch_before);
  EXPECT_EQ(WriteJson(*got), R"({"spec":{"containers":[{"name":"a","image":"y"}]}})");
}

}  // namespace
}  // namespace kstack::machinery
