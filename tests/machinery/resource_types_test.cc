// The built-in type table against the Kubernetes API's own OpenAPI document
// (../shared/testdata/kubernetes-openapi/swagger.json), type by type: kind, scope, verbs,
// status and scale subresources, and the list kind.

#include "machinery/resource_types.h"

#include <gtest/gtest.h>

#include <set>

#include "core/json.h"
#include "tests/core/golden.h"

namespace kstack::machinery {
namespace {

const Json& Swagger() {
  static const Json* doc = [] {
    auto path = kstack::testing::SharedDir() / "testdata/kubernetes-openapi/swagger.json";
    Result<Json> v = ParseJson(kstack::testing::ReadFile(path), path.string());
    EXPECT_TRUE(v.ok()) << v.status().message();
    return new Json(v.ok() ? *v : Json(JsonObject()));
  }();
  return *doc;
}

std::string Prefix(const ResourceType& t) {
  return t.group.empty() ? "/api/v1" : "/apis/" + std::string(t.group_version);
}

std::string CollectionPath(const ResourceType& t) {
  return Prefix(t) + (t.namespaced ? "/namespaces/{namespace}/" : "/") + std::string(t.resource);
}

const JsonObject* PathItem(const std::string& path) {
  const JsonObject* paths = FindObject(Swagger(), "paths");
  if (paths == nullptr) return nullptr;
  const Json* item = paths->if_contains(path);
  return item ? item->if_object() : nullptr;
}

// The discovery verbs of a type, from the x-kubernetes-action of its operations.
std::set<std::string> SwaggerVerbs(const ResourceType& t) {
  std::set<std::string> verbs;
  for (const std::string& path : {CollectionPath(t), CollectionPath(t) + "/{name}"}) {
    const JsonObject* item = PathItem(path);
    if (item == nullptr) continue;
    for (const auto& op : *item) {
      std::string_view action = FindString(op.value(), "x-kubernetes-action");
      if (action == "post") {
        verbs.insert("create");
      } else if (action == "put") {
        verbs.insert("update");
      } else if (!action.empty()) {
        verbs.insert(std::string(action));
      }
    }
  }
  std::string watch = Prefix(t) + "/watch" + (t.namespaced ? "/namespaces/{namespace}/" : "/") +
                      std::string(t.resource);
  if (PathItem(watch) != nullptr) verbs.insert("watch");
  return verbs;
}

std::string SwaggerKind(const ResourceType& t) {
  const JsonObject* item = PathItem(CollectionPath(t) + "/{name}");
  if (item == nullptr) return "";
  const Json* get = item->if_contains("get");
  if (get == nullptr) return "";
  const Json* gvk = FindMember(*get, "x-kubernetes-group-version-kind");
  if (gvk == nullptr) return "";
  EXPECT_EQ(FindString(*gvk, "group"), t.group);
  EXPECT_EQ(FindString(*gvk, "version"), t.version);
  return std::string(FindString(*gvk, "kind"));
}

bool HasDefinitionOfKind(const ResourceType& t, const std::string& kind) {
  const JsonObject* defs = FindObject(Swagger(), "definitions");
  if (defs == nullptr) return false;
  for (const auto& def : *defs) {
    const JsonArray* gvks = FindArray(def.value(), "x-kubernetes-group-version-kind");
    if (gvks == nullptr) continue;
    for (const Json& gvk : *gvks) {
      if (FindString(gvk, "group") == t.group && FindString(gvk, "version") == t.version &&
          FindString(gvk, "kind") == kind) {
        return true;
      }
    }
  }
  return false;
}

}  // namespace

void PrintTo(const ResourceType& t, std::ostream* os) { *os << t.group_version << " " << t.resource; }

namespace {

class BuiltinType : public ::testing::TestWithParam<ResourceType> {};

TEST_P(BuiltinType, MatchesTheKubernetesOpenApi) {
  const ResourceType& t = GetParam();
  ASSERT_NE(PathItem(CollectionPath(t)), nullptr)
      << CollectionPath(t) << " is not in the OpenAPI document (wrong scope or name?)";
  if (!t.namespaced) {
    std::string namespaced = Prefix(t) + "/namespaces/{namespace}/" + std::string(t.resource);
    EXPECT_EQ(PathItem(namespaced), nullptr) << "namespaced in Kubernetes: " << namespaced;
  }
  EXPECT_EQ(SwaggerKind(t), t.kind);
  EXPECT_EQ(t.singular, [&] {
    std::string lower(t.kind);
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return lower;
  }());
  std::set<std::string> verbs(t.verbs.begin(), t.verbs.end());
  EXPECT_EQ(verbs, SwaggerVerbs(t));
  EXPECT_EQ(t.has_status, PathItem(CollectionPath(t) + "/{name}/status") != nullptr);
  EXPECT_EQ(t.has_scale, PathItem(CollectionPath(t) + "/{name}/scale") != nullptr);
  EXPECT_TRUE(HasDefinitionOfKind(t, std::string(t.kind) + "List"));
  EXPECT_EQ(t.group_version,
            t.group.empty() ? std::string(t.version)
                            : std::string(t.group) + "/" + std::string(t.version));
}

INSTANTIATE_TEST_SUITE_P(
    Table, BuiltinType,
    ::testing::ValuesIn(BuiltinResourceTypes().begin(), BuiltinResourceTypes().end()),
    [](const auto& info) {
      return kstack::testing::TestName(std::string(info.param.group_version) + "_" +
                                       std::string(info.param.resource));
    });

TEST(BuiltinTypes, NamesAndShortNamesAreUnique) {
  std::set<std::string> resources, short_names;
  for (const ResourceType& t : BuiltinResourceTypes()) {
    EXPECT_TRUE(resources.insert(std::string(t.group) + "/" + std::string(t.resource)).second)
        << t.resource;
    for (std::string_view s : t.short_names) {
      EXPECT_TRUE(short_names.insert(std::string(s)).second) << s;
    }
  }
  EXPECT_GE(resources.size(), 36u);
}

TEST(BuiltinTypes, Lookups) {
  const ResourceType* d = FindBuiltinResource("apps", "v1", "deployments");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->kind, "Deployment");
  EXPECT_EQ(FindBuiltinKind("", "v1", "ConfigMap")->resource, "configmaps");
  EXPECT_EQ(FindBuiltinResource("apps", "v1beta1", "deployments"), nullptr);
  EXPECT_EQ(FindBuiltinKind("", "v1", "Nope"), nullptr);
}

}  // namespace
}  // namespace kstack::machinery
