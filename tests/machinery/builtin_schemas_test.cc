// The built-in schemas against the Kubernetes API's own OpenAPI document
// (../shared/testdata/kubernetes-openapi/swagger.json), definition by definition and property by
// property, and the checked-in table against what scripts/gen-builtin-schemas writes now.

#include "machinery/builtin_schemas.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
#include <thread>

#include "core/json.h"
#include "machinery/resource_types.h"
#include "tests/core/golden.h"

namespace kstack::machinery {
namespace {

namespace fs = std::filesystem;
using Type = Schema::Type;
constexpr std::string_view kRefPrefix = "#/definitions/";

// First, so that in its own process (as ctest runs each case) it measures the build.
TEST(BuiltinSchemas, BuildsFast) {
  auto start = std::chrono::steady_clock::now();
  const SchemaSet& set = BuiltinSchemas();
  double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  std::printf("built-in schemas: %zu definitions in %.2f ms\n", set.named().size(), ms);
  EXPECT_LT(ms, 100.0);  // the budget of server startup; a few ms in a release build
  EXPECT_GE(set.named().size(), 300u);
}

const Json& Swagger() {
  static const Json* doc = [] {
    auto path = kstack::testing::SharedDir() / "testdata/kubernetes-openapi/swagger.json";
    Result<Json> v = ParseJson(kstack::testing::ReadFile(path), path.string());
    EXPECT_TRUE(v.ok()) << v.status().message();
    return new Json(v.ok() ? *v : Json(JsonObject()));
  }();
  return *doc;
}

const Json* SwaggerDefinition(std::string_view name) {
  const JsonObject* defs = FindObject(Swagger(), "definitions");
  return defs == nullptr ? nullptr : defs->if_contains(name);
}

Type TypeOf(std::string_view name) {
  if (name == "object") return Type::kObject;
  if (name == "array") return Type::kArray;
  if (name == "string") return Type::kString;
  if (name == "integer") return Type::kInteger;
  if (name == "number") return Type::kNumber;
  if (name == "boolean") return Type::kBoolean;
  return Type::kAny;
}

std::vector<std::string> Strings(const Json& doc, std::string_view key) {
  std::vector<std::string> out;
  if (const JsonArray* a = FindArray(doc, key)) {
    for (const Json& v : *a) out.emplace_back(v.as_string());
  }
  return out;
}

// The facts of definitions the table states beyond the document (builtin_schemas.h).
struct Special {
  Type type;
  std::string_view format;
  bool int_or_string;
  bool preserve_unknown_fields;
};
const std::map<std::string, Special, std::less<>>& Specials() {
  static const auto* specials = new std::map<std::string, Special, std::less<>>{
      {"io.k8s.apimachinery.pkg.util.intstr.IntOrString",
       {Type::kString, "int-or-string", true, false}},
      {"io.k8s.apimachinery.pkg.api.resource.Quantity", {Type::kString, "", true, false}},
      {"io.k8s.apimachinery.pkg.runtime.RawExtension", {Type::kObject, "", false, true}},
      {"io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1", {Type::kObject, "", false, true}},
      {"io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON",
       {Type::kAny, "", false, true}},
      {"io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrArray",
       {Type::kAny, "", false, true}},
      {"io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrBool",
       {Type::kAny, "", false, true}},
      {"io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrStringArray",
       {Type::kAny, "", false, true}},
  };
  return *specials;
}

// Walks schemas against the document; each definition is compared once.
class Walker {
 public:
  void Definition(const Schema* s, const std::string& name) {
    ASSERT_NE(s, nullptr) << name;
    if (!seen_.insert(name).second) return;
    const Json* doc = SwaggerDefinition(name);
    ASSERT_NE(doc, nullptr) << name << " is not in the OpenAPI document";
    EXPECT_EQ(s->title, name);
    EXPECT_EQ(BuiltinSchemas().Find(name), s) << name;
    if (auto it = Specials().find(name); it != Specials().end()) {
      const Special& want = it->second;
      EXPECT_EQ(s->type, want.type) << name;
      EXPECT_EQ(s->format, want.format) << name;
      EXPECT_EQ(s->int_or_string, want.int_or_string) << name;
      EXPECT_EQ(s->preserve_unknown_fields, want.preserve_unknown_fields) << name;
      EXPECT_TRUE(s->properties.empty()) << name;
      return;
    }
    EXPECT_FALSE(s->int_or_string) << name;
    EXPECT_FALSE(s->preserve_unknown_fields) << name;
    EXPECT_EQ(s->type, TypeOf(FindString(*doc, "type"))) << name;
    EXPECT_EQ(s->format, FindString(*doc, "format")) << name;
    EXPECT_EQ(s->required, Strings(*doc, "required")) << name;
    EXPECT_EQ(s->map_type, FindString(*doc, "x-kubernetes-map-type")) << name;
    ListAndPatchFacts(s, *doc, name);

    std::vector<std::string> want_names, got_names;
    const JsonObject* props = FindObject(*doc, "properties");
    if (props != nullptr) {
      for (const auto& p : *props) want_names.emplace_back(p.key());
    }
    for (const auto& [prop, schema] : s->properties) got_names.push_back(prop);
    ASSERT_EQ(got_names, want_names) << name;
    for (const auto& [prop, schema] : s->properties) {
      EXPECT_EQ(s->Property(prop), schema);
      Property(schema, props->at(prop), name + "." + prop);
    }

    for (const std::string& gvk_text : Gvks(*doc)) gvks_.insert(gvk_text + " " + name);
  }

