// Kubernetes object semantics over a real SQLite store.

#include "server/object_registry.h"

#include <gtest/gtest.h>

#include <regex>

#include "store/open_store.h"
#include "tests/testing/temp_dir.h"

namespace kstack::server {
namespace {

const ResourceType& Type(std::string_view group, std::string_view resource) {
  const ResourceType* t = machinery::FindBuiltinResource(group, "v1", resource);
  if (t == nullptr) t = machinery::FindBuiltinResource(group, "v2", resource);
  EXPECT_NE(t, nullptr) << resource;
  return *t;
}

Json J(std::string_view text) { return ParseJson(text).value(); }

std::string Meta(const Json& o, std::string_view key) {
  const Json& v = o.at("metadata").at(key);
  return v.is_string() ? std::string(v.get_string()) : WriteJson(v);
}

class ObjectRegistryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::OpenStore({.data_dir = dir_.path()});
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    store_ = std::move(*opened);
    registry_ = std::make_unique<ObjectRegistry>(store_.get(), &clock_);
  }
  void CreateNamespace(std::string_view name) {
    auto ns = registry_->Create(Type("", "namespaces"), "",
                                J(R"({"metadata":{"name":")" + std::string(name) + "\"}}"));
    ASSERT_TRUE(ns.ok()) << ns.status().message();
  }

  kstack::testing::TempDir dir_;
  FakeClock clock_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<ObjectRegistry> registry_;
};

TEST_F(ObjectRegistryTest, CreateSetsServerMetadata) {
  CreateNamespace("shop");
  auto cm =
      registry_->Create(Type("", "configmaps"), "shop", J(R"({"apiVersion":"v1","kind":"ConfigMap",
                                    "metadata":{"name":"web","uid":"mine","resourceVersion":"7"},
                                    "data":{"a":"1"}})"));
  ASSERT_TRUE(cm.ok()) << cm.status().message();
  EXPECT_EQ(Meta(*cm, "namespace"), "shop");
  EXPECT_TRUE(std::regex_match(Meta(*cm, "uid"),
                               std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-"
                                          "[0-9a-f]{12}")))
      << Meta(*cm, "uid");
  EXPECT_EQ(Meta(*cm, "creationTimestamp"), "2024-01-01T00:00:00Z");
  EXPECT_NE(Meta(*cm, "resourceVersion"), "7");
  EXPECT_FALSE(cm->at("metadata").as_object().contains("generation"));
  auto got = registry_->Get(Type("", "configmaps"), "shop", "web");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(*got, *cm);
}

TEST_F(ObjectRegistryTest, NamespacesAreActiveWithTheKubernetesFinalizer) {
  CreateNamespace("shop");
  auto ns = registry_->Get(Type("", "namespaces"), "", "shop");
  ASSERT_TRUE(ns.ok());
  EXPECT_EQ(WriteJson(ns->at("status")), R"({"phase":"Active"})");
  EXPECT_EQ(WriteJson(ns->at("spec")), R"({"finalizers":["kubernetes"]})");
}

TEST_F(ObjectRegistryTest, MissingNamespaceIsNotFoundNamingIt) {
  auto cm = registry_->Create(Type("", "configmaps"), "nope", J(R"({"metadata":{"name":"x"}})"));
  ASSERT_FALSE(cm.ok());
  EXPECT_EQ(cm.status().code(), 404);
  EXPECT_EQ(cm.status().message(), "namespaces \"nope\" not found");
}

TEST_F(ObjectRegistryTest, AlreadyExistsAndNotFoundMessages) {
  CreateNamespace("shop");
  const ResourceType& cms = Type("", "configmaps");
  ASSERT_TRUE(registry_->Create(cms, "shop", J(R"({"metadata":{"name":"x"}})")).ok());
  auto again = registry_->Create(cms, "shop", J(R"({"metadata":{"name":"x"}})"));
  EXPECT_EQ(again.status().reason(), Reason::kAlreadyExists);
  EXPECT_EQ(again.status().message(), "configmaps \"x\" already exists");
  auto missing = registry_->Get(cms, "shop", "y");
  EXPECT_EQ(missing.status().message(), "configmaps \"y\" not found");
  ASSERT_NE(missing.status().details(), nullptr);
  EXPECT_EQ(missing.status().details()->kind, "configmaps");
}

