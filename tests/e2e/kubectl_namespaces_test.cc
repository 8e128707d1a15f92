// The namespace lifecycle through the real kubectl: defaults in every namespace, deletion of
// everything in a deleted namespace, Terminating while something holds it, no new content then.

#include <thread>

#include "tests/e2e/server_fixture.h"

namespace kstack::e2e {
namespace {

class KubectlNamespacesTest : public ServerE2eTest {
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
};

TEST_F(KubectlNamespacesTest, EveryNamespaceHasTheDefaultAccountAndTheRootCa) {
  Ok({"create", "namespace", "team"});
  for (const char* ns : {"default", "kube-system", "team"}) {
    EXPECT_EQ(Ok({"get", "serviceaccount", "default", "-n", ns, "-o", "name"}),
              "serviceaccount/default\n");
    std::string ca = Ok({"get", "configmap", "kube-root-ca.crt", "-n", ns, "-o",
                         "jsonpath={.data.ca\\.crt}"});
    EXPECT_TRUE(ca.starts_with("-----BEGIN CERTIFICATE-----")) << ca;
    EXPECT_EQ(ca, ReadFile(data_dir_ / "pki/ca.crt"));
  }
}

TEST_F(KubectlNamespacesTest, DeletingANamespaceDeletesItsContentFirst) {
  Ok({"create", "namespace", "team"});
  Ok({"create", "configmap", "a", "-n", "team", "--from-literal=x=y"});
  Ok({"create", "deployment", "web", "-n", "team", "--image=nginx"});
  Ok({"create", "configmap", "keep", "-n", "default", "--from-literal=x=y"});
  // A finalizer of its own holds one object, and with it the namespace.
  Ok({"patch", "configmap", "a", "-n", "team", "--type=merge", "-p",
      R"({"metadata":{"finalizers":["example.com/hold"]}})"});
  Ok({"delete", "namespace", "team", "--wait=false"});
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(Ok({"get", "namespace", "team", "-o", "jsonpath={.status.phase}"}), "Terminating");
  EXPECT_EQ(Ok({"get", "deployments", "-n", "team", "-o", "name"}), "");
  EXPECT_EQ(Ok({"get", "configmap", "a", "-n", "team", "-o", "jsonpath={.metadata.deletionTimestamp}"})
                .empty(),
            false);
  RunResult refused = Kubectl({"create", "configmap", "b", "-n", "team", "--from-literal=x=y"});
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.err.find("unable to create new content in namespace team because it is "
                             "being terminated"),
            std::string::npos)
      << refused.err;
  Ok({"patch", "configmap", "a", "-n", "team", "--type=merge", "-p",
      R"({"metadata":{"finalizers":null}})"});
  Ok({"wait", "--for=delete", "namespace/team", "--timeout=10s"});
  EXPECT_EQ(Ok({"get", "configmaps", "-A", "-o", "name", "--field-selector",
                "metadata.namespace=team"}),
            "");
  EXPECT_EQ(Ok({"get", "configmap", "keep", "-o", "name"}), "configmap/keep\n");
}

TEST_F(KubectlNamespacesTest, ATerminatingNamespaceFinishesAfterARestart) {
  Ok({"create", "namespace", "team"});
  Ok({"create", "configmap", "a", "-n", "team", "--from-literal=x=y"});
  Ok({"patch", "configmap", "a", "-n", "team", "--type=merge", "-p",
      R"({"metadata":{"finalizers":["example.com/hold"]}})"});
  Ok({"delete", "namespace", "team", "--wait=false"});
  server_.process.reset();  // SIGTERM while Terminating
  StartServer();
  EXPECT_EQ(Ok({"get", "namespace", "team", "-o", "jsonpath={.status.phase}"}), "Terminating");
  Ok({"patch", "configmap", "a", "-n", "team", "--type=merge", "-p",
      R"({"metadata":{"finalizers":null}})"});
  Ok({"wait", "--for=delete", "namespace/team", "--timeout=10s"});
}

}  // namespace
}  // namespace kstack::e2e