  // "group/version/Kind" of every x-kubernetes-group-version-kind seen, with its definition.
  const std::set<std::string>& gvks() const { return gvks_; }
  size_t definitions() const { return seen_.size(); }

 private:
  static std::vector<std::string> Gvks(const Json& doc) {
    std::vector<std::string> out;
    if (const JsonArray* a = FindArray(doc, "x-kubernetes-group-version-kind")) {
      for (const Json& g : *a) {
        out.push_back(std::string(FindString(g, "group")) + "/" +
                      std::string(FindString(g, "version")) + "/" +
                      std::string(FindString(g, "kind")));
      }
    }
    return out;
  }

  static void ListAndPatchFacts(const Schema* s, const Json& doc, const std::string& where) {
    EXPECT_EQ(s->patch_strategy, FindString(doc, "x-kubernetes-patch-strategy")) << where;
    EXPECT_EQ(s->patch_merge_key, FindString(doc, "x-kubernetes-patch-merge-key")) << where;
    EXPECT_EQ(s->list_type, FindString(doc, "x-kubernetes-list-type")) << where;
    EXPECT_EQ(s->list_map_keys, Strings(doc, "x-kubernetes-list-map-keys")) << where;
  }

  void Property(const Schema* s, const Json& doc, const std::string& where) {
    ASSERT_NE(s, nullptr) << where;
    std::string_view ref = FindString(doc, "$ref");
    if (!ref.empty()) {
      ASSERT_TRUE(ref.starts_with(kRefPrefix)) << where;
      std::string target(ref.substr(kRefPrefix.size()));
      const Schema* definition = BuiltinSchemas().Find(target);
      ASSERT_NE(definition, nullptr) << where << " refers to " << target;
      EXPECT_EQ(s->title, target) << where;
      bool adds_facts = FindMember(doc, "x-kubernetes-patch-strategy") != nullptr ||
                        FindMember(doc, "x-kubernetes-map-type") != nullptr;
      if (adds_facts) {
        // A copy of the definition carrying the property's own facts.
        EXPECT_NE(s, definition) << where;
        EXPECT_EQ(s->properties, definition->properties) << where;
        EXPECT_EQ(s->type, definition->type) << where;
        EXPECT_EQ(s->patch_strategy, FindString(doc, "x-kubernetes-patch-strategy")) << where;
        std::string_view map_type = FindString(doc, "x-kubernetes-map-type");
        EXPECT_EQ(s->map_type, map_type.empty() ? definition->map_type : map_type) << where;
      } else {
        EXPECT_EQ(s, definition) << where;
      }
      Definition(definition, target);
      return;
    }
    std::string_view type = FindString(doc, "type");
    EXPECT_EQ(s->type, TypeOf(type)) << where;
    EXPECT_EQ(s->format, FindString(doc, "format")) << where;
    EXPECT_EQ(s->title, "") << where;
    EXPECT_FALSE(s->int_or_string) << where;
    EXPECT_TRUE(s->properties.empty()) << where;
    ListAndPatchFacts(s, doc, where);
    EXPECT_EQ(s->map_type, FindString(doc, "x-kubernetes-map-type")) << where;
    if (const Json* items = FindMember(doc, "items")) {
      Property(s->items, *items, where + "[]");
    } else {
      EXPECT_EQ(s->items, nullptr) << where;
    }
    if (const Json* values = FindMember(doc, "additionalProperties")) {
      Property(s->additional_properties, *values, where + "{}");
    } else {
      EXPECT_EQ(s->additional_properties, nullptr) << where;
    }
  }

