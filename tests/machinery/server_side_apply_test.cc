// Server-side apply and managed fields as folders of cases (testdata/server_side_apply/README.md):
// <case>/{type, operation, [live.yaml], object.yaml, want.yaml | error}.

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "core/yaml.h"
#include "machinery/builtin_schemas.h"
#include "machinery/field_manager.h"
#include "machinery/field_set.h"
#include "machinery/object_fields.h"
#include "tests/core/golden.h"

namespace kstack::machinery {
namespace {

namespace fs = std::filesystem;
using kstack::testing::ReadFile;

constexpr std::string_view kNow = "2026-01-01T00:00:00Z";

fs::path CasesDir() {
  return kstack::testing::SourceDir() / "tests/machinery/testdata/server_side_apply";
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

// "apps/v1 Deployment", "v1 Pod", or "none".
const Schema* SchemaOfType(const std::string& type) {
  if (type == "none") return nullptr;
  size_t space = type.find(' ');
  std::string api_version = type.substr(0, space), kind = type.substr(space + 1);
  size_t slash = api_version.find('/');
  std::string group = slash == std::string::npos ? "" : api_version.substr(0, slash);
  std::string version = slash == std::string::npos ? api_version : api_version.substr(slash + 1);
  const Schema* s = BuiltinSchemaFor(group, version, kind);
  EXPECT_NE(s, nullptr) << "no built-in schema for " << type;
  return s;
}

class ServerSideApplyGolden : public ::testing::TestWithParam<std::string> {};

// operation: "Apply <manager> [force] [status]" or "Update <manager> [status]".
TEST_P(ServerSideApplyGolden, Writes) {
  fs::path dir = CasesDir() / GetParam();
  std::string type = Trimmed(ReadFile(dir / "type"));
  std::istringstream words(Trimmed(ReadFile(dir / "operation")));
  std::string operation, manager, word;
  words >> operation >> manager;
  bool force = false;
  std::string subresource;
  while (words >> word) {
    if (word == "force") force = true;
    if (word == "status") subresource = "status";
  }
  const Schema* schema = SchemaOfType(type);
  ManagerOptions options{.manager = manager,
                         .api_version = type.substr(0, type.find(' ')),
                         .subresource = subresource,
                         .now = std::string(kNow),
                         .schema = schema,
                         .has_status = type.find("Deployment") != std::string::npos ||
                                       type.find("Pod") != std::string::npos};
  Json live = fs::exists(dir / "live.yaml") ? ReadYamlFile(dir / "live.yaml") : Json();
  Json object = ReadYamlFile(dir / "object.yaml");
  Result<Json> got = object;
  if (operation == "Apply") {
    got = ServerSideApply(live, object, options, force);
  } else {
    ASSERT_EQ(operation, "Update");
    RecordUpdate(live, *got, options);
  }
  if (std::getenv("KSTACK_REGEN_GOLDEN") != nullptr) {
    fs::remove(dir / "want.yaml");
    fs::remove(dir / "error");
    fs::remove(dir / "causes");
    if (got.ok()) {
      std::ofstream(dir / "want.yaml") << WriteYaml(*got);
    } else {
      std::ofstream(dir / "error") << got.status().ToString() << "\n";
      if (const StatusDetails* d = got.status().details(); d && !d->causes.empty()) {
        std::ofstream causes(dir / "causes");
        for (const StatusCause& c : d->causes)
          causes << c.type << " " << c.field << " " << c.message << "\n";
      }
    }
    return;
  }
  if (fs::exists(dir / "error")) {
    ASSERT_FALSE(got.ok()) << WriteYaml(*got);
    EXPECT_EQ(got.status().ToString(), Trimmed(ReadFile(dir / "error")));
    if (fs::exists(dir / "causes")) {
      std::string causes;
      for (const StatusCause& c : got.status().details()->causes) {
        causes += c.type + " " + c.field + " " + c.message + "\n";
      }
      EXPECT_EQ(causes, ReadFile(dir / "causes"));
    }
    return;
  }
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  Json want = ReadYamlFile(dir / "want.yaml");
  EXPECT_EQ(*got, want) << "got:\n" << WriteYaml(*got) << "want:\n" << WriteYaml(want);
}

INSTANTIATE_TEST_SUITE_P(Cases, ServerSideApplyGolden,
                         ::testing::ValuesIn(kstack::testing::CaseNames(CasesDir())),
                         [](const auto& info) { return kstack::testing::TestName(info.param); });

TEST(ServerSideApply, HasEnoughCases) {
  EXPECT_GE(kstack::testing::CaseNames(CasesDir()).size(), 15u);
}

TEST(FieldSet, FieldsV1RoundTrip) {
  Result<Json> v1 = ParseJson(
      R"({"f:metadata":{"f:labels":{".":{},"f:app":{}}},"f:spec":{"f:containers":{)"
      R"("k:{\"name\":\"web\"}":{".":{},"f:image":{},"f:name":{}}},)"
      R"("f:finalizers":{"v:\"a\"":{}}}})");
  ASSERT_TRUE(v1.ok());
  Result<FieldSet> set = FieldSet::FromJson(*v1);
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  EXPECT_EQ(set->ToJson(), *v1);
  EXPECT_EQ(set->PathStrings(),
            (std::vector<std::string>{
                ".metadata.labels", ".metadata.labels.app", ".spec.containers[name=\"web\"]",
                ".spec.containers[name=\"web\"].image", ".spec.containers[name=\"web\"].name",
                ".spec.finalizers[=\"a\"]"}));
}