TEST_F(ObjectRegistryTest, NamesAreValidatedPerType) {
  CreateNamespace("shop");
  auto bad = registry_->Create(Type("", "configmaps"), "shop", J(R"({"metadata":{"name":"Web"}})"));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), 422);
  EXPECT_EQ(bad.status().message().rfind(
                "ConfigMap \"Web\" is invalid: metadata.name: Invalid value: \"Web\": a lowercase "
                "RFC 1123 subdomain",
                0),
            0u)
      << bad.status().message();
  EXPECT_EQ(bad.status().details()->causes.at(0).field, "metadata.name");
  EXPECT_FALSE(
      registry_->Create(Type("", "services"), "shop", J(R"({"metadata":{"name":"1web"}})")).ok());
  EXPECT_TRUE(registry_
                  ->Create(Type("rbac.authorization.k8s.io", "clusterroles"), "",
                           J(R"({"metadata":{"name":"system:kstack:reader"}})"))
                  .ok());
  auto none = registry_->Create(Type("", "configmaps"), "shop", J(R"({"metadata":{}})"));
  EXPECT_NE(none.status().message().find("name or generateName is required"), std::string::npos);
}

TEST_F(ObjectRegistryTest, GenerateName) {
  CreateNamespace("shop");
  auto cm = registry_->Create(Type("", "configmaps"), "shop",
                              J(R"({"metadata":{"generateName":"job-"}})"));
  ASSERT_TRUE(cm.ok()) << cm.status().message();
  EXPECT_TRUE(std::regex_match(Meta(*cm, "name"), std::regex("job-[bcdfghjklmnpqrstvwxz2-9]{5}")))
      << Meta(*cm, "name");
}

TEST_F(ObjectRegistryTest, BodyMustFitTheRequest) {
  CreateNamespace("shop");
  auto wrong_kind = registry_->Create(Type("", "configmaps"), "shop",
                                      J(R"({"kind":"Secret","metadata":{"name":"x"}})"));
  EXPECT_EQ(wrong_kind.status().code(), 400);
  auto wrong_ns = registry_->Create(Type("", "configmaps"), "shop",
                                    J(R"({"metadata":{"name":"x","namespace":"other"}})"));
  EXPECT_EQ(wrong_ns.status().code(), 400);
  EXPECT_NE(wrong_ns.status().message().find("does not match the namespace"), std::string::npos);
}

TEST_F(ObjectRegistryTest, OptimisticConcurrency) {
  CreateNamespace("shop");
  const ResourceType& cms = Type("", "configmaps");
  Json cm =
      registry_->Create(cms, "shop", J(R"({"metadata":{"name":"x"},"data":{"a":"1"}})")).value();
  Json edit = cm;
  edit.at("data").as_object()["a"] = "2";
  auto updated = registry_->Update(cms, "shop", "x", edit);
  ASSERT_TRUE(updated.ok()) << updated.status().message();
  EXPECT_NE(Meta(*updated, "resourceVersion"), Meta(cm, "resourceVersion"));
  EXPECT_EQ(Meta(*updated, "uid"), Meta(cm, "uid"));
  // The first edit's resourceVersion is stale now.
  auto stale = registry_->Update(cms, "shop", "x", edit);
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.status().code(), 409);
  EXPECT_EQ(stale.status().message(),
            "Operation cannot be fulfilled on configmaps \"x\": the object has been modified; "
            "please apply your changes to the latest version and try again");
  // Without a resourceVersion the update is unconditional; an unchanged object is not written.
  Json again = *updated;
  again.at("metadata").as_object().erase("resourceVersion");
  auto same = registry_->Update(cms, "shop", "x", again);
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(Meta(*same, "resourceVersion"), Meta(*updated, "resourceVersion"));
  auto renamed = registry_->Update(cms, "shop", "y", again);
  EXPECT_EQ(renamed.status().code(), 400);
}