  std::set<std::string> seen_;
  std::set<std::string> gvks_;
};

std::string DefinitionOfKind(std::string_view group, std::string_view version,
                             std::string_view kind) {
  const JsonObject* defs = FindObject(Swagger(), "definitions");
  if (defs == nullptr) return "";
  for (const auto& def : *defs) {
    const JsonArray* gvks = FindArray(def.value(), "x-kubernetes-group-version-kind");
    if (gvks == nullptr) continue;
    for (const Json& gvk : *gvks) {
      if (FindString(gvk, "group") == group && FindString(gvk, "version") == version &&
          FindString(gvk, "kind") == kind) {
        return std::string(def.key());
      }
    }
  }
  return "";
}

// A served type, as a test parameter.
struct Served {
  const ResourceType* type;
};
void PrintTo(const Served& s, std::ostream* os) {
  *os << s.type->group_version << " " << s.type->kind;
}
std::vector<Served> AllServed() {
  std::vector<Served> out;
  for (const ResourceType& t : BuiltinResourceTypes()) out.push_back({&t});
  return out;
}

class BuiltinSchema : public ::testing::TestWithParam<Served> {};

TEST_P(BuiltinSchema, MatchesTheKubernetesOpenApi) {
  const ResourceType& t = *GetParam().type;
  for (std::string kind : {std::string(t.kind), std::string(t.kind) + "List"}) {
    std::string name = DefinitionOfKind(t.group, t.version, kind);
    ASSERT_FALSE(name.empty()) << kind;
    const Schema* s = BuiltinSchemaFor(t.group, t.version, kind);
    ASSERT_NE(s, nullptr) << kind << " has no built-in schema";
    Walker walker;
    walker.Definition(s, name);
    // Every kind met on the way resolves to its definition.
    for (const std::string& entry : walker.gvks()) {
      std::string gvk = entry.substr(0, entry.find(' '));
      std::string definition = entry.substr(entry.find(' ') + 1);
      size_t a = gvk.find('/'), b = gvk.rfind('/');
      const Schema* found =
          BuiltinSchemaFor(gvk.substr(0, a), gvk.substr(a + 1, b - a - 1), gvk.substr(b + 1));
      ASSERT_NE(found, nullptr) << gvk;
      EXPECT_EQ(found->title, definition) << gvk;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Table, BuiltinSchema, ::testing::ValuesIn(AllServed()),
                         [](const auto& info) {
                           return kstack::testing::TestName(
                               std::string(info.param.type->group_version) + "_" +
                               std::string(info.param.type->kind));
                         });

TEST(BuiltinSchemas, EveryDefinitionMatchesTheKubernetesOpenApi) {
  Walker walker;
  for (const auto& [name, schema] : BuiltinSchemas().named()) walker.Definition(schema, name);
  EXPECT_EQ(walker.definitions(), BuiltinSchemas().named().size());
  EXPECT_NE(BuiltinSchemaFor("autoscaling", "v1", "Scale"), nullptr);
  EXPECT_NE(BuiltinSchemaFor("", "v1", "Status"), nullptr);
}

TEST(BuiltinSchemas, Lookups) {
  const Schema* deployment = BuiltinSchemaFor("apps", "v1", "Deployment");
  ASSERT_NE(deployment, nullptr);
  EXPECT_EQ(deployment->title, "io.k8s.api.apps.v1.Deployment");
  EXPECT_EQ(BuiltinSchemaFor("", "v1", "ConfigMapList")->title, "io.k8s.api.core.v1.ConfigMapList");
  EXPECT_EQ(BuiltinSchemaFor("apps", "v1beta1", "Deployment"), nullptr);
  EXPECT_EQ(BuiltinSchemaFor("", "v1", "Deployment"), nullptr);
  EXPECT_EQ(BuiltinSchemaFor("", "v1", "Nope"), nullptr);
  EXPECT_EQ(BuiltinSchemas().Find("io.k8s.api.core.v1.Nope"), nullptr);

  const Schema* pod_spec = BuiltinSchemas().Find("io.k8s.api.core.v1.PodSpec");
  ASSERT_NE(pod_spec, nullptr);
  const Schema* containers = pod_spec->Property("containers");
  ASSERT_NE(containers, nullptr);
  EXPECT_EQ(containers->type, Type::kArray);
  EXPECT_EQ(containers->patch_strategy, "merge");
  EXPECT_EQ(containers->patch_merge_key, "name");
  EXPECT_EQ(containers->list_type, "map");
  EXPECT_EQ(containers->items, BuiltinSchemas().Find("io.k8s.api.core.v1.Container"));
  EXPECT_EQ(pod_spec->Property("tolerations")->patch_strategy, "");
  EXPECT_EQ(pod_spec->Property("volumes")->patch_strategy, "merge,retainKeys");
  EXPECT_EQ(pod_spec->Property("nodeSelector")->additional_properties->type, Type::kString);
  EXPECT_EQ(pod_spec->Property("nodeSelector")->map_type, "atomic");

  const Schema* strategy =
      BuiltinSchemas().Find("io.k8s.api.apps.v1.DeploymentSpec")->Property("strategy");
  EXPECT_EQ(strategy->title, "io.k8s.api.apps.v1.DeploymentStrategy");
  EXPECT_EQ(strategy->patch_strategy, "retainKeys");
  EXPECT_NE(strategy->Property("rollingUpdate"), nullptr);

  const Schema* props = BuiltinSchemas().Find(
      "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps");
  ASSERT_NE(props, nullptr);
  EXPECT_EQ(props->Property("properties")->additional_properties, props);
  EXPECT_TRUE(props->Property("default")->preserve_unknown_fields);
  EXPECT_EQ(props->Property("default")->type, Type::kAny);

  const Schema* container = BuiltinSchemas().Find("io.k8s.api.core.v1.Container");
  const Schema* limits = container->Property("resources")->Property("limits");
  EXPECT_TRUE(limits->additional_properties->int_or_string);
  EXPECT_EQ(limits->additional_properties->title, "io.k8s.apimachinery.pkg.api.resource.Quantity");
}

TEST(BuiltinSchemas, FirstUseFromManyThreads) {
  std::vector<const SchemaSet*> seen(8);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < seen.size(); ++i) {
    threads.emplace_back([&seen, i] { seen[i] = &BuiltinSchemas(); });
  }
  for (std::thread& t : threads) t.join();
  for (const SchemaSet* s : seen) EXPECT_EQ(s, &BuiltinSchemas());
}

TEST(BuiltinSchemas, GeneratedTableIsUpToDate) {
  ASSERT_EQ(std::system("python3 --version > /dev/null 2>&1"), 0) << "python3 is missing (scripts/install-deps installs it)";
  fs::path checked_in = kstack::testing::SourceDir() / "src/machinery/builtin_schemas_data.inc";
  fs::path fresh =
      fs::temp_directory_path() / ("builtin_schemas_data." + std::to_string(::getpid()) + ".inc");
  fs::path swagger = kstack::testing::SharedDir() / "testdata/kubernetes-openapi/swagger.json";
  std::string command = "python3 '" +
                        (kstack::testing::SourceDir() / "scripts/gen-builtin-schemas").string() +
                        "' --swagger '" + swagger.string() + "' --output '" + fresh.string() + "'";
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
  std::string want = kstack::testing::ReadFile(fresh);
  fs::remove(fresh);
  EXPECT_FALSE(want.empty());
  EXPECT_TRUE(kstack::testing::ReadFile(checked_in) == want)
      << "src/machinery/builtin_schemas_data.inc is stale: run scripts/gen-builtin-schemas";
}

}  // namespace
}  // namespace kstack::machinery