TEST(FieldSet, RejectsBadElements) {
  Result<FieldSet> set = FieldSet::FromJson(*ParseJson(R"({"f:spec":{"x:y":{}}})"));
  ASSERT_FALSE(set.ok());
  EXPECT_EQ(set.status().message(), "f:spec: fieldsV1: invalid path element \"x:y\"");
  EXPECT_FALSE(FieldSet::FromJson(*ParseJson(R"({"k:[1]":{}})")).ok());
  EXPECT_FALSE(FieldSet::FromJson(*ParseJson(R"({"f:a":1})")).ok());
}

TEST(FieldSet, SetOperations) {
  FieldSet a, b;
  a.Insert({"f:spec", "f:replicas"});
  a.Insert({"f:spec", "f:paused"});
  b.Insert({"f:spec", "f:replicas"});
  b.Insert({"f:metadata", "f:labels", "f:app"});
  EXPECT_EQ(a.Intersection(b).PathStrings(), std::vector<std::string>{".spec.replicas"});
  EXPECT_EQ(a.Difference(b).PathStrings(), std::vector<std::string>{".spec.paused"});
  EXPECT_EQ(a.Union(b).PathStrings().size(), 3u);
  FieldSet spec;
  spec.Insert({"f:spec"});
  EXPECT_TRUE(a.RecursiveDifference(spec).empty());
  EXPECT_TRUE(a.Difference(spec) == a);
}

TEST(ObjectFields, ListSemanticsFromTheSchema) {
  const Schema* pod_spec = BuiltinSchemas().Find("io.k8s.api.core.v1.PodSpec");
  ASSERT_NE(pod_spec, nullptr);
  ListSemantics containers = ListSemanticsOf(pod_spec->Property("containers"));
  EXPECT_EQ(containers.kind, ListSemantics::Kind::kMap);
  EXPECT_EQ(containers.keys, std::vector<std::string>{"name"});
  const Schema* meta = BuiltinSchemas().Find("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta");
  EXPECT_EQ(ListSemanticsOf(meta->Property("finalizers")).kind, ListSemantics::Kind::kSet);
  const Schema* container = BuiltinSchemas().Find("io.k8s.api.core.v1.Container");
  EXPECT_EQ(ListSemanticsOf(container->Property("args")).kind, ListSemantics::Kind::kAtomic);
  EXPECT_EQ(ListSemanticsOf(nullptr).kind, ListSemantics::Kind::kAtomic);
}

}  // namespace
}  // namespace kstack::machinery