TEST_F(ObjectRegistryTest, GenerationAndStatusSubresource) {
  CreateNamespace("shop");
  const ResourceType& deployments = Type("apps", "deployments");
  Json d = registry_
               ->Create(deployments, "shop", J(R"({"metadata":{"name":"web"},"spec":{"replicas":1},
                              "status":{"replicas":9}})"))
               .value();
  EXPECT_EQ(Meta(d, "generation"), "1");
  EXPECT_FALSE(d.as_object().contains("status"));
  Json scaled = d;
  scaled.at("spec").as_object()["replicas"] = 3;
  scaled.as_object()["status"] = J(R"({"replicas":5})");
  d = registry_->Update(deployments, "shop", "web", scaled).value();
  EXPECT_EQ(Meta(d, "generation"), "2");
  EXPECT_FALSE(d.as_object().contains("status")) << "status is written through /status only";
  Json labelled = d;
  labelled.at("metadata").as_object()["labels"] = J(R"({"app":"web"})");
  d = registry_->Update(deployments, "shop", "web", labelled).value();
  EXPECT_EQ(Meta(d, "generation"), "2");
  Json status = d;
  status.as_object()["status"] = J(R"({"replicas":3,"observedGeneration":2})");
  status.at("spec").as_object()["replicas"] = 100;
  d = registry_->UpdateStatus(deployments, "shop", "web", status).value();
  EXPECT_EQ(WriteJson(d.at("status")), R"({"replicas":3,"observedGeneration":2})");
  EXPECT_EQ(d.at("spec").at("replicas").as_int64(), 3);
  EXPECT_EQ(Meta(d, "generation"), "2");
}

TEST_F(ObjectRegistryTest, SecretStringDataIsFoldedIntoData) {
  CreateNamespace("shop");
  auto s = registry_->Create(Type("", "secrets"), "shop",
                             J(R"({"metadata":{"name":"db"},"data":{"a":"eA=="},
                                   "stringData":{"password":"hunter2","b":"xy"}})"));
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(WriteJson(s->at("data")), R"({"a":"eA==","password":"aHVudGVyMg==","b":"eHk="})");
  EXPECT_FALSE(s->as_object().contains("stringData"));
  EXPECT_EQ(s->at("type").as_string(), "Opaque");
}

TEST_F(ObjectRegistryTest, ListsWithSelectorsPagesAndNamespaces) {
  CreateNamespace("a");
  CreateNamespace("ab");
  const ResourceType& pods = Type("", "pods");
  for (int i = 0; i < 5; ++i) {
    std::string body = R"({"metadata":{"name":"p)" + std::to_string(i) + R"(","labels":{"app":")" +
                       (i % 2 ? "web" : "db") + R"("}},"status":{"phase":"Running"}})";
    ASSERT_TRUE(registry_->Create(pods, i < 4 ? "a" : "ab", J(body)).ok());
  }
  auto all_a = registry_->List(pods, "a", {});
  ASSERT_TRUE(all_a.ok()) << all_a.status().message();
  EXPECT_EQ(all_a->at("kind").as_string(), "PodList");
  EXPECT_EQ(all_a->at("items").as_array().size(), 4u) << "namespace \"ab\" is not part of \"a\"";
  EXPECT_EQ(registry_->List(pods, "", {})->at("items").as_array().size(), 5u);
  EXPECT_EQ(registry_->List(pods, "", {.label_selector = "app=web"})->at("items").as_array().size(),
            2u);
  EXPECT_EQ(registry_->List(pods, "", {.field_selector = "metadata.namespace=ab"})
                ->at("items")
                .as_array()
                .size(),
            1u);
  auto bad = registry_->List(pods, "", {.field_selector = "spec.replicas=1"});
  EXPECT_EQ(bad.status().message(), "field label not supported: spec.replicas");
  EXPECT_EQ(registry_->List(pods, "", {.label_selector = "app in (web"}).status().code(), 400);
  // Pages of two, consistent at the first page's revision.
  std::vector<std::string> names;
  ListQuery q{.limit = 2};
  for (;;) {
    Json page = registry_->List(pods, "", q).value();
    for (const Json& item : page.at("items").as_array()) names.push_back(Meta(item, "name"));
    const Json* cont = FindMember(page.at("metadata"), "continue");
    if (cont == nullptr) break;
    q.continue_token = std::string(cont->as_string());
  }
  EXPECT_EQ(names, (std::vector<std::string>{"p0", "p1", "p2", "p3", "p4"}));
}

