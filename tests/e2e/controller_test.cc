// kstack controller end to end: the real kstack server, the controller as a user starts it, a
// Git repository on disk, and the real kubectl. Applications are created with kubectl and the
// controller must converge the cluster to Git, heal drift, prune, and report in Argo CD's shape.

#include <fmt/format.h>
#include <signal.h>

#include <thread>

#include "core/yaml.h"
#include "tests/e2e/server_fixture.h"

namespace kstack::e2e {
namespace {

class ControllerTest : public ServerE2eTest {
 protected:
  void SetUp() override {
    ServerE2eTest::SetUp();
    StartServer();
    repo_ = root_ / "repo";
    fs::create_directories(repo_);
    Git({"init", "-q", "-b", "main"});
    fs::copy(SharedDir() / "testdata/argocd-example-apps/guestbook", repo_ / "guestbook");
    Commit("guestbook");
  }
  void TearDown() override {
    controller_.reset();
    ServerE2eTest::TearDown();
  }

  static fs::path SharedDir() {
    if (const char* env = std::getenv("KSTACK_SHARED")) return env;
    return fs::path(KSTACK_SOURCE_DIR).parent_path() / "shared";
  }

  void Git(std::vector<std::string> args) {
    std::vector<std::string> argv = {
        "git", "-C", repo_.string(), "-c", "user.email=e2e@kstack", "-c", "user.name=e2e"};
    argv.insert(argv.end(), args.begin(), args.end());
    RunResult r = RunProgram(argv);
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  void Commit(const std::string& message) {
    Git({"add", "-A"});
    Git({"commit", "-q", "-m", message});
  }

  void StartController(const std::string& resync = "2s", bool webhook = false) {
    std::vector<std::string> argv = {KstackBinary(), "controller",
                                     "--kubeconfig", server_.kubeconfig,
                                     "--data-dir",   (root_ / "controller").string(),
                                     "--resync",     resync};
    if (webhook) {
      argv.push_back("--listen");
      argv.push_back("127.0.0.1:0");
    }
    controller_ = std::make_unique<ChildProcess>(argv, (root_ / "controller.err").string());
    std::optional<std::string> line = controller_->ReadLine(std::chrono::seconds(30));
    ASSERT_TRUE(line && line->starts_with("kstack controller reconciling"))
        << line.value_or("<nothing>") << "\n"
        << ReadFile(root_ / "controller.err");
    if (webhook) {
      std::optional<std::string> url = controller_->ReadLine(std::chrono::seconds(10));
      ASSERT_TRUE(url && url->starts_with("webhook: http://")) << url.value_or("<nothing>");
      webhook_ = url->substr(std::string("webhook: ").size());
    }
  }

  std::string Ok(std::vector<std::string> args) {
    RunResult r = Kubectl(args);
    EXPECT_EQ(r.exit_code, 0) << "kubectl " << args[0] << ": " << r.err;
    return r.out;
  }

  void CreateApp(const std::string& name, const std::string& path, const std::string& extra = "",
                 const std::string& repo = "") {
    std::string text =
        fmt::format(R"(apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {{name: {0}, namespace: argocd}}
spec:
  project: default
  source: {{repoURL: "{1}", targetRevision: HEAD, path: {2}}}
  destination: {{server: "https://kubernetes.default.svc", namespace: default}}
{3})",
                    name, repo.empty() ? "file://" + repo_.string() : repo, path, extra);
    WriteFile(root_ / (name + ".yaml"), text);
    Ok({"apply", "-f", (root_ / (name + ".yaml")).string()});
  }

  // The value of a jsonpath of an object, "" when it cannot be read.
  std::string Get(const std::vector<std::string>& what, const std::string& jsonpath) {
    std::vector<std::string> args = {"get"};
    args.insert(args.end(), what.begin(), what.end());
    args.push_back("-o");
    args.push_back("jsonpath=" + jsonpath);
    RunResult r = Kubectl(args);
    return r.exit_code == 0 ? r.out : "";
  }

  // Waits until `jsonpath` of `what` reads `want`; the last value read otherwise.
  std::string WaitFor(const std::vector<std::string>& what, const std::string& jsonpath,
                      const std::string& want,
                      std::chrono::seconds timeout = std::chrono::seconds(30)) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    std::string got;
    while (std::chrono::steady_clock::now() < deadline) {
      got = Get(what, jsonpath);
      if (got == want) return got;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return got;
  }

