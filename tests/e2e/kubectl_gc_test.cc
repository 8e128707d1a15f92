// Garbage collection through ownerReferences with the real kubectl: `kubectl delete
// --cascade=background|foreground|orphan`, DeleteOptions in the body and in the query, dangling
// dependents (at creation and after a restart), cluster-scoped and custom-resource owners.

#include <fmt/format.h>

#include <thread>

#include "tests/e2e/server_fixture.h"

namespace kstack::e2e {
namespace {

class KubectlGcTest : public ServerE2eTest {
 protected:
  void SetUp() override {
    ServerE2eTest::SetUp();
    StartServer();
  }
  std::string Ok(std::vector<std::string> args) {
    RunResult r = Kubectl(args);
    EXPECT_EQ(r.exit_code, 0) << "kubectl " << args[0] << ": " << r.err << "\n" << ServerLog();
    return r.out;
  }
  std::string Fails(std::vector<std::string> args) {
    RunResult r = Kubectl(args);
    EXPECT_NE(r.exit_code, 0) << "kubectl " << args[0] << " succeeded: " << r.out;
    return r.err;
  }
  void Create(const std::string& text) {
    fs::path p = root_ / "object.yaml";
    WriteFile(p, text);
    Ok({"create", "-f", p.string()});
  }
  std::string Uid(const std::string& what, const std::string& ns = "default") {
    return Ok({"get", what, "-n", ns, "-o", "jsonpath={.metadata.uid}"});
  }
  // A ConfigMap in `default` owned by each of `owners` ({apiVersion, kind, name, uid, block}).
  struct Owner {
    std::string api_version, kind, name, uid;
    bool block = false;
  };
  void CreateDependent(const std::string& name, const std::vector<Owner>& owners,
                       const std::string& finalizer = "") {
    std::string refs;
    for (const Owner& o : owners) {
      refs += fmt::format(
          "  - {{apiVersion: {}, kind: {}, name: {}, uid: {}, blockOwnerDeletion: {}}}\n",
          o.api_version, o.kind, o.name, o.uid, o.block ? "true" : "false");
    }
    std::string finalizers = finalizer.empty() ? "" : "  finalizers: [" + finalizer + "]\n";
    Create(fmt::format(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {}\n{}  ownerReferences:\n{}", name,
        finalizers, refs));
  }
  Owner ConfigMapOwner(const std::string& name, bool block = false) {
    return {"v1", "ConfigMap", name, Uid("configmap/" + name), block};
  }
  // Whether `what` is gone within a few seconds.
  bool GoneSoon(const std::string& what, const std::string& ns = "default") {
    RunResult r = Kubectl({"wait", "--for=delete", what, "-n", ns, "--timeout=5s"});
    return r.exit_code == 0;
  }
  bool Exists(const std::string& what, const std::string& ns = "default") {
    return Kubectl({"get", what, "-n", ns, "-o", "name"}).exit_code == 0;
  }
};

TEST_F(KubectlGcTest, BackgroundDeletesTheOwnerAtOnceAndItsDependentsAfter) {
  Ok({"create", "configmap", "owner"});
  Owner owner = ConfigMapOwner("owner", true);
  CreateDependent("dep-a", {owner});
  CreateDependent("dep-b", {owner});
  Ok({"create", "configmap", "unrelated"});
  Ok({"delete", "configmap", "owner", "--cascade=background"});
  EXPECT_FALSE(Exists("configmap/owner"));
  EXPECT_TRUE(GoneSoon("configmap/dep-a"));
  EXPECT_TRUE(GoneSoon("configmap/dep-b"));
  EXPECT_TRUE(Exists("configmap/unrelated"));
}

TEST_F(KubectlGcTest, TheDefaultOfKubectlDeleteIsBackground) {
  Ok({"create", "configmap", "owner"});
  CreateDependent("dep", {ConfigMapOwner("owner")});
  Ok({"delete", "configmap", "owner"});
  EXPECT_TRUE(GoneSoon("configmap/dep"));
}

TEST_F(KubectlGcTest, ForegroundKeepsTheOwnerUntilBlockingDependentsAreGone) {
  Ok({"create", "configmap", "owner"});
  CreateDependent("blocking", {ConfigMapOwner("owner", true)}, "example.com/hold");
  CreateDependent("plain", {ConfigMapOwner("owner", false)});
  Ok({"delete", "configmap", "owner", "--cascade=foreground", "--wait=false"});
  EXPECT_TRUE(GoneSoon("configmap/plain"));
  // The blocking dependent is being deleted, held by its own finalizer, and holds the owner.
  std::this_thread::sleep_for(milliseconds(300));
  EXPECT_NE(Ok({"get", "configmap", "blocking", "-o", "jsonpath={.metadata.deletionTimestamp}"}),
            "");
  EXPECT_NE(Ok({"get", "configmap", "owner", "-o", "jsonpath={.metadata.deletionTimestamp}"}), "");
  EXPECT_EQ(Ok({"get", "configmap", "owner", "-o", "jsonpath={.metadata.finalizers}"}),
            R"(["foregroundDeletion"])");
  Ok({"patch", "configmap", "blocking", "--type=merge", "-p",
      R"({"metadata":{"finalizers":null}})"});
  EXPECT_TRUE(GoneSoon("configmap/blocking"));
  EXPECT_TRUE(GoneSoon("configmap/owner"));
}

TEST_F(KubectlGcTest, ForegroundWaitsForTheWholeChainWithKubectlWaiting) {
  Ok({"create", "configmap", "root"});
  CreateDependent("middle", {ConfigMapOwner("root", true)});
  CreateDependent("leaf", {ConfigMapOwner("middle", true)});
  // kubectl waits until the owner is gone, which is after its dependents.
  Ok({"delete", "configmap", "root", "--cascade=foreground", "--timeout=10s"});
  EXPECT_FALSE(Exists("configmap/middle"));
  EXPECT_FALSE(Exists("configmap/leaf"));
}

TEST_F(KubectlGcTest, OrphanRemovesTheReferencesAndKeepsTheDependents) {
  Ok({"create", "configmap", "owner"});
  Ok({"create", "configmap", "other"});
  Owner owner = ConfigMapOwner("owner", true);
  CreateDependent("only", {owner});
  CreateDependent("shared", {owner, ConfigMapOwner("other")});
  Ok({"delete", "configmap", "owner", "--cascade=orphan"});
  EXPECT_FALSE(Exists("configmap/owner"));
  std::this_thread::sleep_for(milliseconds(300));
  EXPECT_EQ(Ok({"get", "configmap", "only", "-o", "jsonpath={.metadata.ownerReferences}"}), "");
  EXPECT_EQ(
      Ok({"get", "configmap", "shared", "-o", "jsonpath={.metadata.ownerReferences[*].name}"}),
      "other");
}

TEST_F(KubectlGcTest, DeleteOptionsInTheQueryAndTheLegacyOrphanDependents) {
  Ok({"create", "configmap", "owner"});
  CreateDependent("dep", {ConfigMapOwner("owner")});
  Ok({"delete", "--raw", "/api/v1/namespaces/default/configmaps/owner?orphanDependents=true"});
  EXPECT_TRUE(GoneSoon("configmap/owner"));
  EXPECT_TRUE(Exists("configmap/dep"));
  EXPECT_EQ(Ok({"get", "configmap", "dep", "-o", "jsonpath={.metadata.ownerReferences}"}), "");

  Ok({"create", "configmap", "owner2"});
  CreateDependent("dep2", {ConfigMapOwner("owner2", true)}, "example.com/hold");
  Ok({"delete", "--raw",
      "/api/v1/namespaces/default/configmaps/owner2?propagationPolicy=Foreground"});
  std::this_thread::sleep_for(milliseconds(300));
  EXPECT_EQ(Ok({"get", "configmap", "owner2", "-o", "jsonpath={.metadata.finalizers}"}),
            R"(["foregroundDeletion"])");
  Ok({"patch", "configmap", "dep2", "--type=merge", "-p", R"({"metadata":{"finalizers":null}})"});
  EXPECT_TRUE(GoneSoon("configmap/owner2"));
}

TEST_F(KubectlGcTest, BadDeleteOptionsAre422AndDeleteNothing) {
  Ok({"create", "configmap", "owner"});
  std::string err = Fails(
      {"delete", "--raw", "/api/v1/namespaces/default/configmaps/owner?propagationPolicy=Later"});
  EXPECT_NE(err.find(R"(propagationPolicy: Unsupported value: "Later": supported values: )"
                     R"("Foreground", "Background", "Orphan", "nil")"),
            std::string::npos)
      << err;
  err = Fails({"delete", "--raw",
               "/api/v1/namespaces/default/configmaps/"
               "owner?propagationPolicy=Orphan&orphanDependents=true"});
  EXPECT_NE(err.find("orphanDependents and deletionPropagation cannot be both set"),
            std::string::npos)
      << err;
  EXPECT_TRUE(Exists("configmap/owner"));
}

TEST_F(KubectlGcTest, DanglingReferencesAtCreationAreCollected) {
  Ok({"create", "configmap", "owner"});
  // No object has this uid, and the owner of that name has another one.
  CreateDependent("wrong-uid",
                  {{"v1", "ConfigMap", "owner", "00000000-0000-0000-0000-000000000001", false}});
  CreateDependent("no-owner",
                  {{"v1", "ConfigMap", "missing", "00000000-0000-0000-0000-000000000002", false}});
  // An owner in another namespace is looked up in the dependent's: it is not there.
  Ok({"create", "namespace", "other"});
  Ok({"create", "configmap", "elsewhere", "-n", "other"});
  CreateDependent("cross-namespace",
                  {{"v1", "ConfigMap", "elsewhere", Uid("configmap/elsewhere", "other"), false}});
  CreateDependent("alive", {ConfigMapOwner("owner")});
  EXPECT_TRUE(GoneSoon("configmap/wrong-uid"));
  EXPECT_TRUE(GoneSoon("configmap/no-owner"));
  EXPECT_TRUE(GoneSoon("configmap/cross-namespace"));
  EXPECT_TRUE(Exists("configmap/alive"));
  EXPECT_TRUE(Exists("configmap/elsewhere", "other"));
}

TEST_F(KubectlGcTest, ClusterScopedAndCustomResourceOwners) {
  Ok({"create", "clusterrole", "reader", "--verb=get", "--resource=pods"});
  CreateDependent("of-clusterrole",
                  {{"rbac.authorization.k8s.io/v1", "ClusterRole", "reader",
                    Ok({"get", "clusterrole", "reader", "-o", "jsonpath={.metadata.uid}"}), true}});
  Create(R"(apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names: {plural: widgets, kind: Widget}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        x-kubernetes-preserve-unknown-fields: true
)");
  Ok({"wait", "--for", "condition=Established", "--timeout=5s", "crd/widgets.example.com"});
  Create("apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n");
  std::string widget_uid = Uid("widget/w");
  CreateDependent("of-widget", {{"example.com/v1", "Widget", "w", widget_uid, true}});
  // A custom resource depending on a ConfigMap.
  Ok({"create", "configmap", "cm-owner"});
  Create(
      fmt::format("apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: child\n"
                  "  ownerReferences:\n  - {{apiVersion: v1, kind: ConfigMap, name: cm-owner, "
                  "uid: {}}}\n",
                  Uid("configmap/cm-owner")));
  // A cluster-scoped object naming a namespaced owner is left alone, as Kubernetes does.
  Create(
      fmt::format("apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n"
                  "  name: invalid-owner\n  ownerReferences:\n  - {{apiVersion: v1, kind: "
                  "ConfigMap, name: gone, uid: 00000000-0000-0000-0000-000000000003}}\n"));

  Ok({"delete", "clusterrole", "reader"});
  EXPECT_TRUE(GoneSoon("configmap/of-clusterrole"));
  Ok({"delete", "widget", "w", "--cascade=foreground", "--timeout=10s"});
  EXPECT_FALSE(Exists("configmap/of-widget"));
  Ok({"delete", "configmap", "cm-owner"});
  EXPECT_TRUE(GoneSoon("widget/child"));
  std::this_thread::sleep_for(milliseconds(300));
  EXPECT_TRUE(Exists("clusterrole/invalid-owner", ""));
}

TEST_F(KubectlGcTest, AnOwnerOfAKindNotServedYetIsResolvedOnceItsDefinitionIs) {
  CreateDependent("of-gadget", {{"example.com/v1", "Gadget", "g",
                                 "00000000-0000-0000-0000-000000000004", false}});
  std::this_thread::sleep_for(milliseconds(300));
  EXPECT_TRUE(Exists("configmap/of-gadget")) << "its owner's kind is unknown: kept";
  Create(R"(apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: gadgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names: {plural: gadgets, kind: Gadget}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        x-kubernetes-preserve-unknown-fields: true
)");
  EXPECT_TRUE(GoneSoon("configmap/of-gadget"));
}

TEST_F(KubectlGcTest, DependentsLeftDanglingAtAStopAreCollectedAfterARestart) {
  Ok({"create", "configmap", "owner"});
  std::string uid = Uid("configmap/owner");
  std::string list = "apiVersion: v1\nkind: List\nitems:\n";
  constexpr int kDependents = 300;
  for (int i = 0; i < kDependents; ++i) {
    list += fmt::format(
        "- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: dep-{}\n"
        "    ownerReferences:\n    - {{apiVersion: v1, kind: ConfigMap, name: owner, uid: {}}}\n",
        i, uid);
  }
  Create(list);
  Ok({"delete", "configmap", "owner", "--wait=false"});
  server_.process->Signal(SIGKILL);  // most dependents are still there
  server_.process->Wait(milliseconds(5000));
  StartServer();
  Clock::time_point deadline = Clock::now() + std::chrono::seconds(10);
  std::string left;
  do {
    left = Ok({"get", "configmaps", "-o", "name"});
    if (left == "configmap/kube-root-ca.crt\n") break;
    std::this_thread::sleep_for(milliseconds(100));
  } while (Clock::now() < deadline);
  EXPECT_EQ(left, "configmap/kube-root-ca.crt\n");
}

}  // namespace
}  // namespace kstack::e2e
