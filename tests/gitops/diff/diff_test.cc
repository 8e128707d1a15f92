// The parts of the comparison that golden cases do not reach: errors, tracking, settings.

#include "gitops/diff/diff.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "core/yaml.h"
#include "gitops/diff/compare_app.h"
#include "gitops/diff/settings.h"
#include "gitops/diff/tracking.h"
#include "machinery/schema.h"

namespace kstack::gitops::diff {
namespace {

Json Yaml(std::string_view text) {
  Result<Json> v = ParseYaml(text);
  EXPECT_TRUE(v.ok()) << v.status().ToString();
  return v.ok() ? *v : Json();
}

TEST(Diff, NeedsSomethingToCompare) {
  Result<ResourceDiff> none = Diff(nullptr, nullptr);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().reason(), Reason::kBadRequest);
  Json list = JsonArray();
  Result<ResourceDiff> not_object = Diff(&list, nullptr);
  ASSERT_FALSE(not_object.ok());
  EXPECT_EQ(not_object.status().reason(), Reason::kBadRequest);
}

TEST(Diff, LeavesItsInputsAlone) {
  Json desired = Yaml("{apiVersion: v1, kind: ConfigMap, metadata: {name: a}, data: {k: v}}");
  Json live = Yaml(
      "{apiVersion: v1, kind: ConfigMap, metadata: {name: a, namespace: d, uid: x}, data: {k: w}}");
  Json desired_copy = desired, live_copy = live;
  Result<ResourceDiff> got = Diff(&desired, &live);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->status, SyncStatus::kOutOfSync);
  EXPECT_EQ(desired, desired_copy);
  EXPECT_EQ(live, live_copy);
  EXPECT_NE(got->text.find("-  k: w\n+  k: v\n"), std::string::npos) << got->text;
}

TEST(Diff, InSyncHasNoText) {
  Json desired = Yaml("{apiVersion: v1, kind: ConfigMap, metadata: {name: a}, data: {k: v}}");
  Result<ResourceDiff> got = Diff(&desired, &desired);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->status, SyncStatus::kSynced);
  EXPECT_EQ(got->text, "");
}

TEST(Diff, HidesSecretValuesOnlyInTheOutput) {
  Json desired = Yaml(
      "{apiVersion: v1, kind: Secret, metadata: {name: s}, "
      "stringData: {same: a, changed: new}}");
  Json live = Yaml(
      "{apiVersion: v1, kind: Secret, metadata: {name: s}, "
      "data: {same: YQ==, changed: b2xk}}");
  Result<ResourceDiff> got = Diff(&desired, &live, {.hide_secret_data = true});
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->status, SyncStatus::kOutOfSync);
  // Masks are handed out desired first: one length per distinct value of a key.
  EXPECT_EQ(got->desired.at("data"), Yaml("{same: '++++++++', changed: '++++++++'}"));
  EXPECT_EQ(got->live.at("data"), Yaml("{same: '++++++++', changed: '++++++++++++'}"));
  EXPECT_EQ(got->text.find("b2xk"), std::string::npos);
}

// A CRD's schema, given through schema_for: its int-or-string fields and keyed lists count.
TEST(Diff, ReadsSchemasOfCustomResources) {
  machinery::SchemaSet set;
  machinery::Schema* port = set.Add();
  port->int_or_string = true;
  machinery::Schema* item = set.Add();
  item->type = machinery::Schema::Type::kObject;
  machinery::Schema* items = set.Add();
  items->type = machinery::Schema::Type::kArray;
  items->items = item;
  items->list_type = "map";
  items->list_map_keys = {"name"};
  machinery::Schema* spec = set.Add();
  spec->type = machinery::Schema::Type::kObject;
  spec->properties = {{"items", items}, {"port", port}};
  machinery::Schema* root = set.Add();
  root->type = machinery::Schema::Type::kObject;
  root->properties = {{"spec", spec}};
  DiffOptions options{.schema_for = [root](std::string_view group, std::string_view,
                                           std::string_view kind) -> const machinery::Schema* {
    return group == "example.com" && kind == "Widget" ? root : nullptr;
  }};

  Json desired = Yaml(R"({apiVersion: example.com/v1, kind: Widget, metadata: {name: w},
      spec: {port: "8080", items: [{name: b, size: 2}]}})");
  Json live = Yaml(R"({apiVersion: example.com/v1, kind: Widget, metadata: {name: w},
      spec: {port: 8080, items: [{name: a, size: 1}, {name: b, size: 2, color: red}]}})");
  Result<ResourceDiff> got = Diff(&desired, &live, options);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->status, SyncStatus::kSynced) << got->text;

  // Without the schema the list is atomic and "8080" is text: both differ.
  got = Diff(&desired, &live);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->status, SyncStatus::kOutOfSync);
  EXPECT_NE(got->text.find("-  port: 8080\n+  port: \"8080\"\n"), std::string::npos) << got->text;
}