TEST_F(ObjectRegistryTest, DeleteAndFinalizers) {
  CreateNamespace("shop");
  const ResourceType& cms = Type("", "configmaps");
  ASSERT_TRUE(registry_->Create(cms, "shop", J(R"({"metadata":{"name":"plain"}})")).ok());
  auto gone = registry_->Delete(cms, "shop", "plain");
  ASSERT_TRUE(gone.ok());
  EXPECT_EQ(Meta(*gone, "name"), "plain");
  EXPECT_EQ(registry_->Get(cms, "shop", "plain").status().code(), 404);
  EXPECT_EQ(registry_->Delete(cms, "shop", "plain").status().code(), 404);

  ASSERT_TRUE(
      registry_
          ->Create(cms, "shop", J(R"({"metadata":{"name":"held","finalizers":["kstack.io/x"]}})"))
          .ok());
  clock_.Advance(std::chrono::seconds(5));
  Json marked = registry_->Delete(cms, "shop", "held").value();
  EXPECT_EQ(Meta(marked, "deletionTimestamp"), "2024-01-01T00:00:05Z");
  EXPECT_TRUE(registry_->Get(cms, "shop", "held").ok()) << "held by its finalizer";
  marked.at("metadata").as_object()["finalizers"] = JsonArray();
  ASSERT_TRUE(registry_->Update(cms, "shop", "held", marked).ok());
  EXPECT_EQ(registry_->Get(cms, "shop", "held").status().code(), 404);
}

TEST_F(ObjectRegistryTest, PropagationPoliciesSetTheGarbageCollectorsFinalizers) {
  CreateNamespace("shop");
  const ResourceType& cms = Type("", "configmaps");
  ASSERT_TRUE(registry_->Create(cms, "shop", J(R"({"metadata":{"name":"a"}})")).ok());
  Json marked =
      registry_->Delete(cms, "shop", "a", {.propagation = Propagation::kForeground}).value();
  EXPECT_EQ(Meta(marked, "finalizers"), R"(["foregroundDeletion"])");
  EXPECT_NE(Meta(marked, "deletionTimestamp"), "");
  EXPECT_TRUE(registry_->Get(cms, "shop", "a").ok()) << "held until its dependents are gone";
  // A later delete may change the policy; the default keeps what is there.
  marked = registry_->Delete(cms, "shop", "a").value();
  EXPECT_EQ(Meta(marked, "finalizers"), R"(["foregroundDeletion"])");
  marked = registry_->Delete(cms, "shop", "a", {.propagation = Propagation::kOrphan}).value();
  EXPECT_EQ(Meta(marked, "finalizers"), R"(["orphan"])");
  // Background removes both: nothing holds it any more.
  ASSERT_TRUE(registry_->Delete(cms, "shop", "a", {.propagation = Propagation::kBackground}).ok());
  EXPECT_EQ(registry_->Get(cms, "shop", "a").status().code(), 404);

  // Other finalizers stay with the garbage collector's.
  ASSERT_TRUE(
      registry_->Create(cms, "shop", J(R"({"metadata":{"name":"b","finalizers":["x.io/y"]}})"))
          .ok());
  marked = registry_->Delete(cms, "shop", "b", {.propagation = Propagation::kOrphan}).value();
  EXPECT_EQ(Meta(marked, "finalizers"), R"(["x.io/y","orphan"])");
}

