// The Application and AppProject types that the controller installs, applied with the real
// kubectl to a kstack server: the names, columns and validation Argo CD users rely on.

#include "tests/e2e/server_fixture.h"

namespace kstack::e2e {
namespace {

constexpr char kGuestbook[] = R"(apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: guestbook
  namespace: argocd
  finalizers: [resources-finalizer.argocd.argoproj.io]
spec:
  project: default
  source:
    repoURL: https://github.com/argoproj/argocd-example-apps.git
    targetRevision: HEAD
    path: guestbook
    directory: {recurse: true, jsonnet: {tlas: [{name: a, value: b}]}}
  destination: {server: "https://kubernetes.default.svc", namespace: guestbook}
  syncPolicy:
    automated: {prune: true, selfHeal: true}
    syncOptions: [CreateNamespace=true]
    retry: {limit: 5, backoff: {duration: 5s, factor: 2, maxDuration: 3m}}
  ignoreDifferences:
  - {group: apps, kind: Deployment, jsonPointers: [/spec/replicas]}
)";

class ArgoCdCrdsTest : public ServerE2eTest {
 protected:
  void SetUp() override {
    ServerE2eTest::SetUp();
    StartServer();
    RunResult crds = RunProgram({KstackBinary(), "admin", "crds"});
    ASSERT_EQ(crds.exit_code, 0) << crds.err;
    WriteFile(root_ / "crds.yaml", crds.out);
    Ok({"create", "namespace", "argocd"});
    // The AppProject waits for its type: apply the CRDs first, as the controller does.
    RunResult applied = Kubectl({"apply", "-f", (root_ / "crds.yaml").string()});
    if (applied.exit_code != 0) {
      Ok({"wait", "--for", "condition=Established", "--timeout=5s", "crd/applications.argoproj.io",
          "crd/appprojects.argoproj.io"});
      Ok({"apply", "-f", (root_ / "crds.yaml").string()});
    }
  }
  std::string Ok(std::vector<std::string> args) {
    RunResult r = Kubectl(args);
    EXPECT_EQ(r.exit_code, 0) << "kubectl " << args[0] << ": " << r.err << "\n" << ServerLog();
    return r.out;
  }
};

TEST_F(ArgoCdCrdsTest, ApplicationsKeepEveryFieldAndPrintArgoCdColumns) {
  WriteFile(root_ / "app.yaml", kGuestbook);
  Ok({"apply", "-f", (root_ / "app.yaml").string()});
  Json app = *ParseJson(Ok({"get", "app", "guestbook", "-n", "argocd", "-o", "json"}));
  EXPECT_EQ(WriteJson(app.at("spec").at("source").at("directory")),
            R"({"jsonnet":{"tlas":[{"name":"a","value":"b"}]},"recurse":true})");
  EXPECT_EQ(WriteJson(app.at("spec").at("syncPolicy").at("retry").at("backoff").at("factor")), "2");
  EXPECT_EQ(WriteJson(app.at("spec").at("ignoreDifferences").at(0).at("jsonPointers")),
            R"(["/spec/replicas"])");

  // The controller writes status with the object (Argo CD's CRD has no status subresource).
  Ok({"patch", "applications", "guestbook", "-n", "argocd", "--type", "merge", "-p",
      R"({"status":{"sync":{"status":"Synced","revision":"a1b2c3"},"health":{"status":"Healthy"}}})"});
  std::string table = Ok({"get", "apps", "-n", "argocd"});
  EXPECT_NE(table.find("SYNC STATUS"), std::string::npos) << table;
  EXPECT_NE(table.find("HEALTH STATUS"), std::string::npos) << table;
  EXPECT_NE(table.find("Synced"), std::string::npos) << table;
  EXPECT_NE(table.find("Healthy"), std::string::npos) << table;
  EXPECT_EQ(table.find("REVISION"), std::string::npos) << table;
  std::string wide = Ok({"get", "applications", "-n", "argocd", "-o", "wide"});
  EXPECT_NE(wide.find("REVISION"), std::string::npos) << wide;
  EXPECT_NE(wide.find("a1b2c3"), std::string::npos) << wide;
  EXPECT_NE(wide.find("PROJECT"), std::string::npos) << wide;

  std::string projects = Ok({"get", "appproj", "-n", "argocd", "-o", "name"});
  EXPECT_EQ(projects, "appproject.argoproj.io/default\n");
}

TEST_F(ArgoCdCrdsTest, ApplicationsWithoutProjectOrDestinationAreRefused) {
  WriteFile(root_ / "bad.yaml", R"(apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: bad, namespace: argocd}
spec:
  source: {repoURL: "https://example.com/x.git", path: x}
)");
  RunResult r = Kubectl({"create", "-f", (root_ / "bad.yaml").string()});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("spec.destination: Required value"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("spec.project: Required value"), std::string::npos) << r.err;
  EXPECT_NE(Kubectl({"get", "app", "bad", "-n", "argocd"}).exit_code, 0);
}

}  // namespace
}  // namespace kstack::e2e