TEST(Tracking, IdsAndWhoOwnsWhat) {
  Tracking t{.app = "shop", .method = TrackingMethod::kAnnotation, .destination_namespace = "prod"};
  ResourceKey web{.group = "apps", .kind = "Deployment", .ns = "prod", .name = "web"};
  EXPECT_EQ(TrackingId(t, web), "shop:apps/Deployment:prod/web");
  EXPECT_EQ(TrackingId(t, {.kind = "Namespace", .name = "prod"}), "shop:/Namespace:prod/prod");

  Json deployment = Yaml(R"({apiVersion: apps/v1, kind: Deployment,
      metadata: {name: web, namespace: prod,
                 annotations: {argocd.argoproj.io/tracking-id:
                                 "shop:apps/Deployment:prod/web"}}})");
  EXPECT_TRUE(IsTracked(deployment, t));
  EXPECT_FALSE(IsTracked(deployment, {.app = "other"}));
  // A copy of another object's annotation does not make an object the Application's.
  Json copy = Yaml(R"({apiVersion: apps/v1, kind: ReplicaSet,
      metadata: {name: web-1, namespace: prod,
                 annotations: {argocd.argoproj.io/tracking-id:
                                 "shop:apps/Deployment:prod/web"}}})");
  EXPECT_FALSE(IsTracked(copy, t));
  Json ns = Yaml(R"({apiVersion: v1, kind: Namespace,
      metadata: {name: prod,
                 annotations: {argocd.argoproj.io/tracking-id: "shop:/Namespace:prod/prod"}}})");
  EXPECT_TRUE(IsTracked(ns, t));
  Json labelled = Yaml(R"({apiVersion: v1, kind: ConfigMap,
      metadata: {name: c, namespace: prod, labels: {app.kubernetes.io/instance: shop}}})");
  EXPECT_FALSE(IsTracked(labelled, t));
  EXPECT_TRUE(IsTracked(labelled, {.app = "shop", .method = TrackingMethod::kLabel}));
  EXPECT_FALSE(IsTracked(labelled, {.app = "shop", .method = TrackingMethod::kAnnotationAndLabel}));
}

TEST(Tracking, SetTrackingWritesWhatTheMethodSays) {
  Json object = Yaml("{apiVersion: v1, kind: ConfigMap, metadata: {name: c, namespace: prod}}");
  std::string long_name = std::string(62, 'a') + "-b";
  SetTracking(object, {.app = long_name, .method = TrackingMethod::kAnnotationAndLabel});
  EXPECT_EQ(object.at("metadata").at("labels").at("app.kubernetes.io/instance"),
            Json(std::string(62, 'a')));
  EXPECT_EQ(object.at("metadata").at("annotations").at("argocd.argoproj.io/tracking-id"),
            Json(long_name + ":/ConfigMap:prod/c"));
}

TEST(Settings, ReadsArgoCdConfigMap) {
  Json cm = Yaml(R"(
apiVersion: v1
kind: ConfigMap
metadata: {name: argocd-cm}
data:
  resource.customizations.ignoreDifferences.apps_Deployment: |
    jsonPointers: [/spec/replicas]
  resource.customizations.ignoreDifferences._Service: |
    jqPathExpressions: [.spec.clusterIP]
  resource.customizations.ignoreDifferences.all: |
    managedFieldsManagers: [kube-controller-manager]
  resource.customizations: |
    admissionregistration.k8s.io/MutatingWebhookConfiguration:
      ignoreDifferences: |
        jsonPointers: [/webhooks/0/clientConfig/caBundle]
      health.lua: "return {}"
  resource.compareoptions: |
    ignoreResourceStatusField: crd
    ignoreAggregatedRoles: true
  application.resourceTrackingMethod: annotation+label
  application.instanceLabelKey: example.com/app
  url: https://argocd.example.com
)");
  Result<CompareSettings> got = ParseArgoCdConfigMap(cm, "argocd-cm");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->ignore_status_field, IgnoreStatusField::kCrd);
  EXPECT_TRUE(got->ignore_aggregated_roles);
  EXPECT_EQ(got->tracking_method, TrackingMethod::kAnnotationAndLabel);
  EXPECT_EQ(got->instance_label_key, "example.com/app");
  ASSERT_EQ(got->ignore_differences.size(), 4u);
  std::vector<std::string> group_kinds;
  for (const ResourceIgnoreDifferences& r : got->ignore_differences) {
    group_kinds.push_back(r.group + "/" + r.kind);
  }
  std::sort(group_kinds.begin(), group_kinds.end());
  EXPECT_EQ(group_kinds,
            (std::vector<std::string>{"*/*", "/Service",
                                      "admissionregistration.k8s.io/MutatingWebhookConfiguration",
                                      "apps/Deployment"}));
}

TEST(Settings, DefaultsAreArgoCdThrees) {
  Result<CompareSettings> got = ParseArgoCdConfigMap(Yaml("{}"), "argocd-cm");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->ignore_status_field, IgnoreStatusField::kAll);
  EXPECT_EQ(got->tracking_method, TrackingMethod::kAnnotation);
  EXPECT_EQ(got->instance_label_key, "app.kubernetes.io/instance");
}

