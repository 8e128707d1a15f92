// Objects of the built-in types through the real kubectl: discovery, create, get (tables, -o
// yaml/json, selectors, chunks), replace with optimistic concurrency, delete, persistence.

#include <thread>

#include "tests/e2e/server_fixture.h"

namespace kstack::e2e {
namespace {

class KubectlObjectsTest : public ServerE2eTest {
 protected:
  void SetUp() override {
    ServerE2eTest::SetUp();
    StartServer();
  }
  // kubectl, failing the test when it fails.
  std::string Ok(std::vector<std::string> args) {
    RunResult r = Kubectl(args);
    EXPECT_EQ(r.exit_code, 0) << "kubectl " << args[0] << ": " << r.err << "\n" << ServerLog();
    return r.out;
  }
  fs::path Manifest(const std::string& name, const std::string& text) {
    fs::path p = root_ / name;
    WriteFile(p, text);
    return p;
  }
};

constexpr const char* kConfigMap = R"(apiVersion: v1
kind: ConfigMap
metadata:
  name: web
  labels:
    app: web
data:
  greeting: hello
)";

TEST_F(KubectlObjectsTest, ApiResourcesAndVersionsListTheBuiltInTypes) {
  std::string resources = Ok({"api-resources"});
  for (const char* line : {"deployments", "deploy", "apps/v1", "customresourcedefinitions",
                           "crd,crds", "namespaces", "ns", "clusterroles"}) {
    EXPECT_NE(resources.find(line), std::string::npos) << line << "\n" << resources;
  }
  std::string versions = Ok({"api-versions"});
  EXPECT_NE(versions.find("rbac.authorization.k8s.io/v1"), std::string::npos) << versions;
  EXPECT_NE(versions.find("\nv1\n"), std::string::npos) << versions;
}

TEST_F(KubectlObjectsTest, SystemNamespacesExist) {
  std::string out = Ok({"get", "namespaces"});
  for (const char* ns : {"default", "kube-system", "kube-public", "kube-node-lease"}) {
    EXPECT_NE(out.find(ns), std::string::npos) << out;
  }
  EXPECT_NE(out.find("Active"), std::string::npos) << out;
}

TEST_F(KubectlObjectsTest, CreateGetAsTableYamlAndJson) {
  fs::path file = Manifest("cm.yaml", kConfigMap);
  EXPECT_EQ(Ok({"create", "-f", file.string()}), "configmap/web created\n");
  // Every namespace also holds the cluster's kube-root-ca.crt, as in Kubernetes.
  std::string table = Ok({"get", "configmaps"});
  EXPECT_EQ(table.substr(0, table.find('\n')), "NAME               DATA   AGE") << table;
  EXPECT_NE(table.find("\nkube-root-ca.crt   1      "), std::string::npos) << table;
  EXPECT_NE(table.find("\nweb                1      "), std::string::npos) << table;
  std::string yaml = Ok({"get", "configmap", "web", "-o", "yaml"});
  EXPECT_NE(yaml.find("  greeting: hello\n"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("  namespace: default\n"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("  uid: "), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("  resourceVersion: \""), std::string::npos) << yaml;
  Result<Json> json = ParseJson(Ok({"get", "cm", "web", "-o", "json"}));
  ASSERT_TRUE(json.ok());
  EXPECT_EQ(FindString(*json, "kind"), "ConfigMap");
  EXPECT_EQ(Ok({"get", "cm", "-o", "name"}), "configmap/kube-root-ca.crt\nconfigmap/web\n");
  RunResult again = Kubectl({"create", "-f", file.string()});
  EXPECT_NE(again.exit_code, 0);
  EXPECT_NE(again.err.find("AlreadyExists"), std::string::npos) << again.err;
  EXPECT_NE(again.err.find("configmaps \"web\" already exists"), std::string::npos) << again.err;
}

TEST_F(KubectlObjectsTest, SelectorsNamespacesAndChunks) {
  Ok({"create", "-f", Manifest("cm.yaml", kConfigMap).string()});
  Ok({"create", "-f",
      Manifest("other.yaml", R"(apiVersion: v1
kind: ConfigMap
metadata: {name: other, namespace: kube-system, labels: {app: db}}
)")
          .string()});
  EXPECT_EQ(Ok({"get", "cm", "-A", "-l", "app=web", "-o", "name"}), "configmap/web\n");
  EXPECT_EQ(Ok({"get", "cm", "-A", "-l", "app in (db)", "-o", "name"}), "configmap/other\n");
  EXPECT_EQ(Ok({"get", "cm", "-n", "kube-system", "-o", "name"}),
            "configmap/kube-root-ca.crt\nconfigmap/other\n");
  EXPECT_EQ(Ok({"get", "cm", "-A", "--field-selector", "metadata.name=other", "-o", "name"}),
            "configmap/other\n");
  // Across namespaces, objects come in the order of their namespace, then their name.
  std::string chunked =
      Ok({"get", "cm", "-A", "--chunk-size=1", "-o", "name", "-l", "app"});
  EXPECT_EQ(chunked, "configmap/web\nconfigmap/other\n");
  chunked = Ok({"get", "cm", "-A", "--chunk-size=1", "-o", "name"});
  EXPECT_EQ(chunked,
            "configmap/kube-root-ca.crt\nconfigmap/web\nconfigmap/kube-root-ca.crt\n"
            "configmap/kube-root-ca.crt\nconfigmap/kube-root-ca.crt\nconfigmap/other\n");
  RunResult bad = Kubectl({"get", "cm", "--field-selector", "spec.nope=1"});
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_NE(bad.err.find("field label not supported: spec.nope"), std::string::npos) << bad.err;
}

TEST_F(KubectlObjectsTest, MissingNamespaceAndInvalidNameAreRefused) {
  RunResult missing =
      Kubectl({"create", "-n", "nope", "-f", Manifest("cm.yaml", kConfigMap).string()});
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_NE(missing.err.find("namespaces \"nope\" not found"), std::string::npos) << missing.err;
  RunResult invalid = Kubectl({"create", "-f",
                               Manifest("bad.yaml", R"(apiVersion: v1
kind: ConfigMap
metadata: {name: Web}
)")
                                   .string()});
  EXPECT_NE(invalid.exit_code, 0);
  EXPECT_NE(invalid.err.find("metadata.name: Invalid value: \"Web\""), std::string::npos)
      << invalid.err;
  EXPECT_NE(Kubectl({"get", "cm", "Web"}).err.find("configmaps \"Web\" not found"),
            std::string::npos);
}

TEST_F(KubectlObjectsTest, ReplaceWithAStaleResourceVersionConflicts) {
  Ok({"create", "-f", Manifest("cm.yaml", kConfigMap).string()});
  std::string current = Ok({"get", "cm", "web", "-o", "yaml"});
  size_t at = current.find("greeting: hello");
  ASSERT_NE(at, std::string::npos);
  std::string edited = current;
  edited.replace(at, std::string("greeting: hello").size(), "greeting: hi");
  fs::path file = Manifest("edited.yaml", edited);
  EXPECT_EQ(Ok({"replace", "-f", file.string()}), "configmap/web replaced\n");
  RunResult stale = Kubectl({"replace", "-f", file.string()});
  EXPECT_NE(stale.exit_code, 0);
  EXPECT_NE(stale.err.find("the object has been modified; please apply your changes to the "
                           "latest version and try again"),
            std::string::npos)
      << stale.err;
  EXPECT_NE(Ok({"get", "cm", "web", "-o", "yaml"}).find("greeting: hi"), std::string::npos);
}

TEST_F(KubectlObjectsTest, WorkloadManifestsOfAnArgoCdExampleApp) {
  fs::path guestbook =
      fs::path(KSTACK_SOURCE_DIR).parent_path() / "shared/testdata/argocd-example-apps/guestbook";
  std::string created = Ok({"create", "-f", guestbook.string()});
  EXPECT_NE(created.find("deployment.apps/guestbook-ui created"), std::string::npos) << created;
  EXPECT_NE(created.find("service/guestbook-ui created"), std::string::npos) << created;
  std::string deployments = Ok({"get", "deployments"});
  EXPECT_EQ(deployments.substr(0, deployments.find('\n')),
            "NAME           READY   UP-TO-DATE   AVAILABLE   AGE")
      << deployments;
  std::string generation =
      Ok({"get", "deploy", "guestbook-ui", "-o", "jsonpath={.metadata.generation}"});
  EXPECT_EQ(generation, "1");
  EXPECT_NE(Ok({"get", "svc", "guestbook-ui"}).find("80/TCP"), std::string::npos);
  std::string deleted = Ok({"delete", "-f", guestbook.string()});
  EXPECT_NE(deleted.find("deployment.apps \"guestbook-ui\" deleted"), std::string::npos);
  EXPECT_NE(Kubectl({"get", "deploy", "guestbook-ui"}).exit_code, 0);
}

TEST_F(KubectlObjectsTest, ObjectsSurviveARestart) {
  Ok({"create", "-f", Manifest("cm.yaml", kConfigMap).string()});
  std::string before = Ok({"get", "cm", "web", "-o", "yaml"});
  server_.process->Signal(SIGTERM);
  ASSERT_EQ(server_.process->Wait(milliseconds(5000)), std::optional<int>(0));
  StartServer();
  EXPECT_EQ(Ok({"get", "cm", "web", "-o", "yaml"}), before);
}

}  // namespace
}  // namespace kstack::e2e

namespace kstack::e2e {
namespace {

TEST_F(KubectlObjectsTest, PatchWithMergeAndJsonPatches) {
  Ok({"create", "-f", Manifest("cm.yaml", kConfigMap).string()});
  EXPECT_EQ(Ok({"patch", "cm", "web", "--type", "merge", "-p", R"({"data":{"extra":"1"}})"}),
            "configmap/web patched\n");
  EXPECT_EQ(Ok({"patch", "cm", "web", "--type", "json", "-p",
                R"([{"op":"replace","path":"/data/greeting","value":"hi"}])"}),
            "configmap/web patched\n");
  EXPECT_EQ(Ok({"get", "cm", "web", "-o", "jsonpath={.data.greeting},{.data.extra}"}), "hi,1");
  RunResult failed = Kubectl({"patch", "cm", "web", "--type", "json", "-p",
                              R"([{"op":"test","path":"/data/greeting","value":"hello"}])"});
  EXPECT_NE(failed.exit_code, 0);
  EXPECT_NE(failed.err.find("operation 0 (test) at /data/greeting"), std::string::npos)
      << failed.err;
  std::string deploy_patch = Ok(
      {"create", "-f",
       (fs::path(KSTACK_SOURCE_DIR).parent_path() / "shared/testdata/argocd-example-apps/guestbook/"
                                                    "guestbook-ui-deployment.yaml")
           .string()});
  EXPECT_EQ(Ok({"patch", "deploy", "guestbook-ui", "--type", "merge", "-p",
                R"({"spec":{"replicas":3}})"}),
            "deployment.apps/guestbook-ui patched\n");
  EXPECT_EQ(Ok({"get", "deploy", "guestbook-ui", "-o",
                "jsonpath={.spec.replicas},{.metadata.generation}"}),
            "3,2");
}

}  // namespace
}  // namespace kstack::e2e

namespace kstack::e2e {
namespace {

TEST_F(KubectlObjectsTest, ScaleThroughTheScaleSubresource) {
  Ok({"create", "-f",
      (fs::path(KSTACK_SOURCE_DIR).parent_path() /
       "shared/testdata/argocd-example-apps/guestbook/guestbook-ui-deployment.yaml")
          .string()});
  EXPECT_EQ(Ok({"scale", "deployment", "guestbook-ui", "--replicas=4"}),
            "deployment.apps/guestbook-ui scaled\n");
  EXPECT_EQ(Ok({"get", "deploy", "guestbook-ui", "-o", "jsonpath={.spec.replicas}"}), "4");
  Result<Json> scale = ParseJson(
      Ok({"get", "--raw", "/apis/apps/v1/namespaces/default/deployments/guestbook-ui/scale"}));
  ASSERT_TRUE(scale.ok());
  EXPECT_EQ(FindString(*scale, "kind"), "Scale");
  EXPECT_EQ(FindString(*scale, "apiVersion"), "autoscaling/v1");
  EXPECT_EQ(scale->at("spec").at("replicas").as_int64(), 4);
  EXPECT_EQ(scale->at("status").at("selector").as_string(), "app=guestbook-ui");
  RunResult wrong =
      Kubectl({"scale", "deployment", "guestbook-ui", "--replicas=2", "--current-replicas=3"});
  EXPECT_NE(wrong.exit_code, 0);
  EXPECT_EQ(Ok({"get", "deploy", "guestbook-ui", "-o", "jsonpath={.spec.replicas}"}), "4");
}

}  // namespace
}  // namespace kstack::e2e

namespace kstack::e2e {
namespace {

TEST_F(KubectlObjectsTest, GetWatchSeesChangesAsTheyHappen) {
  ChildProcess watch(
      {"kubectl", "--kubeconfig", server_.kubeconfig, "--cache-dir",
       (root_ / "kube-cache").string(), "get", "configmaps", "--watch-only", "-o", "name"},
      (root_ / "watch.err").string());
  // The watch is open once kubectl has listed; give it a moment, then write.
  std::this_thread::sleep_for(milliseconds(700));
  Ok({"create", "-f", Manifest("cm.yaml", kConfigMap).string()});
  EXPECT_EQ(watch.ReadLine(milliseconds(5000)), std::optional<std::string>("configmap/web"))
      << ReadFile(root_ / "watch.err");
  Ok({"patch", "cm", "web", "--type", "merge", "-p", R"({"data":{"x":"1"}})"});
  EXPECT_EQ(watch.ReadLine(milliseconds(5000)), std::optional<std::string>("configmap/web"));
  Ok({"delete", "cm", "web"});
  EXPECT_EQ(watch.ReadLine(milliseconds(5000)), std::optional<std::string>("configmap/web"));
}

TEST_F(KubectlObjectsTest, RawWatchFromAResourceVersionEndsAtItsTimeout) {
  Ok({"create", "-f", Manifest("cm.yaml", kConfigMap).string()});
  std::string rv = Ok({"get", "cm", "web", "-o", "jsonpath={.metadata.resourceVersion}"});
  Ok({"patch", "cm", "web", "--type", "merge", "-p", R"({"data":{"x":"1"}})"});
  Ok({"delete", "cm", "web"});
  auto begin = Clock::now();
  std::string events = Ok({"get", "--raw",
                           "/api/v1/namespaces/default/configmaps?watch=1&timeoutSeconds=1&"
                           "resourceVersion=" +
                               rv});
  EXPECT_LT(Clock::now() - begin, std::chrono::seconds(5));
  std::istringstream lines(events);
  std::vector<std::string> types;
  std::string line;
  while (std::getline(lines, line)) {
    Result<Json> event = ParseJson(line);
    ASSERT_TRUE(event.ok()) << line;
    types.emplace_back(FindString(*event, "type"));
  }
  EXPECT_EQ(types, (std::vector<std::string>{"MODIFIED", "DELETED"})) << events;
}

// The type of each watch event line of `events`, with the resourceVersion of a BOOKMARK.
std::vector<std::string> EventTypes(const std::string& events) {
  std::istringstream lines(events);
  std::vector<std::string> types;
  std::string line;
  while (std::getline(lines, line)) {
    Result<Json> event = ParseJson(line);
    if (!event.ok()) {
      types.push_back("unparsable: " + line);
      continue;
    }
    std::string type(FindString(*event, "type"));
    const Json& meta = event->at("object").at("metadata");
    if (type == "BOOKMARK") {
      type += " " + std::string(FindString(meta, "resourceVersion"));
      if (const Json* a = FindMember(meta, "annotations")) type += " " + WriteJson(*a);
    } else {
      type += " " + std::string(FindString(meta, "name"));
    }
    types.push_back(type);
  }
  return types;
}

TEST_F(KubectlObjectsTest, WatchFollowsTheLabelSelectorAcrossChanges) {
  Ok({"create", "-f", Manifest("cm.yaml", kConfigMap).string()});
  std::string rv = Ok({"get", "cm", "web", "-o", "jsonpath={.metadata.resourceVersion}"});
  Ok({"label", "cm", "web", "app=other", "--overwrite"});   // leaves the selection
  Ok({"label", "cm", "web", "app=web", "--overwrite"});     // comes back
  Ok({"patch", "cm", "web", "--type", "merge", "-p", R"({"data":{"x":"1"}})"});
  Ok({"create", "configmap", "other", "--from-literal=a=b"});  // never selected
  Ok({"delete", "cm", "web"});
  std::string events = Ok({"get", "--raw",
                           "/api/v1/namespaces/default/configmaps?watch=1&timeoutSeconds=1&"
                           "labelSelector=app%3Dweb&resourceVersion=" + rv});
  EXPECT_EQ(EventTypes(events), (std::vector<std::string>{"DELETED web", "ADDED web",
                                                          "MODIFIED web", "DELETED web"}))
      << events;
}

TEST_F(KubectlObjectsTest, WatchBookmarksCarryTheLatestRevision) {
  Ok({"create", "-f", Manifest("cm.yaml", kConfigMap).string()});
  std::string rv = Ok({"get", "cm", "web", "-o", "jsonpath={.metadata.resourceVersion}"});
  Ok({"patch", "cm", "web", "--type", "merge", "-p", R"({"data":{"x":"1"}})"});
  std::string latest = Ok({"get", "cm", "web", "-o", "jsonpath={.metadata.resourceVersion}"});
  // Asked for, a bookmark comes shortly before the watch ends.
  std::string events = Ok({"get", "--raw",
                           "/api/v1/namespaces/default/configmaps?watch=1&timeoutSeconds=3&"
                           "allowWatchBookmarks=true&resourceVersion=" + rv});
  EXPECT_EQ(EventTypes(events), (std::vector<std::string>{"MODIFIED web", "BOOKMARK " + latest}))
      << events;
  // Not asked for, none.
  events = Ok({"get", "--raw",
               "/api/v1/namespaces/default/configmaps?watch=1&timeoutSeconds=3&resourceVersion=" +
                   rv});
  EXPECT_EQ(EventTypes(events), (std::vector<std::string>{"MODIFIED web"})) << events;
  // A watch list: the current objects, then a bookmark marking the end of them (and, this watch
  // being short, the periodic one halfway).
  events = Ok({"get", "--raw",
               "/api/v1/namespaces/default/configmaps?watch=1&timeoutSeconds=1&"
               "sendInitialEvents=true&resourceVersionMatch=NotOlderThan&"
               "allowWatchBookmarks=true&labelSelector=app"});
  EXPECT_EQ(EventTypes(events),
            (std::vector<std::string>{
                "ADDED web", "BOOKMARK " + latest + " {\"k8s.io/initial-events-end\":\"true\"}",
                "BOOKMARK " + latest}))
      << events;
}

TEST_F(KubectlObjectsTest, ListsAtAnExactResourceVersion) {
  Ok({"create", "-f", Manifest("cm.yaml", kConfigMap).string()});
  std::string rv = Ok({"get", "cm", "web", "-o", "jsonpath={.metadata.resourceVersion}"});
  Ok({"patch", "cm", "web", "--type", "merge", "-p", R"({"data":{"greeting":"bye"}})"});
  auto greeting = [&](const std::string& query) {
    Result<Json> list =
        ParseJson(Ok({"get", "--raw", "/api/v1/namespaces/default/configmaps?labelSelector=app" +
                                          query}));
    EXPECT_TRUE(list.ok());
    if (!list.ok()) return std::string();
    return std::string(FindString(list->at("items").at(0).at("data"), "greeting")) + " at " +
           std::string(FindString(list->at("metadata"), "resourceVersion"));
  };
  EXPECT_EQ(greeting("&resourceVersion=" + rv + "&resourceVersionMatch=Exact"),
            "hello at " + rv);
  std::string latest = Ok({"get", "cm", "web", "-o", "jsonpath={.metadata.resourceVersion}"});
  EXPECT_EQ(greeting("&resourceVersion=" + rv + "&resourceVersionMatch=NotOlderThan"),
            "bye at " + latest);
  EXPECT_EQ(greeting(""), "bye at " + latest);
  RunResult bad = Kubectl({"get", "--raw", "/api/v1/configmaps?resourceVersionMatch=Exact"});
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_NE(bad.err.find("resourceVersionMatch is forbidden unless resourceVersion is provided"),
            std::string::npos)
      << bad.err;
}

TEST_F(KubectlObjectsTest, UnknownFieldsAndWrongTypesOfBuiltInTypesAreNamed) {
  const std::string cm = std::string(kConfigMap) + "surprise: 1\n";
  RunResult strict = Kubectl({"create", "-f", Manifest("cm.yaml", cm).string()});
  EXPECT_NE(strict.exit_code, 0);
  EXPECT_NE(strict.err.find(R"(ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "surprise")"),
            std::string::npos)
      << strict.err;
  RunResult warned = Kubectl({"create", "--validate=warn", "-f", (root_ / "cm.yaml").string()});
  EXPECT_EQ(warned.exit_code, 0) << warned.err;
  EXPECT_NE(warned.err.find(R"(Warning: unknown field "surprise")"), std::string::npos)
      << warned.err;
  EXPECT_EQ(Ok({"get", "cm", "web", "-o", "jsonpath={.surprise}"}), "");
  RunResult wrong = Kubectl({"create", "-f", Manifest("pod.yaml", R"(apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: c
    image: nginx
    ports: [{containerPort: "80"}]
)").string()});
  EXPECT_NE(wrong.exit_code, 0);
  EXPECT_NE(wrong.err.find("Pod in version \"v1\" cannot be handled as a Pod: json: cannot "
                           "unmarshal string into Go struct field "
                           "ContainerPort.spec.containers.ports.containerPort of type int32"),
            std::string::npos)
      << wrong.err;
  EXPECT_NE(Kubectl({"get", "pod", "p"}).exit_code, 0);  // nothing stored
}

TEST_F(KubectlObjectsTest, ExplainDescribesBuiltInFields) {
  std::string ports = Ok({"explain", "deployment.spec.template.spec.containers.ports"});
  EXPECT_NE(ports.find("FIELD: ports <[]ContainerPort>"), std::string::npos) << ports;
  EXPECT_NE(ports.find("containerPort\t<integer> -required-"), std::string::npos) << ports;
  std::string cm = Ok({"explain", "configmap"});
  for (const char* field : {"binaryData\t<map[string]string>", "data\t<map[string]string>",
                            "immutable\t<boolean>", "metadata\t<ObjectMeta>"}) {
    EXPECT_NE(cm.find(field), std::string::npos) << field << "\n" << cm;
  }
}

TEST_F(KubectlObjectsTest, SigtermEndsOpenWatchesAndExitsZero) {
  ChildProcess watch({"kubectl", "--kubeconfig", server_.kubeconfig, "--cache-dir",
                      (root_ / "kube-cache").string(), "get", "configmaps", "--watch-only"},
                     (root_ / "watch.err").string());
  std::this_thread::sleep_for(milliseconds(700));
  server_.process->Signal(SIGTERM);
  EXPECT_EQ(server_.process->Wait(milliseconds(5000)), std::optional<int>(0)) << ServerLog();
}

}  // namespace
}  // namespace kstack::e2e

namespace kstack::e2e {
namespace {

TEST_F(KubectlObjectsTest, GetWatchPrintsTableRowsWithEvents) {
  Ok({"create", "-f", Manifest("cm.yaml", kConfigMap).string()});
  ChildProcess watch(
      {"kubectl", "--kubeconfig", server_.kubeconfig, "--cache-dir",
       (root_ / "kube-cache").string(), "get", "configmaps", "-l", "app", "--watch",
       "--output-watch-events"},
      (root_ / "watch.err").string());
  std::optional<std::string> header = watch.ReadLine(milliseconds(5000));
  ASSERT_TRUE(header.has_value()) << ReadFile(root_ / "watch.err");
  EXPECT_TRUE(header->starts_with("EVENT ") && header->find("DATA") != std::string::npos)
      << *header;
  std::optional<std::string> added = watch.ReadLine(milliseconds(5000));
  EXPECT_TRUE(added && added->starts_with("ADDED ") && added->find(" web ") != std::string::npos)
      << added.value_or("<nothing>");
  Ok({"patch", "cm", "web", "--type", "merge", "-p", R"({"data":{"x":"1"}})"});
  std::optional<std::string> modified = watch.ReadLine(milliseconds(5000));
  ASSERT_TRUE(modified.has_value());
  EXPECT_TRUE(modified->starts_with("MODIFIED ")) << *modified;
  EXPECT_NE(modified->find(" 2 "), std::string::npos) << "DATA counts two entries: " << *modified;
}

}  // namespace
}  // namespace kstack::e2e
