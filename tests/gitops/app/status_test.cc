#include "gitops/app/status.h"

#include <gtest/gtest.h>

#include "core/yaml.h"

namespace kstack::gitops::app {
namespace {

Json Yaml(std::string_view text) {
  Result<Json> v = ParseYaml(text);
  EXPECT_TRUE(v.ok()) << v.status().ToString();
  return v.ok() ? *v : Json();
}

const char kApp[] = R"(
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: shop, namespace: argocd}
spec:
  project: default
  source: {repoURL: "https://git.example.com/shop.git", path: apps, targetRevision: main}
  destination: {server: "https://kubernetes.default.svc", namespace: shop}
status:
  conditions:
  - {type: OrphanedResourceWarning, message: "Application has 1 orphaned resources", lastTransitionTime: "2024-05-01T09:00:00Z"}
)";

TEST(BuildStatus, ArgoCdShapeFromAComparisonAndHealth) {
  Json app = Yaml(kApp);
  std::vector<Json> desired = {
      Yaml(
          R"({apiVersion: apps/v1, kind: Deployment, metadata: {name: web, annotations: {argocd.argoproj.io/sync-wave: "2"}},
               spec: {replicas: 1, selector: {matchLabels: {app: web}}, template: {metadata: {labels: {app: web}},
               spec: {initContainers: [{name: init, image: "busybox:1"}], containers: [{name: web, image: "nginx:1.25"}]}}}})"),
      Yaml("{apiVersion: v1, kind: Service, metadata: {name: web}, spec: {ports: [{port: 80}]}}")};
  std::vector<Json> live = {
      Yaml(
          R"({apiVersion: apps/v1, kind: Deployment, metadata: {name: web, namespace: shop, generation: 1,
               annotations: {argocd.argoproj.io/sync-wave: "2"}, labels: {app.kubernetes.io/instance: shop}},
               spec: {replicas: 1, selector: {matchLabels: {app: web}}, template: {metadata: {labels: {app: web}},
               spec: {initContainers: [{name: init, image: "busybox:1"}], containers: [{name: web, image: "nginx:1.25"}]}}},
               status: {observedGeneration: 1, replicas: 1, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1}})"),
      Yaml(R"({apiVersion: v1, kind: ConfigMap, metadata: {name: old, namespace: shop,
               labels: {app.kubernetes.io/instance: shop}}, data: {a: b}})")};
  diff::AppCompareOptions options;
  options.tracking = {
      .app = "shop", .method = diff::TrackingMethod::kLabel, .destination_namespace = "shop"};
  diff::AppComparison comparison = diff::CompareApp(desired, live, options).value();
  ASSERT_EQ(comparison.resources.size(), 3u);  // ConfigMap old, Service web, Deployment web

  std::vector<health::ManagedResource> managed;
  for (const diff::ResourceComparison& r : comparison.resources) {
    const Json* l = nullptr;
    for (const Json& o : live) {
      if (diff::ResourceKey::Of(o) == r.key) l = &o;
    }
    managed.push_back({.group = r.key.group,
                       .kind = r.key.kind,
                       .namespace_name = r.key.ns,
                       .name = r.key.name,
                       .live = l,
                       .target = r.diff.desired.is_null() ? nullptr : &r.diff.desired});
  }
  health::AppHealth health = health::AssessAppHealth(managed);

  Clock::WallTime now;
  ASSERT_TRUE(ParseRfc3339("2024-05-01T10:00:00Z", &now));
  Json status = BuildStatus(
      {.app = &app,
       .comparison = &comparison,
       .health = &health,
       .revisions = {"a1b2c3"},
       .conditions = {{"OrphanedResourceWarning", "Application has 1 orphaned resources"},
                      {"SyncError", "boom"}},
       .now = now});
  Json want = Yaml(R"(
sync:
  status: OutOfSync
  revision: a1b2c3
  comparedTo:
    source: {repoURL: "https://git.example.com/shop.git", path: apps, targetRevision: main}
    destination: {server: "https://kubernetes.default.svc", namespace: shop}
health: {status: Healthy}  # a missing resource does not make the app Missing
resources:
- {version: v1, kind: ConfigMap, namespace: shop, name: old, status: OutOfSync, requiresPruning: true}
- {version: v1, kind: Service, namespace: shop, name: web, status: OutOfSync, health: {status: Missing}}
- {group: apps, version: v1, kind: Deployment, namespace: shop, name: web, status: Synced,
   health: {status: Healthy}, syncWave: 2}
summary: {images: ["busybox:1", "nginx:1.25"]}
sourceType: Directory
reconciledAt: "2024-05-01T10:00:00Z"
conditions:
- {type: OrphanedResourceWarning, message: "Application has 1 orphaned resources", lastTransitionTime: "2024-05-01T09:00:00Z"}
- {type: SyncError, message: boom, lastTransitionTime: "2024-05-01T10:00:00Z"}
)");
  ASSERT_TRUE(status.at("health").is_object());
  EXPECT_EQ(WriteYaml(status), WriteYaml(want));
}

TEST(BuildStatus, UnknownWithoutAComparison) {
  Json app = Yaml(kApp);
  Json status = BuildStatus({.app = &app, .conditions = {{"ComparisonError", "repo not found"}}});
  EXPECT_EQ(status.at("sync").at("status"), "Unknown");
  EXPECT_EQ(status.at("health").at("status"), "Unknown");
  EXPECT_TRUE(status.at("resources").as_array().empty());
  EXPECT_EQ(status.at("conditions").at(0).at("message"), "repo not found");
}

TEST(ImagesOf, PodsTemplatesAndCronJobs) {
  EXPECT_EQ(ImagesOf(Yaml("{kind: Pod, spec: {containers: [{image: a}, {image: b}]}}")),
            (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(ImagesOf(Yaml("{kind: CronJob, spec: {jobTemplate: {spec: {template: {spec: "
                          "{containers: [{image: c}]}}}}}}")),
            (std::vector<std::string>{"c"}));
  EXPECT_TRUE(ImagesOf(Yaml("{kind: ConfigMap, data: {}}")).empty());
}

}  // namespace
}  // namespace kstack::gitops::app