TEST(Settings, NamesWhatItCannotRead) {
  Result<CompareSettings> bad_status = ParseArgoCdConfigMap(
      Yaml("{resource.compareoptions: 'ignoreResourceStatusField: some'}"), "cm.yaml");
  ASSERT_FALSE(bad_status.ok());
  EXPECT_EQ(bad_status.status().reason(), Reason::kInvalid);
  EXPECT_NE(bad_status.status().message().find("cm.yaml: resource.compareoptions"),
            std::string::npos)
      << bad_status.status().message();

  Result<CompareSettings> bad_method =
      ParseArgoCdConfigMap(Yaml("{application.resourceTrackingMethod: labels}"), "cm.yaml");
  ASSERT_FALSE(bad_method.ok());

  Result<std::vector<ResourceIgnoreDifferences>> bad_list =
      ParseIgnoreDifferences(Yaml("[{kind: Deployment, jsonPointers: [1]}]"), "app.yaml");
  ASSERT_FALSE(bad_list.ok());
  EXPECT_EQ(bad_list.status().message(),
            "app.yaml: ignoreDifferences[0].jsonPointers: must be a list of strings");
}

TEST(Settings, ReadsAnApplication) {
  Result<ApplicationSettings> got = ParseApplication(Yaml(R"(
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: shop, namespace: argocd}
spec:
  destination: {server: https://kubernetes.default.svc, namespace: prod}
  ignoreDifferences:
  - {group: apps, kind: Deployment, name: web, namespace: prod, jsonPointers: [/spec/replicas]}
)"),
                                                     "app.yaml");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->name, "shop");
  EXPECT_EQ(got->destination_namespace, "prod");
  ASSERT_EQ(got->ignore_differences.size(), 1u);
  EXPECT_EQ(got->ignore_differences[0].name, "web");
  EXPECT_EQ(got->ignore_differences[0].ns, "prod");
  EXPECT_FALSE(ParseApplication(Yaml("{kind: ConfigMap}"), "x").ok());
}

TEST(CompareApp, NamesObjectsItCannotCompare) {
  std::vector<Json> desired = {Yaml("{apiVersion: v1, kind: ConfigMap, metadata: {}}")};
  Result<AppComparison> got = CompareApp(desired, {}, {});
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().reason(), Reason::kBadRequest);
  EXPECT_EQ(got.status().message(), "desired object 1: has no kind or no metadata.name");
}

// A large app is compared on several threads: the result is the one of comparing each resource
// alone, in key order.
TEST(CompareApp, ALargeAppComparesAsEachResourceAlone) {
  std::vector<Json> desired, live;
  for (int i = 0; i < 1000; ++i) {
    Json cm = Yaml(fmt::format(
        "{{apiVersion: v1, kind: ConfigMap, metadata: {{name: cm-{:04}, namespace: shop}}, "
        "data: {{value: \"{}\"}}}}",
        i, i));
    desired.push_back(cm);
    if (i % 7 == 0) continue;  // missing
    if (i % 5 == 0) cm.at("data").as_object()["value"] = "drifted";
    live.push_back(std::move(cm));
  }
  live.push_back(Yaml(
      "{apiVersion: v1, kind: ConfigMap, metadata: {name: zz-extra, namespace: shop}, data: {}}"));
  Result<AppComparison> got = CompareApp(desired, live, {});
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  ASSERT_EQ(got->resources.size(), 1001u);
  for (int i = 0; i < 1000; ++i) {
    const ResourceComparison& r = got->resources[i];
    ASSERT_EQ(r.key.name, fmt::format("cm-{:04}", i));
    ResourceStatus want = i % 7 == 0   ? ResourceStatus::kMissing
                          : i % 5 == 0 ? ResourceStatus::kOutOfSync
                                       : ResourceStatus::kSynced;
    EXPECT_EQ(r.status, want) << r.key.name;
    if (want != ResourceStatus::kMissing) {
      const Json& l = live[i - i / 7 - 1];
      Result<ResourceDiff> alone = Diff(&desired[i], &l);
      ASSERT_TRUE(alone.ok());
      EXPECT_EQ(alone->text, r.diff.text) << r.key.name;
    }
  }
  EXPECT_EQ(got->resources.back().status, ResourceStatus::kExtraneous);
  EXPECT_EQ(got->status, SyncStatus::kOutOfSync);
}

TEST(CompareApp, HooksNamedByGenerateNameTakeNoPart) {
  std::vector<Json> desired = {
      Yaml("{apiVersion: batch/v1, kind: Job, metadata: {generateName: migrate-, annotations: "
           "{argocd.argoproj.io/hook: PreSync}}}"),
      Yaml("{apiVersion: v1, kind: ConfigMap, metadata: {name: a, namespace: shop}}")};
  Result<AppComparison> got = CompareApp(desired, {}, {});
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  ASSERT_EQ(got->resources.size(), 1u);
  EXPECT_EQ(got->resources[0].key.name, "a");
  // Not a hook: a missing name is still an error.
  desired[0] = Yaml("{apiVersion: batch/v1, kind: Job, metadata: {generateName: migrate-}}");
  EXPECT_FALSE(CompareApp(desired, {}, {}).ok());
}

}  // namespace
}  // namespace kstack::gitops::diff
