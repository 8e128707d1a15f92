// Files of `kind: List` through the real kubectl with client-side validation on (the default):
// kubectl validates each item against the OpenAPI v2 document, which it reads in protobuf from
// /openapi/v2.

#include "tests/e2e/server_fixture.h"

namespace kstack::e2e {
namespace {

class KubectlListTest : public ServerE2eTest {
 protected:
  void SetUp() override {
    ServerE2eTest::SetUp();
    StartServer();
  }
  fs::path Manifest(const std::string& name, const std::string& text) {
    fs::path p = root_ / name;
    WriteFile(p, text);
    return p;
  }
};

constexpr const char* kList = R"(apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: ConfigMap
  metadata:
    name: settings
  data:
    mode: fast
- apiVersion: v1
  kind: Service
  metadata:
    name: web
  spec:
    selector:
      app: web
    ports:
    - port: 80
      targetPort: 8080
)";

TEST_F(KubectlListTest, CreateAListWithValidation) {
  RunResult created = Kubectl({"create", "-f", Manifest("list.yaml", kList).string()});
  ASSERT_EQ(created.exit_code, 0) << created.err << "\n" << ServerLog();
  EXPECT_EQ(created.out, "configmap/settings created\nservice/web created\n");
  EXPECT_EQ(Kubectl({"get", "cm", "settings", "-o", "jsonpath={.data.mode}"}).out, "fast");
  EXPECT_EQ(Kubectl({"get", "svc", "web", "-o", "jsonpath={.spec.ports[0].targetPort}"}).out,
            "8080");
}

TEST_F(KubectlListTest, ApplyAListWithValidation) {
  fs::path list = Manifest("list.yaml", kList);
  RunResult applied = Kubectl({"apply", "-f", list.string()});
  ASSERT_EQ(applied.exit_code, 0) << applied.err << "\n" << ServerLog();
  EXPECT_EQ(applied.out, "configmap/settings created\nservice/web created\n");
  RunResult again = Kubectl({"apply", "-f", list.string()});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.out, "configmap/settings unchanged\nservice/web unchanged\n");
}

TEST_F(KubectlListTest, AListWithAnUnknownKindStillFails) {
  RunResult r = Kubectl({"create", "-f",
                         Manifest("list.yaml", R"(apiVersion: v1
kind: List
items:
- apiVersion: example.com/v1
  kind: Widget
  metadata:
    name: w
)")
                             .string()});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("no matches for kind \"Widget\" in version \"example.com/v1\""),
            std::string::npos)
      << r.err;
}

TEST_F(KubectlListTest, TheV2DocumentInJson) {
  RunResult raw = Kubectl({"get", "--raw", "/openapi/v2"});
  ASSERT_EQ(raw.exit_code, 0) << raw.err;
  Result<Json> doc = ParseJson(raw.out);
  ASSERT_TRUE(doc.ok()) << doc.status().message();
  EXPECT_EQ(FindString(*doc, "swagger"), "2.0");
  const Json* deployment = FindMember(doc->at("definitions"), "io.k8s.api.apps.v1.Deployment");
  ASSERT_NE(deployment, nullptr);
  EXPECT_EQ(WriteJson(deployment->at("x-kubernetes-group-version-kind")),
            R"([{"group":"apps","version":"v1","kind":"Deployment"}])");
  EXPECT_NE(FindMember(doc->at("paths"), "/apis/apps/v1/namespaces/{namespace}/deployments"),
            nullptr);
}

}  // namespace
}  // namespace kstack::e2e
