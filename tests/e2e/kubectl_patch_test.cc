// Changing objects the ways kubectl does: client-side apply (last-applied annotation, field
// removal), strategic merge patches (kubectl patch, set image), kubectl edit through an editor,
// and kubectl diff against a server-side dry run.

#include "tests/e2e/server_fixture.h"

namespace kstack::e2e {
namespace {

constexpr const char* kDeployment = R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx:1
        ports:
        - containerPort: 80
        env:
        - {name: A, value: "1"}
        - {name: B, value: "2"}
)";

class KubectlPatchTest : public ServerE2eTest {
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
  std::string File(const std::string& name, const std::string& text) {
    fs::path p = root_ / name;
    WriteFile(p, text);
    return p.string();
  }
  std::string Get(const std::string& what, const std::string& jsonpath) {
    return Ok({"get", what, "-o", "jsonpath=" + jsonpath});
  }
  static std::string Replace(std::string text, const std::string& from, const std::string& to) {
    size_t at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) text.replace(at, from.size(), to);
    return text;
  }
};

TEST_F(KubectlPatchTest, ApplyCreatesLeavesUnchangedAndRemovesFieldsThatLeaveTheFile) {
  std::string file = File("web.yaml", kDeployment);
  EXPECT_EQ(Ok({"apply", "-f", file}), "deployment.apps/web created\n");
  EXPECT_EQ(Ok({"apply", "-f", file}), "deployment.apps/web unchanged\n");
  EXPECT_NE(Get("deploy/web", "{.metadata.annotations}")
                .find("kubectl.kubernetes.io/last-applied-configuration"),
            std::string::npos);
  std::string changed = Replace(Replace(kDeployment, "nginx:1", "nginx:2"),
                                "        - {name: B, value: \"2\"}\n", "");
  EXPECT_EQ(Ok({"apply", "-f", File("web2.yaml", changed)}), "deployment.apps/web configured\n");
  EXPECT_EQ(Get("deploy/web", "{.spec.template.spec.containers[0].image}"), "nginx:2");
  EXPECT_EQ(Get("deploy/web", "{.spec.template.spec.containers[0].env}"),
            R"([{"name":"A","value":"1"}])");
  EXPECT_EQ(Get("deploy/web", "{.metadata.generation}"), "2");
}

TEST_F(KubectlPatchTest, StrategicMergePatchesMergeListsByTheirKeys) {
  Ok({"create", "-f", File("web.yaml", kDeployment)});
  // The default patch type of kubectl patch is strategic: a container named anew is added.
  Ok({"patch", "deployment", "web", "-p",
      R"({"spec":{"template":{"spec":{"containers":[{"name":"side","image":"busybox"}]}}}})"});
  EXPECT_EQ(Get("deploy/web", "{.spec.template.spec.containers[*].name}"), "side web");
  Ok({"set", "image", "deployment/web", "web=nginx:3"});
  EXPECT_EQ(Get("deploy/web", "{.spec.template.spec.containers[*].image}"), "busybox nginx:3");
  // env merges by name; $patch: delete removes one element.
  Ok({"patch", "deployment", "web", "-p",
      R"({"spec":{"template":{"spec":{"containers":[{"name":"web","env":[{"name":"B","$patch":"delete"},{"name":"C","value":"3"}]}]}}}})"});
  EXPECT_EQ(Get("deploy/web", "{.spec.template.spec.containers[1].env[*].name}"), "C A");
  EXPECT_EQ(Get("deploy/web", "{.spec.template.spec.containers[1].ports[0].containerPort}"), "80");
}

TEST_F(KubectlPatchTest, EditThroughAnEditor) {
  Ok({"create", "-f", File("web.yaml", kDeployment)});
  std::string editor = File("editor.sh", "#!/bin/sh\nsed -i 's/replicas: 2/replicas: 5/' \"$1\"\n");
  fs::permissions(editor, fs::perms::owner_all);
  RunResult r = RunProgram({"env", "EDITOR=" + editor, "kubectl", "--kubeconfig",
                            server_.kubeconfig, "--cache-dir", (root_ / "kube-cache").string(),
                            "edit", "deployment", "web"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "deployment.apps/web edited\n");
  EXPECT_EQ(Get("deploy/web", "{.spec.replicas}"), "5");
}

TEST_F(KubectlPatchTest, DiffShowsWhatApplyWouldChangeAndStoresNothing) {
  std::string file = File("web.yaml", kDeployment);
  Ok({"apply", "-f", file});
  RunResult same = Kubectl({"diff", "-f", file});
  EXPECT_EQ(same.exit_code, 0) << same.out << same.err;
  EXPECT_EQ(same.out, "");
  RunResult changed =
      Kubectl({"diff", "-f", File("web2.yaml", Replace(kDeployment, "nginx:1", "nginx:9"))});
  EXPECT_EQ(changed.exit_code, 1) << changed.err;
  EXPECT_NE(changed.out.find("-        image: nginx:1\n+        image: nginx:9"), std::string::npos)
      << changed.out;
  EXPECT_EQ(Get("deploy/web", "{.spec.template.spec.containers[0].image}"), "nginx:1");
}

TEST_F(KubectlPatchTest, CustomResourcesRefuseStrategicMergePatch) {
  Ok({"create", "-f", File("crd.yaml", R"(apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: notes.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {plural: notes, kind: Note}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
)")});
  Ok({"create", "-f", File("n.yaml", "apiVersion: example.com/v1\nkind: Note\nmetadata:\n  name: note1\n"
                                     "text: hello\n")});
  RunResult r = Kubectl({"patch", "note", "note1", "--type", "strategic", "-p", R"({"text":"x"})"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("application/strategic-merge-patch+json is not supported by "
                       "example.com/v1, Kind=Note: the body of the request was in an unknown "
                       "format"),
            std::string::npos)
      << r.err;
  Ok({"patch", "note", "note1", "--type", "merge", "-p", R"({"text":"bye"})"});
  EXPECT_EQ(Get("note/note1", "{.text}"), "bye");
}

}  // namespace
}  // namespace kstack::e2e