  std::string ControllerLog() { return ReadFile(root_ / "controller.err"); }

  fs::path repo_;
  std::string webhook_;
  std::unique_ptr<ChildProcess> controller_;
};

const std::vector<std::string> kApp = {"application", "guestbook", "-n", "argocd"};
const std::vector<std::string> kDeployment = {"deployment", "guestbook-ui", "-n", "default"};

TEST_F(ControllerTest, InstallsItsTypesAndTheDefaultProject) {
  StartController();
  EXPECT_EQ(Ok({"get", "crd", "applications.argoproj.io", "appprojects.argoproj.io", "-o", "name"}),
            "customresourcedefinition.apiextensions.k8s.io/applications.argoproj.io\n"
            "customresourcedefinition.apiextensions.k8s.io/appprojects.argoproj.io\n");
  EXPECT_EQ(Get({"appproject", "default", "-n", "argocd"}, "{.spec.sourceRepos[0]}"), "*");
}

TEST_F(ControllerTest, AutomatedSyncConvergesHealsAndPrunes) {
  StartController();
  CreateApp("guestbook", "guestbook", "  syncPolicy: {automated: {prune: true, selfHeal: true}}\n");
  ASSERT_EQ(WaitFor(kApp, "{.status.sync.status}/{.status.health.status}", "Synced/Healthy"),
            "Synced/Healthy")
      << Ok({"get", "application", "guestbook", "-n", "argocd", "-o", "yaml"}) << ControllerLog();
  std::string head = RunProgram({"git", "-C", repo_.string(), "rev-parse", "HEAD"}).out;
  head.pop_back();
  EXPECT_EQ(Get(kApp, "{.status.sync.revision}"), head);
  EXPECT_EQ(Get(kApp, "{.status.operationState.phase}"), "Succeeded");
  EXPECT_EQ(Get(kApp, "{.status.operationState.message}"), "successfully synced (all tasks run)");
  EXPECT_EQ(Get(kApp, "{.status.history[0].revision}"), head);
  EXPECT_EQ(Get(kApp, "{.status.sourceType}"), "Directory");
  EXPECT_EQ(Get(kApp, "{.status.summary.images[0]}"), "gcr.io/google-samples/gb-frontend:v5");
  // Events on the Application for the start and the end of the sync, as Argo CD records them.
  std::string events = Ok({"get", "events", "-n", "argocd", "-o",
                           "jsonpath={range .items[*]}{.involvedObject.name} {.reason} "
                           "{.type}: {.message}{\"\\n\"}{end}"});
  EXPECT_NE(
      events.find("guestbook OperationStarted Normal: Initiated automated sync to '" + head + "'"),
      std::string::npos)
      << events;
  EXPECT_NE(
      events.find("guestbook OperationCompleted Normal: Sync operation to " + head + " succeeded"),
      std::string::npos)
      << events;
  EXPECT_EQ(Get(kDeployment, "{.metadata.annotations.argocd\\.argoproj\\.io/tracking-id}"),
            "guestbook:apps/Deployment:default/guestbook-ui");

  // Drift is healed: an edit and a deletion.
  Ok({"scale", "deployment", "guestbook-ui", "-n", "default", "--replicas=3"});
  EXPECT_EQ(WaitFor(kDeployment, "{.spec.replicas}", "1"), "1") << ControllerLog();
  Ok({"delete", "service", "guestbook-ui", "-n", "default"});
  EXPECT_EQ(
      WaitFor({"service", "guestbook-ui", "-n", "default"}, "{.metadata.name}", "guestbook-ui"),
      "guestbook-ui")
      << ControllerLog();

  // A resource that leaves Git is pruned.
  fs::remove(repo_ / "guestbook/guestbook-ui-svc.yaml");
  Commit("drop the service");
  EXPECT_EQ(WaitFor({"service", "-n", "default", "-l", "app=guestbook-ui"},
                    "{.items[*].metadata.name}", ""),
            "");
  EXPECT_EQ(WaitFor(kApp, "{.status.resources[*].kind}", "Deployment"), "Deployment")
      << ControllerLog();
}

TEST_F(ControllerTest, WithoutAutomatedSyncDifferencesAreReportedOnly) {
  StartController();
  CreateApp("guestbook", "guestbook");
  EXPECT_EQ(WaitFor(kApp, "{.status.sync.status}/{.status.health.status}", "OutOfSync/Missing"),
            "OutOfSync/Missing")
      << ControllerLog();
  EXPECT_EQ(Get(kApp, "{.status.resources[*].status}"), "OutOfSync OutOfSync");
  EXPECT_NE(Kubectl({"get", "deployment", "guestbook-ui", "-n", "default"}).exit_code, 0);

  // A manual sync, as `argocd app sync` asks for one.
  Ok({"patch", "application", "guestbook", "-n", "argocd", "--type", "merge", "-p",
      R"({"operation":{"initiatedBy":{"username":"admin"},"sync":{"revision":"HEAD"}}})"});
  EXPECT_EQ(WaitFor(kApp, "{.status.sync.status}", "Synced"), "Synced") << ControllerLog();
  EXPECT_EQ(WaitFor(kApp, "{.status.operationState.phase}", "Succeeded"), "Succeeded")
      << Ok({"get", "application", "guestbook", "-n", "argocd", "-o", "yaml"}) << ControllerLog();
  EXPECT_EQ(Get(kApp, "{.status.history[0].initiatedBy.username}"), "admin");
  EXPECT_EQ(Get(kApp, "{.operation}"), "");
}

TEST_F(ControllerTest, BadSourcesAreConditionsNamingTheCause) {
  StartController();
  CreateApp("missing-path", "no-such-dir");
  std::vector<std::string> app = {"application", "missing-path", "-n", "argocd"};
  EXPECT_EQ(WaitFor(app, "{.status.conditions[0].type}", "ComparisonError"), "ComparisonError")
      << ControllerLog();
  EXPECT_NE(Get(app, "{.status.conditions[0].message}").find("no-such-dir"), std::string::npos)
      << Get(app, "{.status.conditions[0].message}");
  EXPECT_EQ(Get(app, "{.status.sync.status}"), "Unknown");

  fs::create_directories(repo_ / "broken");
  WriteFile(repo_ / "broken/bad.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [x\n");
  Commit("broken");
  CreateApp("broken", "broken");
  std::vector<std::string> broken = {"application", "broken", "-n", "argocd"};
  EXPECT_EQ(WaitFor(broken, "{.status.conditions[0].type}", "ComparisonError"), "ComparisonError");
  EXPECT_NE(Get(broken, "{.status.conditions[0].message}").find("bad.yaml"), std::string::npos)
      << Get(broken, "{.status.conditions[0].message}");

  WriteFile(root_ / "project.yaml", R"(apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata: {name: locked, namespace: argocd}
spec:
  sourceRepos: ["https://git.example.com/*"]
  destinations: [{server: "*", namespace: "*"}]
)");
  Ok({"apply", "-f", (root_ / "project.yaml").string()});
  CreateApp("outsider", "guestbook");
  Ok({"patch", "application", "outsider", "-n", "argocd", "--type", "merge", "-p",
      R"({"spec":{"project":"locked"}})"});
  std::vector<std::string> outsider = {"application", "outsider", "-n", "argocd"};
  EXPECT_EQ(WaitFor(outsider, "{.status.conditions[0].type}", "InvalidSpecError"),
            "InvalidSpecError");
  EXPECT_EQ(Get(outsider, "{.status.conditions[0].message}"),
            "application repo file://" + repo_.string() + " is not permitted in project 'locked'");
}

TEST_F(ControllerTest, TheRefreshAnnotationReadsGitAtOnce) {
  StartController("1h");
  CreateApp("guestbook", "guestbook", "  syncPolicy: {automated: {prune: true}}\n");
  ASSERT_EQ(WaitFor(kApp, "{.status.sync.status}", "Synced"), "Synced") << ControllerLog();
  fs::remove(repo_ / "guestbook/guestbook-ui-svc.yaml");
  Commit("drop the service");
  Ok({"annotate", "application", "guestbook", "-n", "argocd", "argocd.argoproj.io/refresh=normal"});
  EXPECT_EQ(WaitFor(kApp, "{.status.resources[*].kind}", "Deployment", std::chrono::seconds(15)),
            "Deployment")
      << ControllerLog();
  EXPECT_NE(Kubectl({"get", "service", "guestbook-ui", "-n", "default"}).exit_code, 0);
  EXPECT_EQ(Get(kApp, "{.metadata.annotations.argocd\\.argoproj\\.io/refresh}"), "");
}

TEST_F(ControllerTest, ExcludedResourcesAreNeitherSyncedNorCompared) {
  Ok({"create", "namespace", "argocd"});
  WriteFile(root_ / "argocd-cm.yaml", R"(apiVersion: v1
kind: ConfigMap
metadata: {name: argocd-cm, namespace: argocd}
data:
  resource.exclusions: |
    - apiGroups: [""]
      kinds: [Service]
)");
  Ok({"apply", "-f", (root_ / "argocd-cm.yaml").string()});
  StartController();
  CreateApp("guestbook", "guestbook", "  syncPolicy: {automated: {prune: true}}\n");
  EXPECT_EQ(WaitFor(kApp, "{.status.sync.status}/{.status.resources[*].kind}", "Synced/Deployment"),
            "Synced/Deployment")
      << ControllerLog();
  EXPECT_NE(Kubectl({"get", "service", "guestbook-ui", "-n", "default"}).exit_code, 0);
}

TEST_F(ControllerTest, AGitHubPushWebhookRefreshesTheAppAtOnce) {
  StartController("1h", /*webhook=*/true);
  CreateApp("guestbook", "guestbook", "  syncPolicy: {automated: {prune: true}}\n");
  ASSERT_EQ(WaitFor(kApp, "{.status.sync.status}", "Synced"), "Synced") << ControllerLog();
  fs::remove(repo_ / "guestbook/guestbook-ui-svc.yaml");
  Commit("drop the service");
  std::string payload =
      fmt::format(R"({{"ref": "refs/heads/main", "repository": {{"clone_url": "file://{}", )"
                  R"("html_url": "https://git.example.com/x", "default_branch": "main"}}}})",
                  repo_.string());
  RunResult pushed =
      RunProgram({"curl", "-sS", "-X", "POST", "-H", "X-GitHub-Event: push", "-H",
                  "Content-Type: application/json", "--data-binary", payload, webhook_});
  ASSERT_EQ(pushed.exit_code, 0) << pushed.err;
  EXPECT_EQ(pushed.out, "refreshed 1 application(s)\n");
  EXPECT_EQ(WaitFor(kApp, "{.status.resources[*].kind}", "Deployment", std::chrono::seconds(10)),
            "Deployment")
      << ControllerLog();

  RunResult bad = RunProgram({"curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "-X", "POST",
                              "-H", "X-GitHub-Event: push", "--data-binary", "{oops", webhook_});
  EXPECT_EQ(bad.out, "400");
  RunResult ping = RunProgram(
      {"curl", "-sS", "-X", "POST", "-H", "X-GitHub-Event: ping", "--data-binary", "{}", webhook_});
  EXPECT_EQ(ping.out, "no push event: nothing to refresh\n");
}

// An App of Apps whose root manages itself, as camptocamp's stack does: the children are synced
// like any resource, the root converges without deleting itself, and a child removed from Git
// takes its resources with it (resources finalizer).
TEST_F(ControllerTest, AppOfAppsManagesItselfAndCascadesARemovedChild) {
  fs::create_directories(repo_ / "apps");
  std::string url = "file://" + repo_.string();
  WriteFile(repo_ / "apps/root.yaml", fmt::format(R"(apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {{name: root, namespace: argocd}}
spec:
  project: default
  source: {{repoURL: "{}", targetRevision: HEAD, path: apps}}
  destination: {{server: "https://kubernetes.default.svc", namespace: argocd}}
  syncPolicy: {{automated: {{prune: true, selfHeal: true}}}}
)",
                                                  url));
  WriteFile(repo_ / "apps/guestbook.yaml", fmt::format(R"(apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: guestbook
  namespace: argocd
  finalizers: [resources-finalizer.argocd.argoproj.io]
spec:
  project: default
  source: {{repoURL: "{}", targetRevision: HEAD, path: guestbook}}
  destination: {{server: "https://kubernetes.default.svc", namespace: guestbook}}
  syncPolicy:
    automated: {{prune: true, selfHeal: true}}
    syncOptions: [CreateNamespace=true]
)",
                                                       url));
  Commit("apps");
  StartController();
  Ok({"apply", "-f", (repo_ / "apps/root.yaml").string()});
  std::vector<std::string> root = {"application", "root", "-n", "argocd"};
  std::vector<std::string> child = {"application", "guestbook", "-n", "argocd"};
  EXPECT_EQ(WaitFor(root, "{.status.sync.status}", "Synced"), "Synced") << ControllerLog();
  EXPECT_EQ(WaitFor(child, "{.status.sync.status}/{.status.health.status}", "Synced/Healthy"),
            "Synced/Healthy")
      << ControllerLog();
  EXPECT_EQ(Get({"deployment", "guestbook-ui", "-n", "guestbook"}, "{.status.availableReplicas}"),
            "1");
  EXPECT_EQ(Get(root, "{.status.resources[*].name}"), "guestbook root");

