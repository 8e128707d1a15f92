// Server-side apply through the real kubectl (`kubectl apply --server-side`): creation and an
// unchanged re-apply, conflicts between managers and --force-conflicts, removal of fields a
// manager stops applying, lists merged by their keys, managed fields shown by
// --show-managed-fields, the upgrade of client-side-applied objects, --dry-run=server, custom
// resources; and client-side `kubectl apply --prune`.

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
)";

constexpr const char* kGadgetCrd = R"(apiVersion: apiextensions.k8s.io/v1
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
        properties:
          spec:
            type: object
            properties:
              size: {type: integer}
              parts:
                type: array
                x-kubernetes-list-type: map
                x-kubernetes-list-map-keys: [name]
                items:
                  type: object
                  properties:
                    name: {type: string}
                    count: {type: integer}
)";

class KubectlServerSideApplyTest : public ServerE2eTest {
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
  // "manager/operation" of every managedFields entry, in order.
  std::string Managers(const std::string& what) {
    return Get(what, "{range .metadata.managedFields[*]}{.manager}/{.operation} {end}");
  }
  // The managers whose fields include .spec.replicas.
  std::string ReplicasOwners(const std::string& what) {
    Result<Json> object = ParseJson(Ok({"get", what, "-o", "json", "--show-managed-fields"}));
    EXPECT_TRUE(object.ok());
    std::string owners;
    if (!object.ok()) return owners;
    for (const Json& entry : object->at("metadata").at("managedFields").as_array()) {
      const Json* spec = FindMember(entry.at("fieldsV1"), "f:spec");
      if (spec != nullptr && FindMember(*spec, "f:replicas") != nullptr) {
        owners += std::string(FindString(entry, "manager")) + " ";
      }
    }
    return owners;
  }
  static std::string Replace(std::string text, const std::string& from, const std::string& to) {
    size_t at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) text.replace(at, from.size(), to);
    return text;
  }
};

TEST_F(KubectlServerSideApplyTest, CreatesAndThenLeavesUnchanged) {
  std::string file = File("web.yaml", kDeployment);
  EXPECT_EQ(Ok({"apply", "--server-side", "-f", file}), "deployment.apps/web serverside-applied\n");
  // Once the rollout is done nothing else writes the Deployment.
  Ok({"rollout", "status", "deploy/web", "--timeout=30s"});
  std::string rv = Get("deploy/web", "{.metadata.resourceVersion}");
  EXPECT_EQ(Ok({"apply", "--server-side", "-f", file}), "deployment.apps/web serverside-applied\n");
  EXPECT_EQ(Get("deploy/web", "{.metadata.resourceVersion}"), rv) << "an unchanged apply writes";
  EXPECT_EQ(Managers("deploy/web"), "kubectl/Apply ");
  EXPECT_EQ(Get("deploy/web", "{.spec.replicas}"), "2");
  EXPECT_EQ(Get("deploy/web", "{.metadata.generation}"), "1");
}

TEST_F(KubectlServerSideApplyTest, ConflictsNameTheFieldAndManagerAndForceTakesThem) {
  Ok({"apply", "--server-side", "--field-manager=team-a", "-f", File("a.yaml", kDeployment)});
  std::string scaled = Replace(kDeployment, "replicas: 2", "replicas: 5");
  RunResult r =
      Kubectl({"apply", "--server-side", "--field-manager=team-b", "-f", File("b.yaml", scaled)});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("Apply failed with 1 conflict: conflict with \"team-a\": .spec.replicas"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(Get("deploy/web", "{.spec.replicas}"), "2");
  // The same value is no conflict: both managers own it.
  Ok({"apply", "--server-side", "--field-manager=team-b", "-f", File("same.yaml", kDeployment)});
  EXPECT_EQ(Managers("deploy/web"), "team-a/Apply team-b/Apply ");
  EXPECT_EQ(ReplicasOwners("deploy/web"), "team-a team-b ");

  Ok({"apply", "--server-side", "--field-manager=team-b", "--force-conflicts", "-f",
      File("b.yaml", scaled)});
  EXPECT_EQ(Get("deploy/web", "{.spec.replicas}"), "5");
  // team-a no longer owns .spec.replicas; team-b does.
  EXPECT_EQ(ReplicasOwners("deploy/web"), "team-b ");
}

TEST_F(KubectlServerSideApplyTest, ConflictWithAnUpdateNamesItsApiVersion) {
  Ok({"apply", "--server-side", "-f", File("web.yaml", kDeployment)});
  Ok({"scale", "deploy/web", "--replicas=4"});
  RunResult r = Kubectl({"apply", "--server-side", "-f", File("web.yaml", kDeployment)});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("conflict with \"kubectl\" with subresource \"scale\" using apps/v1: "
                       ".spec.replicas"),
            std::string::npos)
      << r.err;
}

