// CustomResourceDefinitions through the real kubectl: served once established, discovery,
// schema validation, defaults and pruning, fieldValidation, printer columns, several versions,
// the status subresource, cluster scope, persistence and deletion with the instances.

#include "tests/e2e/server_fixture.h"

namespace kstack::e2e {
namespace {

constexpr const char* kWidgetCrd = R"(apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names:
    plural: widgets
    kind: Widget
    shortNames: [wd]
    categories: [gadgetry]
  versions:
  - name: v1beta1
    served: true
    storage: false
    schema:
      openAPIV3Schema:
        type: object
        x-kubernetes-preserve-unknown-fields: true
  - name: v1
    served: true
    storage: true
    subresources:
      status: {}
    additionalPrinterColumns:
    - name: Replicas
      type: integer
      jsonPath: .spec.replicas
    - name: Phase
      type: string
      jsonPath: .status.phase
    - name: Age
      type: date
      jsonPath: .metadata.creationTimestamp
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            required: [color]
            properties:
              replicas:
                type: integer
                description: How many widgets to run.
                minimum: 0
                default: 1
              color:
                type: string
                enum: [red, blue]
              size:
                type: string
                default: medium
              config:
                type: object
                x-kubernetes-preserve-unknown-fields: true
          status:
            type: object
            properties:
              phase:
                type: string
)";

constexpr const char* kWidget = R"(apiVersion: example.com/v1
kind: Widget
metadata:
  name: w1
spec:
  color: red
  replicas: 3
  config:
    anything: [1, 2]
)";