  fs::remove(repo_ / "apps/guestbook.yaml");
  Commit("drop the guestbook");
  EXPECT_EQ(WaitFor(child, "{.metadata.name}", ""), "") << ControllerLog();
  EXPECT_EQ(WaitFor({"deployments", "-n", "guestbook"}, "{.items[*].metadata.name}", ""), "");
  EXPECT_EQ(WaitFor(root, "{.status.sync.status}/{.status.resources[*].name}", "Synced/root"),
            "Synced/root");
  EXPECT_EQ(Get(root, "{.metadata.name}"), "root");
}

// argocd-example-apps/sync-waves: a PreSync Job, then ReplicaSets, Services and Sync hook Jobs
// in waves 1 to 3, each wave healthy (Jobs complete) before the next.
TEST_F(ControllerTest, TheSyncWavesExampleRunsItsHooksAndWaves) {
  fs::copy(SharedDir() / "testdata/argocd-example-apps/sync-waves", repo_ / "sync-waves");
  Commit("sync-waves");
  StartController();
  CreateApp("sync-waves", "sync-waves", "  syncPolicy: {automated: {prune: true}}\n");
  std::vector<std::string> app = {"application", "sync-waves", "-n", "argocd"};
  EXPECT_EQ(WaitFor(app, "{.status.operationState.phase}", "Succeeded", std::chrono::seconds(60)),
            "Succeeded")
      << Ok({"get", "application", "sync-waves", "-n", "argocd", "-o", "yaml"}) << ControllerLog();
  EXPECT_EQ(WaitFor(app, "{.status.sync.status}/{.status.health.status}", "Synced/Healthy"),
            "Synced/Healthy");
  // Results in execution order: the PreSync hook first, then the waves.
  std::string order = Get(app,
                          "{range .status.operationState.syncResult.resources[*]}"
                          "{.syncPhase}/{.kind}/{.hookPhase} {end}");
  EXPECT_EQ(order.rfind("PreSync/Job/Succeeded ", 0), 0u) << order;
  EXPECT_NE(order.find("Sync/ReplicaSet/"), std::string::npos) << order;
  EXPECT_EQ(Get({"replicasets", "-n", "default"}, "{.items[*].status.readyReplicas}").empty(),
            false);
}

