// kubectl's generator commands against the real server: `kubectl create <kind> ...`, `kubectl
// run` and `kubectl expose`. Most of them send the object in protobuf; each test reads back
// what was stored with `kubectl get -o json`.

#include "tests/e2e/server_fixture.h"

namespace kstack::e2e {
namespace {

class KubectlGeneratorsTest : public ServerE2eTest {
 protected:
  void SetUp() override {
    ServerE2eTest::SetUp();
    StartServer();
  }
  // kubectl, failing the test when it fails.
  std::string Ok(std::vector<std::string> args) {
    RunResult r = Kubectl(args);
    EXPECT_EQ(r.exit_code, 0) << "kubectl " << args[0] << " " << args[1] << ": " << r.err << "\n"
                              << ServerLog();
    return r.out;
  }
  // The stored object, as `kubectl get -o json` shows it.
  Json Get(const std::string& resource, const std::string& name,
           const std::string& ns = "default") {
    Result<Json> object = ParseJson(Ok({"get", resource, name, "-n", ns, "-o", "json"}));
    EXPECT_TRUE(object.ok()) << object.status().message();
    return object.ok() ? *object : Json();
  }
};

// The member at `keys` (array indexes as numbers in text); null when there is none.
Json At(const Json& value, std::initializer_list<std::string_view> keys) {
  const Json* v = &value;
  for (std::string_view key : keys) {
    if (v->is_array()) {
      size_t i = std::stoul(std::string(key));
      if (i >= v->as_array().size()) return nullptr;
      v = &v->as_array()[i];
    } else {
      v = FindMember(*v, key);
      if (v == nullptr) return nullptr;
    }
  }
  return *v;
}

std::string Base64(std::string_view data) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (size_t i = 0; i < data.size(); i += 3) {
    uint32_t n = static_cast<unsigned char>(data[i]) << 16;
    if (i + 1 < data.size()) n |= static_cast<unsigned char>(data[i + 1]) << 8;
    if (i + 2 < data.size()) n |= static_cast<unsigned char>(data[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < data.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += i + 2 < data.size() ? kAlphabet[n & 63] : '=';
  }
  return out;
}

TEST_F(KubectlGeneratorsTest, NamespaceConfigMapSecretsAndServiceAccount) {
  EXPECT_EQ(Ok({"create", "namespace", "team-a"}), "namespace/team-a created\n");
  EXPECT_EQ(At(Get("namespace", "team-a"), {"metadata", "name"}), Json("team-a"));

  std::string blob("bin\xff\x00\x01", 6);
  WriteFile(root_ / "blob.bin", blob);
  EXPECT_EQ(Ok({"create", "configmap", "settings", "-n", "team-a", "--from-literal=mode=fast",
                "--from-literal=greeting=hello world",
                "--from-file=blob=" + (root_ / "blob.bin").string()}),
            "configmap/settings created\n");
  Json cm = Get("configmap", "settings", "team-a");
  EXPECT_EQ(At(cm, {"data", "mode"}), Json("fast"));
  EXPECT_EQ(At(cm, {"data", "greeting"}), Json("hello world"));
  EXPECT_EQ(At(cm, {"binaryData", "blob"}), Json(Base64(blob)));

  Ok({"create", "secret", "generic", "creds", "--from-literal=user=admin",
      "--from-literal=password=s3cr3t!"});
  Json generic = Get("secret", "creds");
  EXPECT_EQ(At(generic, {"type"}), Json("Opaque"));
  EXPECT_EQ(At(generic, {"data", "user"}), Json(Base64("admin")));
  EXPECT_EQ(At(generic, {"data", "password"}), Json(Base64("s3cr3t!")));

  RunResult keys = RunProgram({"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                               "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
                               (root_ / "tls.key").string(), "-out", (root_ / "tls.crt").string(),
                               "-days", "30", "-subj", "/CN=web.example.com"});
  ASSERT_EQ(keys.exit_code, 0) << keys.err;
  Ok({"create", "secret", "tls", "web-tls", "--cert=" + (root_ / "tls.crt").string(),
      "--key=" + (root_ / "tls.key").string()});
  Json tls = Get("secret", "web-tls");
  EXPECT_EQ(At(tls, {"type"}), Json("kubernetes.io/tls"));
  EXPECT_EQ(At(tls, {"data", "tls.crt"}), Json(Base64(ReadFile(root_ / "tls.crt"))));
  EXPECT_EQ(At(tls, {"data", "tls.key"}), Json(Base64(ReadFile(root_ / "tls.key"))));

  Ok({"create", "secret", "docker-registry", "regcred", "--docker-server=registry.example.com",
      "--docker-username=bot", "--docker-password=pw", "--docker-email=bot@example.com"});
  Json docker = Get("secret", "regcred");
  EXPECT_EQ(At(docker, {"type"}), Json("kubernetes.io/dockerconfigjson"));
  EXPECT_EQ(At(docker, {"data", ".dockerconfigjson"}),
            Json(Base64(R"({"auths":{"registry.example.com":{"username":"bot","password":"pw",)"
                        R"("email":"bot@example.com","auth":"Ym90OnB3"}}})")));

  EXPECT_EQ(Ok({"create", "serviceaccount", "builder"}), "serviceaccount/builder created\n");
  EXPECT_EQ(At(Get("serviceaccount", "builder"), {"metadata", "namespace"}), Json("default"));
}

TEST_F(KubectlGeneratorsTest, ServicesOfEveryTypeAndExpose) {
  Ok({"create", "service", "clusterip", "api", "--tcp=80:8080", "--tcp=443"});
  Json api = Get("service", "api");
  EXPECT_EQ(At(api, {"spec", "type"}), Json("ClusterIP"));
  EXPECT_EQ(At(api, {"spec", "ports", "0", "name"}), Json("80-8080"));
  EXPECT_EQ(At(api, {"spec", "ports", "0", "port"}), Json(80));
  EXPECT_EQ(At(api, {"spec", "ports", "0", "targetPort"}), Json(8080));
  EXPECT_EQ(At(api, {"spec", "ports", "1", "targetPort"}), Json(443));
  EXPECT_EQ(At(api, {"spec", "selector", "app"}), Json("api"));

  Ok({"create", "service", "clusterip", "db", "--clusterip=None"});
  EXPECT_EQ(At(Get("service", "db"), {"spec", "clusterIP"}), Json("None"));

  Ok({"create", "service", "nodeport", "web-np", "--tcp=80:8080", "--node-port=30080"});
  Json np = Get("service", "web-np");
  EXPECT_EQ(At(np, {"spec", "type"}), Json("NodePort"));
  EXPECT_EQ(At(np, {"spec", "ports", "0", "nodePort"}), Json(30080));

  Ok({"create", "service", "loadbalancer", "edge", "--tcp=443:8443"});
  EXPECT_EQ(At(Get("service", "edge"), {"spec", "type"}), Json("LoadBalancer"));

  Ok({"create", "service", "externalname", "ext", "--external-name=example.com"});
  Json ext = Get("service", "ext");
  EXPECT_EQ(At(ext, {"spec", "type"}), Json("ExternalName"));
  EXPECT_EQ(At(ext, {"spec", "externalName"}), Json("example.com"));

  Ok({"create", "deployment", "web", "--image=nginx", "--port=8080"});
  EXPECT_EQ(
      Ok({"expose", "deployment", "web", "--port=80", "--target-port=8080", "--name=web-svc"}),
      "service/web-svc exposed\n");
  Json exposed = Get("service", "web-svc");
  EXPECT_EQ(At(exposed, {"spec", "selector", "app"}), Json("web"));
  EXPECT_EQ(At(exposed, {"spec", "ports", "0", "port"}), Json(80));
  EXPECT_EQ(At(exposed, {"spec", "ports", "0", "targetPort"}), Json(8080));
}

TEST_F(KubectlGeneratorsTest, DeploymentJobCronJobAndRun) {
  EXPECT_EQ(Ok({"create", "deployment", "web", "--image=nginx:1.27", "--replicas=3", "--port=80"}),
            "deployment.apps/web created\n");
  Json web = Get("deployment", "web");
  EXPECT_EQ(At(web, {"spec", "replicas"}), Json(3));
  EXPECT_EQ(At(web, {"spec", "selector", "matchLabels", "app"}), Json("web"));
  EXPECT_EQ(At(web, {"spec", "template", "metadata", "labels", "app"}), Json("web"));
  EXPECT_EQ(At(web, {"spec", "template", "spec", "containers", "0", "image"}), Json("nginx:1.27"));
  EXPECT_EQ(At(web, {"spec", "template", "spec", "containers", "0", "ports", "0", "containerPort"}),
            Json(80));
  EXPECT_EQ(At(web, {"metadata", "generation"}), Json(1));

  Ok({"create", "job", "once", "--image=busybox", "--", "echo", "hi"});
  Json once = Get("job", "once");
  EXPECT_EQ(At(once, {"spec", "template", "spec", "restartPolicy"}), Json("Never"));
  EXPECT_EQ(At(once, {"spec", "template", "spec", "containers", "0", "command"}),
            (Json(JsonArray{"echo", "hi"})));

  Ok({"create", "cronjob", "nightly", "--image=busybox", "--schedule=0 3 * * *",
      "--restart=OnFailure", "--", "date"});
  Json nightly = Get("cronjob", "nightly");
  EXPECT_EQ(At(nightly, {"spec", "schedule"}), Json("0 3 * * *"));
  EXPECT_EQ(At(nightly, {"spec", "jobTemplate", "spec", "template", "spec", "restartPolicy"}),
            Json("OnFailure"));

  Ok({"create", "job", "manual", "--from=cronjob/nightly"});
  Json manual = Get("job", "manual");
  EXPECT_EQ(At(manual, {"metadata", "annotations", "cronjob.kubernetes.io/instantiate"}),
            Json("manual"));
  EXPECT_EQ(At(manual, {"metadata", "ownerReferences", "0", "kind"}), Json("CronJob"));
  EXPECT_EQ(At(manual, {"metadata", "ownerReferences", "0", "uid"}),
            At(nightly, {"metadata", "uid"}));
  EXPECT_EQ(At(manual, {"spec", "template", "spec", "containers", "0", "command"}),
            (Json(JsonArray{"date"})));

  EXPECT_EQ(Ok({"run", "web-pod", "--image=nginx", "--port=80", "--labels=app=web,tier=front",
                "--env=MODE=fast", "--restart=Never", "--", "nginx", "-g", "daemon off;"}),
            "pod/web-pod created\n");
  Json pod = Get("pod", "web-pod");
  EXPECT_EQ(At(pod, {"metadata", "labels", "tier"}), Json("front"));
  EXPECT_EQ(At(pod, {"spec", "restartPolicy"}), Json("Never"));
  EXPECT_EQ(At(pod, {"spec", "containers", "0", "env", "0", "value"}), Json("fast"));
  EXPECT_EQ(At(pod, {"spec", "containers", "0", "args", "2"}), Json("daemon off;"));
}

TEST_F(KubectlGeneratorsTest, RolesAndBindings) {
  Ok({"create", "role", "reader", "--verb=get,list,watch", "--resource=pods,deployments.apps",
      "--resource-name=a", "--resource-name=b"});
  Json reader = Get("role", "reader");
  EXPECT_EQ(At(reader, {"rules", "0", "verbs"}), (Json(JsonArray{"get", "list", "watch"})));
  EXPECT_EQ(At(reader, {"rules", "0", "resources"}), (Json(JsonArray{"pods"})));
  EXPECT_EQ(At(reader, {"rules", "1", "apiGroups"}), (Json(JsonArray{"apps"})));
  EXPECT_EQ(At(reader, {"rules", "1", "resourceNames"}), (Json(JsonArray{"a", "b"})));

  Ok({"create", "clusterrole", "metrics", "--verb=get", "--non-resource-url=/metrics",
      "--non-resource-url=/logs/*"});
  EXPECT_EQ(At(Get("clusterrole", "metrics"), {"rules", "0", "nonResourceURLs"}),
            (Json(JsonArray{"/metrics", "/logs/*"})));

  Ok({"create", "clusterrole", "monitoring",
      "--aggregation-rule=rbac.example.com/aggregate-to-monitoring=true"});
  EXPECT_EQ(At(Get("clusterrole", "monitoring"),
               {"aggregationRule", "clusterRoleSelectors", "0", "matchLabels",
                "rbac.example.com/aggregate-to-monitoring"}),
            Json("true"));

  Ok({"create", "rolebinding", "read-pods", "--role=reader", "--user=alice", "--group=devs",
      "--serviceaccount=default:builder"});
  Json binding = Get("rolebinding", "read-pods");
  EXPECT_EQ(At(binding, {"roleRef", "kind"}), Json("Role"));
  EXPECT_EQ(At(binding, {"roleRef", "name"}), Json("reader"));
  EXPECT_EQ(At(binding, {"subjects"}).as_array().size(), 3u);
  EXPECT_EQ(At(binding, {"subjects", "2", "kind"}), Json("ServiceAccount"));
  EXPECT_EQ(At(binding, {"subjects", "2", "namespace"}), Json("default"));

  Ok({"create", "clusterrolebinding", "metrics-all", "--clusterrole=metrics", "--user=bob"});
  Json cluster_binding = Get("clusterrolebinding", "metrics-all");
  EXPECT_EQ(At(cluster_binding, {"roleRef", "kind"}), Json("ClusterRole"));
  EXPECT_EQ(At(cluster_binding, {"subjects", "0", "name"}), Json("bob"));
}

TEST_F(KubectlGeneratorsTest, IngressDisruptionBudgetsPriorityClassAndQuota) {
  Ok({"create", "ingress", "shop", "--class=nginx",
      "--rule=shop.example.com/api*=api:80,tls=shop-tls", "--rule=shop.example.com/=web:http",
      "--default-backend=web:8080", "--annotation=team=shop"});
  Json shop = Get("ingress", "shop");
  EXPECT_EQ(At(shop, {"spec", "ingressClassName"}), Json("nginx"));
  EXPECT_EQ(At(shop, {"spec", "defaultBackend", "service", "port", "number"}), Json(8080));
  EXPECT_EQ(At(shop, {"spec", "rules", "0", "host"}), Json("shop.example.com"));
  EXPECT_EQ(At(shop, {"spec", "rules", "0", "http", "paths", "0", "pathType"}), Json("Prefix"));
  EXPECT_EQ(At(shop, {"spec", "rules", "0", "http", "paths", "0", "backend", "service", "name"}),
            Json("api"));
  EXPECT_EQ(
      At(shop, {"spec", "rules", "0", "http", "paths", "1", "backend", "service", "port", "name"}),
      Json("http"));
  EXPECT_EQ(At(shop, {"spec", "tls", "0", "secretName"}), Json("shop-tls"));
  EXPECT_EQ(At(shop, {"metadata", "annotations", "team"}), Json("shop"));

  Ok({"create", "poddisruptionbudget", "web-pdb", "--selector=app=web", "--min-available=50%"});
  EXPECT_EQ(At(Get("pdb", "web-pdb"), {"spec", "minAvailable"}), Json("50%"));
  Ok({"create", "poddisruptionbudget", "api-pdb", "--selector=app=api", "--max-unavailable=1"});
  Json api_pdb = Get("pdb", "api-pdb");
  EXPECT_EQ(At(api_pdb, {"spec", "maxUnavailable"}), Json(1));
  EXPECT_EQ(At(api_pdb, {"spec", "selector", "matchLabels", "app"}), Json("api"));

  Ok({"create", "priorityclass", "high", "--value=1000", "--description=for critical pods",
      "--preemption-policy=Never", "--global-default=true"});
  Json high = Get("priorityclass", "high");
  EXPECT_EQ(At(high, {"value"}), Json(1000));
  EXPECT_EQ(At(high, {"globalDefault"}), Json(true));
  EXPECT_EQ(At(high, {"preemptionPolicy"}), Json("Never"));
  EXPECT_EQ(At(high, {"description"}), Json("for critical pods"));

  Ok({"create", "quota", "compute", "--hard=cpu=2,memory=4Gi,pods=10", "--scopes=NotTerminating"});
  Json quota = Get("quota", "compute");
  EXPECT_EQ(At(quota, {"spec", "hard", "memory"}), Json("4Gi"));
  EXPECT_EQ(At(quota, {"spec", "hard", "pods"}), Json("10"));
  EXPECT_EQ(At(quota, {"spec", "scopes"}), (Json(JsonArray{"NotTerminating"})));
}

TEST_F(KubectlGeneratorsTest, ServerSideDryRunStoresNothing) {
  std::string printed =
      Ok({"create", "deployment", "web", "--image=nginx", "--dry-run=server", "-o", "json"});
  Result<Json> object = ParseJson(printed);
  ASSERT_TRUE(object.ok()) << printed;
  EXPECT_EQ(At(*object, {"spec", "template", "spec", "containers", "0", "name"}), Json("nginx"));
  EXPECT_NE(Kubectl({"get", "deployment", "web"}).exit_code, 0);
}

}  // namespace
}  // namespace kstack::e2e