TEST_F(KubectlServerSideApplyTest, DroppedFieldsGoWhenOwnedAloneAndStayWhenShared) {
  std::string labelled = Replace(kDeployment, "labels: {app: web}\nspec",
                                 "labels: {app: web, tier: front, team: core}\nspec");
  Ok({"apply", "--server-side", "-f", File("web.yaml", labelled)});
  // Another manager applies the same team label: it shares it.
  Ok({"apply", "--server-side", "--field-manager=labeler", "-f",
      File("labeler.yaml", R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {team: core}
)")});
  Ok({"apply", "--server-side", "-f", File("web.yaml", kDeployment)});
  EXPECT_EQ(Get("deploy/web", "{.metadata.labels}"), R"({"app":"web","team":"core"})");
}

TEST_F(KubectlServerSideApplyTest, ContainersMergeByNameAndPortsByKey) {
  Ok({"apply", "--server-side", "-f", File("web.yaml", kDeployment)});
  Ok({"apply", "--server-side", "--field-manager=injector", "-f",
      File("sidecar.yaml", R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
      - name: web
        ports:
        - containerPort: 9090
      - name: proxy
        image: envoy:1
)")});
  EXPECT_EQ(Get("deploy/web", "{.spec.template.spec.containers[*].name}"), "web proxy");
  EXPECT_EQ(Get("deploy/web", "{.spec.template.spec.containers[0].image}"), "nginx:1");
  EXPECT_EQ(Get("deploy/web", "{.spec.template.spec.containers[0].ports[*].containerPort}"),
            "80 9090");
  std::string yaml = Ok({"get", "deploy/web", "-o", "yaml", "--show-managed-fields"});
  EXPECT_NE(yaml.find("k:{\"name\":\"proxy\"}"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("k:{\"containerPort\":9090,\"protocol\":\"TCP\"}"), std::string::npos)
      << yaml;
}

TEST_F(KubectlServerSideApplyTest, ManagedFieldsShownOnlyWhenAsked) {
  Ok({"create", "-f", File("web.yaml", kDeployment)});
  Ok({"label", "deploy/web", "extra=yes"});
  Ok({"apply", "--server-side", "--force-conflicts", "-f", File("web.yaml", kDeployment)});
  EXPECT_EQ(Ok({"get", "deploy/web", "-o", "yaml"}).find("managedFields"), std::string::npos);
  std::string yaml = Ok({"get", "deploy/web", "-o", "yaml", "--show-managed-fields"});
  EXPECT_NE(yaml.find("manager: kubectl-create\n    operation: Update"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("manager: kubectl-label\n    operation: Update"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("manager: kubectl\n    operation: Apply"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("fieldsType: FieldsV1"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("f:extra: {}"), std::string::npos) << yaml;
}

TEST_F(KubectlServerSideApplyTest, UpgradesAClientSideAppliedObject) {
  Ok({"apply", "-f", File("web.yaml", kDeployment)});
  EXPECT_EQ(Managers("deploy/web"), "kubectl-client-side-apply/Update ");
  std::string scaled = Replace(kDeployment, "replicas: 2", "replicas: 3");
  Ok({"apply", "--server-side", "-f", File("scaled.yaml", scaled)});
  EXPECT_EQ(Get("deploy/web", "{.spec.replicas}"), "3");
  std::string managers = Managers("deploy/web");
  EXPECT_NE(managers.find("kubectl/Apply"), std::string::npos) << managers;
  // Once upgraded, the same apply changes nothing: the template kubectl now owns stays whole.
  std::string generation = Get("deploy/web", "{.metadata.generation}");
  Ok({"apply", "--server-side", "-f", File("scaled.yaml", scaled)});
  EXPECT_EQ(Get("deploy/web", "{.metadata.generation}"), generation);
  EXPECT_EQ(Get("deploy/web", "{.spec.template.spec.containers[0].image}"), "nginx:1");
  // Fields the manager no longer applies now go, as they are kubectl's alone.
  std::string fewer = Replace(scaled, "labels: {app: web}\nspec", "labels: {}\nspec");
  Ok({"apply", "--server-side", "-f", File("fewer.yaml", fewer)});
  EXPECT_EQ(Get("deploy/web", "{.metadata.labels.app}"), "");
}

TEST_F(KubectlServerSideApplyTest, StatusSubresourceAppliesOnlyTheStatus) {
  // A Service: no controller of the server writes its status.
  Ok({"apply", "--server-side", "-f", File("svc.yaml", R"(apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: LoadBalancer
  selector: {app: web}
  ports: [{port: 80}]
)")});
  Ok({"apply", "--server-side", "--subresource=status", "--field-manager=controller", "-f",
      File("status.yaml", R"(apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: NodePort
status:
  loadBalancer:
    ingress: [{ip: 192.0.2.10}]
)")});
  EXPECT_EQ(Get("svc/web", "{.status.loadBalancer.ingress[0].ip}"), "192.0.2.10");
  EXPECT_EQ(Get("svc/web", "{.spec.type}"), "LoadBalancer");
  EXPECT_EQ(Get("svc/web", "{range .metadata.managedFields[*]}{.manager}/{.subresource} {end}"),
            "controller/status kubectl/ ");
}

TEST_F(KubectlServerSideApplyTest, ServerDryRunStoresNothing) {
  std::string file = File("web.yaml", kDeployment);
  Ok({"apply", "--server-side", "--dry-run=server", "-f", file});
  RunResult r = Kubectl({"get", "deploy/web"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("not found"), std::string::npos) << r.err;
  Ok({"apply", "--server-side", "-f", file});
  Ok({"apply", "--server-side", "--dry-run=server", "-f",
      File("scaled.yaml", Replace(kDeployment, "replicas: 2", "replicas: 7"))});
  EXPECT_EQ(Get("deploy/web", "{.spec.replicas}"), "2");
}

TEST_F(KubectlServerSideApplyTest, CustomResourcesMergeListsByTheirSchemaKeys) {
  Ok({"apply", "-f", File("crd.yaml", kGadgetCrd)});
  Ok({"wait", "--for", "condition=Established", "--timeout=5s", "crd/gadgets.example.com"});
  Ok({"apply", "--server-side", "-f", File("g.yaml", R"(apiVersion: example.com/v1
kind: Gadget
metadata: {name: g}
spec:
  size: 1
  parts:
  - {name: bolt, count: 4}
)")});
  Ok({"apply", "--server-side", "--field-manager=other", "-f",
      File("o.yaml", R"(apiVersion: example.com/v1
kind: Gadget
metadata: {name: g}
spec:
  parts:
  - {name: nut, count: 2}
)")});
  EXPECT_EQ(Get("gadget/g", "{.spec.parts[*].name}"), "bolt nut");
  RunResult r = Kubectl({"apply", "--server-side", "--field-manager=other", "-f",
                         File("o2.yaml", R"(apiVersion: example.com/v1
kind: Gadget
metadata: {name: g}
spec:
  size: 2
)")});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("conflict with \"kubectl\": .spec.size"), std::string::npos) << r.err;
}

TEST_F(KubectlServerSideApplyTest, ClientSideApplyPruneDeletesLabelledObjectsThatLeftTheFile) {
  auto config_map = [](const std::string& name, const std::string& app) {
    return "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " + name +
           "\n  labels: {app: " + app + "}\ndata: {k: v}\n";
  };
  Ok({"apply", "-f", File("all.yaml", config_map("one", "x") + "---\n" + config_map("two", "x"))});
  Ok({"create", "-f", File("other.yaml", config_map("three", "other"))});
  // kubectl's default prune list: every type it names must be served (ReplicationControllers
  // included).
  std::string out =
      Ok({"apply", "--prune", "-l", "app=x", "-f", File("one.yaml", config_map("one", "x"))});
  EXPECT_NE(out.find("configmap/two pruned"), std::string::npos) << out;
  EXPECT_EQ(Get("configmaps", "{.items[*].metadata.name}"), "kube-root-ca.crt one three");
}

}  // namespace
}  // namespace kstack::e2e