class KubectlCrdTest : public ServerE2eTest {
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
  // The error text of a kubectl command that must fail.
  std::string Fails(std::vector<std::string> args) {
    RunResult r = Kubectl(args);
    EXPECT_NE(r.exit_code, 0) << "kubectl " << args[0] << " succeeded: " << r.out;
    return r.err;
  }
  std::string Apply(const std::string& name, const std::string& text,
                    std::vector<std::string> extra = {}) {
    fs::path p = root_ / name;
    WriteFile(p, text);
    std::vector<std::string> args = {"create", "-f", p.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return Ok(args);
  }
  fs::path File(const std::string& name, const std::string& text) {
    fs::path p = root_ / name;
    WriteFile(p, text);
    return p;
  }
};

TEST_F(KubectlCrdTest, EstablishedAtOnceAndListedInDiscovery) {
  Apply("crd.yaml", kWidgetCrd);
  Ok({"wait", "--for", "condition=Established", "--timeout=5s", "crd/widgets.example.com"});
  std::string resources = Ok({"api-resources", "--api-group=example.com"});
  EXPECT_NE(resources.find("widgets"), std::string::npos) << resources;
  EXPECT_NE(resources.find("wd"), std::string::npos) << resources;
  EXPECT_NE(resources.find("example.com/v1 "), std::string::npos) << resources;
  EXPECT_NE(resources.find("true"), std::string::npos) << resources;  // namespaced
  std::string versions = Ok({"api-versions"});
  EXPECT_NE(versions.find("example.com/v1\n"), std::string::npos) << versions;
  EXPECT_NE(versions.find("example.com/v1beta1\n"), std::string::npos) << versions;
  std::string crd = Ok({"get", "crd", "widgets.example.com", "-o", "json"});
  Json object = *ParseJson(crd);
  EXPECT_EQ(WriteJson(object.at("status").at("acceptedNames").at("kind")), "\"Widget\"");
  EXPECT_EQ(WriteJson(object.at("status").at("storedVersions")), "[\"v1\"]");
  EXPECT_EQ(WriteJson(object.at("spec").at("names").at("listKind")), "\"WidgetList\"");
  EXPECT_EQ(WriteJson(object.at("metadata").at("finalizers")),
            "[\"customresourcecleanup.apiextensions.k8s.io\"]");
}

TEST_F(KubectlCrdTest, CustomResourcesAreDefaultedPrunedAndPrintedWithTheirColumns) {
  Apply("crd.yaml", kWidgetCrd);
  Apply("w1.yaml", kWidget);
  Json w1 = *ParseJson(Ok({"get", "wd", "w1", "-o", "json"}));
  EXPECT_EQ(WriteJson(w1.at("spec")),
            R"({"color":"red","config":{"anything":[1,2]},"replicas":3,"size":"medium"})");
  EXPECT_EQ(WriteJson(w1.at("metadata").at("generation")), "1");
  std::string table = Ok({"get", "widgets"});
  EXPECT_TRUE(table.starts_with("NAME   REPLICAS   PHASE   AGE\nw1     3                  "))
      << table;
  // The status subresource: status is set through it, and ignored by updates of the object.
  Ok({"patch", "widget", "w1", "--subresource=status", "--type=merge", "-p",
      R"({"status":{"phase":"Ready"}})"});
  Ok({"patch", "widget", "w1", "--type=merge", "-p",
      R"({"spec":{"replicas":4},"status":{"phase":"Lost"}})"});
  w1 = *ParseJson(Ok({"get", "wd", "w1", "-o", "json"}));
  EXPECT_EQ(WriteJson(w1.at("status")), R"({"phase":"Ready"})");
  EXPECT_EQ(WriteJson(w1.at("metadata").at("generation")), "2");
  table = Ok({"get", "widgets"});
  EXPECT_TRUE(table.starts_with("NAME   REPLICAS   PHASE   AGE\nw1     4          Ready   ")) << table;
  // Read through the other served version.
  EXPECT_EQ(Ok({"get", "widgets.v1beta1.example.com", "w1", "-o", "jsonpath={.apiVersion}"}),
            "example.com/v1beta1");
  // `kubectl get gadgetry` lists the types of the category.
  EXPECT_TRUE(Ok({"get", "gadgetry"}).starts_with("NAME   REPLICAS   PHASE   AGE\nw1 "));
}

TEST_F(KubectlCrdTest, ExplainWalksTheSchema) {
  Apply("crd.yaml", kWidgetCrd);
  std::string spec = Ok({"explain", "widgets.spec"});
  EXPECT_NE(spec.find("color\t<string> -required-"), std::string::npos) << spec;
  EXPECT_NE(spec.find("enum: red, blue"), std::string::npos) << spec;
  EXPECT_NE(spec.find("config\t<Object>"), std::string::npos) << spec;
  std::string replicas = Ok({"explain", "widgets.spec.replicas"});
  EXPECT_NE(replicas.find("FIELD: replicas <integer>"), std::string::npos) << replicas;
  EXPECT_NE(replicas.find("How many widgets to run."), std::string::npos) << replicas;
  std::string top = Ok({"explain", "wd"});
  for (const char* field : {"apiVersion\t<string>", "metadata\t<Object>", "status\t<Object>"}) {
    EXPECT_NE(top.find(field), std::string::npos) << field << "\n" << top;
  }
}

TEST_F(KubectlCrdTest, SchemaViolationsNameTheField) {
  Apply("crd.yaml", kWidgetCrd);
  std::string err = Fails({"create", "-f", File("bad.yaml", R"(apiVersion: example.com/v1
kind: Widget
metadata:
  name: bad
spec:
  color: green
  replicas: three
)").string()});
  EXPECT_NE(err.find(R"(spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string")"),
            std::string::npos)
      << err;
  EXPECT_NE(err.find(R"(spec.color: Unsupported value: "green": supported values: "red", "blue")"),
            std::string::npos)
      << err;
  err = Fails({"create", "-f", File("neg.yaml", R"(apiVersion: example.com/v1
kind: Widget
metadata:
  name: neg
spec:
  replicas: -1
)").string()});
  EXPECT_NE(err.find("spec.color: Required value"), std::string::npos) << err;
  EXPECT_NE(err.find("spec.replicas in body should be greater than or equal to 0"),
            std::string::npos)
      << err;
  // Nothing was stored.
  EXPECT_EQ(Ok({"get", "widgets", "-o", "name"}), "");
}

TEST_F(KubectlCrdTest, UnknownFieldsFollowFieldValidation) {
  Apply("crd.yaml", kWidgetCrd);
  const char* unknown = R"(apiVersion: example.com/v1
kind: Widget
metadata:
  name: extra
spec:
  color: blue
  flavour: vanilla
)";
  // kubectl asks for Strict by default.
  std::string err = Fails({"create", "-f", File("extra.yaml", unknown).string()});
  EXPECT_NE(err.find(R"(strict decoding error: unknown field "spec.flavour")"), std::string::npos)
      << err;
  RunResult warned = Kubectl({"create", "--validate=warn", "-f", (root_ / "extra.yaml").string()});
  EXPECT_EQ(warned.exit_code, 0) << warned.err;
  EXPECT_NE(warned.err.find(R"(Warning: unknown field "spec.flavour")"), std::string::npos)
      << warned.err;
  Json stored = *ParseJson(Ok({"get", "widget", "extra", "-o", "json"}));
  EXPECT_EQ(FindMember(stored.at("spec"), "flavour"), nullptr);
}

TEST_F(KubectlCrdTest, ClusterScopedTypesSurviveARestart) {
  Apply("crd.yaml", R"(apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: gadgets.tools.example.org
spec:
  group: tools.example.org
  scope: Cluster
  names: {plural: gadgets, kind: Gadget}
  versions:
  - name: v1alpha1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        x-kubernetes-preserve-unknown-fields: true
)");
  Apply("g.yaml", "apiVersion: tools.example.org/v1alpha1\nkind: Gadget\nmetadata:\n  name: g1\n"
                  "spec:\n  anything: goes\n");
  std::string table = Ok({"get", "gadgets"});
  EXPECT_TRUE(table.starts_with("NAME   AGE\ng1     ")) << table;
  server_.process.reset();  // SIGTERM
  StartServer();
  EXPECT_EQ(Ok({"get", "gadget", "g1", "-o", "jsonpath={.spec.anything}"}), "goes");
  EXPECT_EQ(Ok({"get", "gadget", "g1", "-o", "jsonpath={.metadata.namespace}"}), "");
}

TEST_F(KubectlCrdTest, DeletingTheDefinitionDeletesItsResources) {
  Apply("crd.yaml", kWidgetCrd);
  Apply("w1.yaml", kWidget);
  Ok({"delete", "crd", "widgets.example.com", "--timeout=10s"});
  // kubectl's cached discovery still knows the type; the server no longer serves it.
  std::string err = Fails({"get", "widgets"});
  EXPECT_NE(err.find("the server could not find the requested resource"), std::string::npos)
      << err;
  err = Fails({"get", "widgets", "--cache-dir", (root_ / "fresh-cache").string()});
  EXPECT_NE(err.find("the server doesn't have a resource type \"widgets\""), std::string::npos)
      << err;
  EXPECT_NE(Fails({"get", "crd", "widgets.example.com"}).find("not found"), std::string::npos);
  Apply("crd2.yaml", kWidgetCrd);
  EXPECT_EQ(Ok({"get", "widgets", "-o", "name"}), "");
}

TEST_F(KubectlCrdTest, InvalidDefinitionsAreRefusedWithTheField) {
  std::string err = Fails({"create", "-f", File("bad-crd.yaml", R"(apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: things.example.com
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
        properties:
          spec:
            properties:
              size: {type: string}
)").string()});
  EXPECT_NE(err.find(R"(metadata.name: Invalid value: "things.example.com": must be spec.names.plural+"."+spec.group)"),
            std::string::npos)
      << err;
  EXPECT_NE(err.find("spec.versions[0].schema.openAPIV3Schema.properties[spec].type: Required "
                     "value: must not be empty for specified object fields"),
            std::string::npos)
      << err;
  EXPECT_EQ(Ok({"get", "crd", "-o", "name"}), "");
}

}  // namespace
}  // namespace kstack::e2e