// Pods that take seconds to start, so that a sync is caught waiting in a wave.
class SlowPodsControllerTest : public ControllerTest {
 protected:
  void SetUp() override {
    server_args_ = {"--simulation-delay", "3000"};
    ControllerTest::SetUp();
  }
};

TEST_F(SlowPodsControllerTest, ASyncStoppedBySigtermResumesAfterARestart) {
  StartController();
  CreateApp("guestbook", "guestbook", "  syncPolicy: {automated: {prune: true}}\n");
  ASSERT_EQ(WaitFor(kApp, "{.status.operationState.message}",
                    "waiting for healthy state of apps/Deployment/guestbook-ui"),
            "waiting for healthy state of apps/Deployment/guestbook-ui")
      << ControllerLog();
  std::string started = Get(kApp, "{.status.operationState.startedAt}");
  controller_->Signal(SIGTERM);
  EXPECT_EQ(controller_->Wait(std::chrono::seconds(10)), std::optional<int>(0)) << ControllerLog();
  // Its state is recorded: the operation is still there, Running, with what it did.
  EXPECT_EQ(Get(kApp, "{.status.operationState.phase}"), "Running");
  EXPECT_NE(Get(kApp, "{.operation}"), "");
  EXPECT_EQ(Get(kApp, "{.status.operationState.syncResult.resources[*].kind}"),
            "Service Deployment");

  // Later than a second: an operation started again would have another startedAt.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  StartController();
  EXPECT_EQ(WaitFor(kApp, "{.status.operationState.phase}", "Succeeded"), "Succeeded")
      << ControllerLog();
  // The same operation went on; it was not started again.
  EXPECT_EQ(Get(kApp, "{.status.operationState.startedAt}"), started);
  EXPECT_EQ(Get(kApp, "{.status.health.status}"), "Healthy");
}

}  // namespace
}  // namespace kstack::e2e
