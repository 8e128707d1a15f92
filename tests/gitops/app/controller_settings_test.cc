#include "gitops/app/controller_settings.h"

#include <gtest/gtest.h>

#include "core/yaml.h"

namespace kstack::gitops::app {
namespace {

using std::chrono::seconds;

TEST(ControllerSettings, ArgoCdThreeDefaults) {
  ControllerSettings s = ParseControllerSettings(nullptr).value();
  EXPECT_EQ(s.reconciliation, seconds(120));
  EXPECT_EQ(s.reconciliation_jitter, seconds(60));
  EXPECT_TRUE(s.IsExcluded("", "Event", "https://kubernetes.default.svc"));
  EXPECT_TRUE(s.IsExcluded("events.k8s.io", "Event", "https://kubernetes.default.svc"));
  EXPECT_TRUE(s.IsExcluded("metrics.k8s.io", "PodMetrics", "https://x"));
  EXPECT_FALSE(s.IsExcluded("apps", "Deployment", "https://kubernetes.default.svc"));
}

TEST(ControllerSettings, ReadsTimeoutsExclusionsAndInclusions) {
  Json cm = ParseYaml(R"(
apiVersion: v1
kind: ConfigMap
metadata: {name: argocd-cm, namespace: argocd}
data:
  timeout.reconciliation: 180s
  timeout.reconciliation.jitter: "0"
  resource.exclusions: |
    - apiGroups: ["cilium.io"]
      kinds: ["CiliumIdentity"]
      clusters: ["*"]
    - apiGroups: [""]
      kinds: ["endpoints"]
  resource.inclusions: |
    - apiGroups: ["*"]
      kinds: ["*"]
      clusters: ["https://kubernetes.default.svc"]
)")
                .value();
  ControllerSettings s = ParseControllerSettings(&cm).value();
  EXPECT_EQ(s.reconciliation, seconds(180));
  EXPECT_EQ(s.reconciliation_jitter, seconds(0));
  const char in_cluster[] = "https://kubernetes.default.svc";
  EXPECT_TRUE(s.IsExcluded("cilium.io", "CiliumIdentity", in_cluster));
  EXPECT_TRUE(s.IsExcluded("", "Endpoints", in_cluster));  // kinds compare without case
  EXPECT_FALSE(s.IsExcluded("", "ConfigMap", in_cluster));
  EXPECT_TRUE(s.IsExcluded("", "ConfigMap", "https://other.example.com"));  // not included
}

TEST(ControllerSettings, NamesTheKeyAtFault) {
  Json cm = ParseYaml("{data: {timeout.reconciliation: 2x}}").value();
  Result<ControllerSettings> got = ParseControllerSettings(&cm);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().message(), "argocd-cm: timeout.reconciliation: invalid duration \"2x\"");
  cm = ParseYaml("{data: {resource.exclusions: '- apiGroups: x'}}").value();
  got = ParseControllerSettings(&cm);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().message(), "argocd-cm: resource.exclusions[0].apiGroups: must be a list");
}

}  // namespace
}  // namespace kstack::gitops::app
