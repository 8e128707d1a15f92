// What the case folders cannot say: an app that manages its own Application object.

#include "gitops/health/app_health.h"

#include <gtest/gtest.h>

#include "core/yaml.h"

namespace kstack::gitops::health {
namespace {

Json Parse(const char* yaml) { return *ParseYaml(yaml); }

TEST(AppHealthTest, AnAppDoesNotCountItsOwnApplication) {
  Json self = Parse(R"(
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: root, namespace: argocd, uid: 6f1c}
status: {health: {status: Degraded}}
)");
  Json child = Parse(R"(
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: child, namespace: argocd, uid: 9a2e}
status: {health: {status: Progressing}}
)");
  std::vector<ManagedResource> resources = {
      {"argoproj.io", "Application", "argocd", "root", &self, &self},
      {"argoproj.io", "Application", "argocd", "child", &child, &child},
  };
  AppHealth with_self = AssessAppHealth(
      resources, {.self = {.namespace_name = "argocd", .name = "root", .uid = "6f1c"}});
  EXPECT_EQ(with_self.status, HealthCode::kProgressing);
  EXPECT_EQ(with_self.message, "Caused by argoproj.io/Application:argocd/child");
  EXPECT_EQ(with_self.resources[0], std::nullopt);

  // Another app of the same name elsewhere (another uid) counts.
  AppHealth other = AssessAppHealth(
      resources, {.self = {.namespace_name = "argocd", .name = "root", .uid = "0000"}});
  EXPECT_EQ(other.status, HealthCode::kDegraded);
  EXPECT_EQ(other.resources[0], (HealthStatus{HealthCode::kDegraded, ""}));

  // Without Application health (Argo CD's default), child apps do not count at all.
  AppHealth no_apps = AssessAppHealth(resources, {.assess = {.applications = false}});
  EXPECT_EQ(no_apps.status, HealthCode::kHealthy);
  EXPECT_EQ(no_apps.message, "");
}

}  // namespace
}  // namespace kstack::gitops::health