TEST_F(ObjectRegistryTest, DeleteOptionsPropagationAsKubernetesValidatesIt) {
  EXPECT_EQ(ParsePropagation("", "").value(), Propagation::kDefault);
  EXPECT_EQ(ParsePropagation("Foreground", "").value(), Propagation::kForeground);
  EXPECT_EQ(ParsePropagation("Background", "").value(), Propagation::kBackground);
  EXPECT_EQ(ParsePropagation("Orphan", "").value(), Propagation::kOrphan);
  EXPECT_EQ(ParsePropagation("", "true").value(), Propagation::kOrphan);
  EXPECT_EQ(ParsePropagation("", "false").value(), Propagation::kBackground);
  Status unknown = ParsePropagation("background", "").status();
  EXPECT_EQ(unknown.code(), 422);
  EXPECT_EQ(unknown.message(),
            R"(DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: )"
            R"("background": supported values: "Foreground", "Background", "Orphan", "nil")");
  Status both = ParsePropagation("Orphan", "true").status();
  EXPECT_EQ(both.code(), 422);
  EXPECT_NE(both.message().find("orphanDependents and deletionPropagation cannot be both set"),
            std::string::npos);
}

TEST_F(ObjectRegistryTest, DeletePreconditionsAndDryRun) {
  CreateNamespace("shop");
  const ResourceType& cms = Type("", "configmaps");
  auto dry = registry_->Create(cms, "shop", J(R"({"metadata":{"name":"x"}})"), {.dry_run = true});
  ASSERT_TRUE(dry.ok());
  EXPECT_EQ(registry_->Get(cms, "shop", "x").status().code(), 404) << "dry run stores nothing";
  Json x = registry_->Create(cms, "shop", J(R"({"metadata":{"name":"x"}})")).value();
  EXPECT_EQ(registry_->Delete(cms, "shop", "x", {.uid_precondition = "other"}).status().code(),
            409);
  EXPECT_TRUE(registry_->Delete(cms, "shop", "x", {.dry_run = true}).ok());
  EXPECT_TRUE(registry_->Get(cms, "shop", "x").ok());
  EXPECT_TRUE(registry_->Delete(cms, "shop", "x", {.uid_precondition = Meta(x, "uid")}).ok());
}

TEST_F(ObjectRegistryTest, EverythingSurvivesReopeningTheStore) {
  CreateNamespace("shop");
  Json cm =
      registry_->Create(Type("", "configmaps"), "shop", J(R"({"metadata":{"name":"x"}})")).value();
  registry_.reset();
  store_.reset();
  store_ = store::OpenStore({.data_dir = dir_.path()}).value();
  registry_ = std::make_unique<ObjectRegistry>(store_.get(), &clock_);
  EXPECT_EQ(registry_->Get(Type("", "configmaps"), "shop", "x").value(), cm);
}

}  // namespace
}  // namespace kstack::server

namespace kstack::server {
namespace {

TEST_F(ObjectRegistryTest, MergeAndJsonPatches) {
  CreateNamespace("shop");
  const ResourceType& cms = Type("", "configmaps");
  Json cm =
      registry_->Create(cms, "shop", J(R"({"metadata":{"name":"x"},"data":{"a":"1","b":"2"}})"))
          .value();
  auto merged = registry_->Patch(cms, "shop", "x", PatchType::kMerge,
                                 J(R"({"data":{"a":null,"c":"3"}})"), false);
  ASSERT_TRUE(merged.ok()) << merged.status().message();
  EXPECT_EQ(WriteJson(merged->at("data")), R"({"b":"2","c":"3"})");
  EXPECT_NE(Meta(*merged, "resourceVersion"), Meta(cm, "resourceVersion"));
  auto json = registry_->Patch(cms, "shop", "x", PatchType::kJson,
                               J(R"([{"op":"test","path":"/data/b","value":"2"},
                                     {"op":"replace","path":"/data/b","value":"two"}])"),
                               false);
  ASSERT_TRUE(json.ok()) << json.status().message();
  EXPECT_EQ(WriteJson(json->at("data")), R"({"b":"two","c":"3"})");
  auto failed = registry_->Patch(cms, "shop", "x", PatchType::kJson,
                                 J(R"([{"op":"test","path":"/data/b","value":"2"}])"), false);
  EXPECT_EQ(failed.status().code(), 422);
  // A resourceVersion in the patch is a precondition.
  auto stale = registry_->Patch(
      cms, "shop", "x", PatchType::kMerge,
      J(R"({"metadata":{"resourceVersion":")" + Meta(cm, "resourceVersion") + R"("}})"), false);
  EXPECT_EQ(stale.status().code(), 409);
}

}  // namespace
}  // namespace kstack::server
