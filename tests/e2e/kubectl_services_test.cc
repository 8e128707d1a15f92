// Services through the real kubectl: cluster IPs from the service CIDR (requested ones honoured
// or refused), headless services, node ports, the `kubernetes` Service, allocations kept across
// a restart, and the Endpoints and EndpointSlices made from pods whose status is patched.

#include <fmt/format.h>

#include <thread>

#include "tests/e2e/server_fixture.h"

namespace kstack::e2e {
namespace {

class KubectlServicesTest : public ServerE2eTest {
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
  RunResult CreateYaml(const std::string& text) {
    fs::path p = root_ / "object.yaml";
    WriteFile(p, text);
    return Kubectl({"create", "-f", p.string()});
  }
  std::string Field(const std::string& what, const std::string& path) {
    return Ok({"get", what, "-o", "jsonpath={" + path + "}"});
  }
  static std::string ServiceWithIp(const std::string& name, const std::string& ip) {
    return fmt::format(
        "apiVersion: v1\nkind: Service\nmetadata: {{name: {}}}\nspec:\n"
        "  clusterIP: {}\n  ports: [{{port: 80}}]\n",
        name, ip);
  }
  // Polls `what`'s jsonpath until it equals `want` (controllers work after the write returns).
  std::string Eventually(const std::string& what, const std::string& path,
                         const std::string& want) {
    std::string got;
    Clock::time_point deadline = Clock::now() + std::chrono::seconds(5);
    do {
      RunResult r = Kubectl({"get", what, "-o", "jsonpath={" + path + "}"});
      got = r.exit_code == 0 ? r.out : "<error: " + r.err + ">";
      if (got == want) break;
      std::this_thread::sleep_for(milliseconds(100));
    } while (Clock::now() < deadline);
    return got;
  }
  static bool InServiceCidr(const std::string& ip) {
    return ip.starts_with("10.43.") && ip != "10.43.0.0" && ip != "10.43.255.255";
  }
};

TEST_F(KubectlServicesTest, ClusterIpsComeFromTheServiceCidr) {
  Ok({"create", "service", "clusterip", "api", "--tcp=80:8080"});
  std::string ip = Field("service/api", ".spec.clusterIP");
  EXPECT_TRUE(InServiceCidr(ip)) << ip;
  EXPECT_EQ(Field("service/api", ".spec.clusterIPs"), "[\"" + ip + "\"]");
  EXPECT_EQ(Field("service/api", ".spec.ipFamilies"), R"(["IPv4"])");
  EXPECT_EQ(Field("service/api", ".spec.ipFamilyPolicy"), "SingleStack");
  EXPECT_EQ(Field("service/api", ".spec.sessionAffinity"), "None");
  EXPECT_EQ(Field("service/api", ".spec.internalTrafficPolicy"), "Cluster");
  // kubectl shows it in its table.
  EXPECT_NE(Ok({"get", "service", "api"}).find(ip), std::string::npos);

  // An update that leaves it out keeps it.
  Ok({"patch", "service", "api", "--type=merge", "-p", R"({"spec":{"clusterIP":null}})"});
  EXPECT_EQ(Field("service/api", ".spec.clusterIP"), ip);
  std::string err = Fails({"patch", "service", "api", "--type=merge", "-p",
                           R"({"spec":{"clusterIP":"10.43.9.9","clusterIPs":["10.43.9.9"]}})"});
  EXPECT_NE(err.find(R"(spec.clusterIPs[0]: Invalid value: "10.43.9.9": field is immutable)"),
            std::string::npos)
      << err;
}

TEST_F(KubectlServicesTest, ARequestedClusterIpIsHonouredOrRefused) {
  ASSERT_EQ(CreateYaml(ServiceWithIp("pinned", "10.43.5.5")).exit_code, 0);
  EXPECT_EQ(Field("service/pinned", ".spec.clusterIP"), "10.43.5.5");

  RunResult taken = CreateYaml(ServiceWithIp("again", "10.43.5.5"));
  EXPECT_NE(taken.exit_code, 0);
  EXPECT_NE(taken.err.find(R"(The Service "again" is invalid: spec.clusterIPs: Invalid value: )"
                           R"([]string{"10.43.5.5"}: failed to allocate IP 10.43.5.5: provided )"
                           R"(IP is already allocated)"),
            std::string::npos)
      << taken.err;
  RunResult outside = CreateYaml(ServiceWithIp("outside", "10.0.0.5"));
  EXPECT_NE(outside.exit_code, 0);
  EXPECT_NE(outside.err.find("failed to allocate IP 10.0.0.5: the provided IP (10.0.0.5) is not "
                             "in the valid range. The range of valid IPs is 10.43.0.0/16"),
            std::string::npos)
      << outside.err;
  EXPECT_NE(Kubectl({"get", "service", "again"}).exit_code, 0);

  // Released on delete.
  Ok({"delete", "service", "pinned"});
  EXPECT_EQ(CreateYaml(ServiceWithIp("again", "10.43.5.5")).exit_code, 0);
  EXPECT_EQ(Field("service/again", ".spec.clusterIP"), "10.43.5.5");
}

TEST_F(KubectlServicesTest, HeadlessAndExternalNameServices) {
  Ok({"create", "service", "clusterip", "db", "--clusterip=None"});
  EXPECT_EQ(Field("service/db", ".spec.clusterIP"), "None");
  EXPECT_EQ(Field("service/db", ".spec.clusterIPs"), R"(["None"])");
  EXPECT_EQ(Field("service/db", ".spec.ipFamilyPolicy"), "SingleStack");
  Ok({"create", "service", "externalname", "ext", "--external-name=example.com"});
  EXPECT_EQ(Field("service/ext", ".spec.clusterIP"), "");
  EXPECT_EQ(Field("service/ext", ".spec.externalName"), "example.com");
}

TEST_F(KubectlServicesTest, NodePortsAreAllocatedCheckedAndReleased) {
  Ok({"create", "service", "nodeport", "web", "--tcp=80:8080"});
  int port = std::stoi(Field("service/web", ".spec.ports[0].nodePort"));
  EXPECT_GE(port, 30000);
  EXPECT_LE(port, 32767);
  EXPECT_EQ(Field("service/web", ".spec.externalTrafficPolicy"), "Cluster");
  Ok({"create", "service", "loadbalancer", "edge", "--tcp=443:8443"});
  EXPECT_NE(Field("service/edge", ".spec.ports[0].nodePort"), "");

  Ok({"create", "service", "nodeport", "fixed", "--tcp=81:8081", "--node-port=30080"});
  EXPECT_EQ(Field("service/fixed", ".spec.ports[0].nodePort"), "30080");
  std::string err =
      Fails({"create", "service", "nodeport", "dup", "--tcp=82:8082", "--node-port=30080"});
  EXPECT_NE(err.find("spec.ports[0].nodePort: Invalid value: 30080: provided port is already "
                     "allocated"),
            std::string::npos)
      << err;
  err = Fails({"create", "service", "nodeport", "low", "--tcp=83:8083", "--node-port=8080"});
  EXPECT_NE(err.find("spec.ports[0].nodePort: Invalid value: 8080: provided port is not in the "
                     "valid range. The range of valid ports is 30000-32767"),
            std::string::npos)
      << err;
  Ok({"delete", "service", "fixed"});
  Ok({"create", "service", "nodeport", "dup", "--tcp=82:8082", "--node-port=30080"});
  EXPECT_EQ(Field("service/dup", ".spec.ports[0].nodePort"), "30080");
}

TEST_F(KubectlServicesTest, TheKubernetesServicePointsAtTheServer) {
  std::string port = server_.url.substr(server_.url.rfind(':') + 1);
  EXPECT_EQ(Field("service/kubernetes", ".spec.clusterIP"), "10.43.0.1");
  EXPECT_EQ(Field("service/kubernetes", ".spec.ports[0].port"), "443");
  EXPECT_EQ(Field("service/kubernetes", ".spec.ports[0].targetPort"), port);
  EXPECT_EQ(Field("endpoints/kubernetes", ".subsets[0].addresses[0].ip"), "127.0.0.1");
  EXPECT_EQ(Field("endpoints/kubernetes", ".subsets[0].ports[0].port"), port);
  EXPECT_EQ(Field("endpointslice/kubernetes", ".endpoints[0].addresses[0]"), "127.0.0.1");
  EXPECT_EQ(Field("endpointslice/kubernetes", ".ports[0].port"), port);
}

TEST_F(KubectlServicesTest, AllocationsSurviveARestart) {
  ASSERT_EQ(CreateYaml(ServiceWithIp("pinned", "10.43.7.7")).exit_code, 0);
  Ok({"create", "service", "nodeport", "fixed", "--tcp=81:8081", "--node-port=30100"});
  server_.process.reset();
  StartServer();
  RunResult taken = CreateYaml(ServiceWithIp("other", "10.43.7.7"));
  EXPECT_NE(taken.exit_code, 0);
  EXPECT_NE(taken.err.find("provided IP is already allocated"), std::string::npos) << taken.err;
  std::string err =
      Fails({"create", "service", "nodeport", "dup", "--tcp=82:8082", "--node-port=30100"});
  EXPECT_NE(err.find("provided port is already allocated"), std::string::npos) << err;
  // The kubernetes Service follows the server to its new port.
  EXPECT_EQ(Field("service/kubernetes", ".spec.ports[0].targetPort"),
            server_.url.substr(server_.url.rfind(':') + 1));
}

TEST_F(KubectlServicesTest, AnotherServiceCidr) {
  server_.process.reset();
  fs::path other = root_ / "other";
  ChildProcess process({KstackBinary(), "server", "--data-dir", other.string(), "--port", "0",
                        "--service-cidr", "10.50.0.0/24"},
                       (root_ / "other.err").string());
  std::optional<std::string> listening = process.ReadLine(milliseconds(10000));
  std::optional<std::string> kubeconfig = process.ReadLine(milliseconds(1000));
  ASSERT_TRUE(kubeconfig && kubeconfig->starts_with("kubeconfig: "))
      << ReadFile(root_ / "other.err");
  std::string config = kubeconfig->substr(std::string("kubeconfig: ").size());
  RunResult r =
      Kubectl({"get", "service", "kubernetes", "-o", "jsonpath={.spec.clusterIP}"}, config);
  EXPECT_EQ(r.out, "10.50.0.1") << r.err;
  Kubectl({"create", "service", "clusterip", "api", "--tcp=80"}, config);
  r = Kubectl({"get", "service", "api", "-o", "jsonpath={.spec.clusterIP}"}, config);
  EXPECT_TRUE(r.out.starts_with("10.50.0.")) << r.out << r.err;

  ChildProcess bad({KstackBinary(), "server", "--data-dir", (root_ / "bad").string(), "--port", "0",
                    "--service-cidr", "10.50.0.0"},
                   (root_ / "bad.err").string());
  EXPECT_NE(bad.Wait(milliseconds(10000)).value_or(0), 0);
  EXPECT_NE(ReadFile(root_ / "bad.err").find("--service-cidr: \"10.50.0.0\""), std::string::npos)
      << ReadFile(root_ / "bad.err");
}

constexpr const char* kPods = R"(apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Pod
  metadata: {name: web-1, labels: {app: web}}
  spec:
    nodeName: node-1
    containers:
    - name: web
      image: nginx
      ports: [{name: http, containerPort: 8080}]
- apiVersion: v1
  kind: Pod
  metadata: {name: web-2, labels: {app: web}}
  spec:
    nodeName: node-2
    containers:
    - name: web
      image: nginx
      ports: [{name: http, containerPort: 8080}]
- apiVersion: v1
  kind: Pod
  metadata: {name: other, labels: {app: other}}
  spec:
    containers: [{name: web, image: nginx, ports: [{name: http, containerPort: 8080}]}]
)";

TEST_F(KubectlServicesTest, EndpointsFollowTheReadyPodsOfTheSelector) {
  ASSERT_EQ(CreateYaml(R"(apiVersion: v1
kind: Service
metadata: {name: web, labels: {team: shop}}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: http}]
)")
                .exit_code,
            0);
  ASSERT_EQ(CreateYaml(kPods).exit_code, 0);
  auto status = [&](const std::string& pod, const std::string& ip, bool ready) {
    Ok({"patch", "pod", pod, "--subresource=status", "--type=merge", "-p",
        fmt::format(R"({{"status":{{"phase":"Running","podIP":"{}","podIPs":[{{"ip":"{}"}}],)"
                    R"("conditions":[{{"type":"Ready","status":"{}"}}]}}}})",
                    ip, ip, ready ? "True" : "False")});
  };
  status("web-1", "10.42.0.5", true);
  status("web-2", "10.42.0.6", false);
  status("other", "10.42.0.7", true);

  EXPECT_EQ(Eventually("endpoints/web", ".subsets[0].addresses[*].ip", "10.42.0.5"), "10.42.0.5");
  EXPECT_EQ(Field("endpoints/web", ".subsets[0].notReadyAddresses[*].ip"), "10.42.0.6");
  EXPECT_EQ(Field("endpoints/web", ".subsets[0].ports"),
            R"([{"name":"http","port":8080,"protocol":"TCP"}])");
  EXPECT_EQ(Field("endpoints/web", ".subsets[0].addresses[0].nodeName"), "node-1");
  EXPECT_EQ(Field("endpoints/web", ".subsets[0].addresses[0].targetRef.name"), "web-1");
  EXPECT_EQ(Field("endpoints/web", ".subsets[0].addresses[0].targetRef.kind"), "Pod");
  EXPECT_EQ(Field("endpoints/web", ".metadata.labels.team"), "shop");

  std::string selector = "-l=kubernetes.io/service-name=web";
  auto slice = [&](const std::string& path) {
    return Ok({"get", "endpointslices", selector, "-o", "jsonpath={.items[*]" + path + "}"});
  };
  EXPECT_EQ(slice(".metadata.labels.endpointslice\\.kubernetes\\.io/managed-by"),
            "endpointslice-controller.k8s.io");
  EXPECT_EQ(slice(".metadata.ownerReferences[0].kind"), "Service");
  EXPECT_EQ(slice(".metadata.ownerReferences[0].name"), "web");
  EXPECT_EQ(slice(".addressType"), "IPv4");
  EXPECT_EQ(slice(".ports"), R"([{"name":"http","port":8080,"protocol":"TCP"}])");
  EXPECT_EQ(slice(".endpoints[*].addresses[0]"), "10.42.0.5 10.42.0.6");
  EXPECT_EQ(slice(".endpoints[*].conditions.ready"), "true false");
  EXPECT_EQ(slice(".endpoints[*].conditions.serving"), "true false");
  EXPECT_EQ(slice(".endpoints[*].conditions.terminating"), "false false");
  EXPECT_EQ(slice(".endpoints[*].nodeName"), "node-1 node-2");
  EXPECT_EQ(slice(".endpoints[*].targetRef.name"), "web-1 web-2");

  // Ready now; then one pod goes away.
  status("web-2", "10.42.0.6", true);
  EXPECT_EQ(Eventually("endpoints/web", ".subsets[0].addresses[*].ip", "10.42.0.5 10.42.0.6"),
            "10.42.0.5 10.42.0.6");
  Ok({"delete", "pod", "web-1"});
  EXPECT_EQ(Eventually("endpoints/web", ".subsets[0].addresses[*].ip", "10.42.0.6"), "10.42.0.6");
  EXPECT_EQ(slice(".endpoints[*].addresses[0]"), "10.42.0.6");

  // A terminating pod (held by a finalizer) leaves the Endpoints; its slice entry says so.
  ASSERT_EQ(CreateYaml(R"(apiVersion: v1
kind: Pod
metadata: {name: web-3, labels: {app: web}, finalizers: [example.com/hold]}
spec:
  nodeName: node-3
  containers: [{name: web, image: nginx, ports: [{name: http, containerPort: 8080}]}]
)")
                .exit_code,
            0);
  status("web-3", "10.42.0.8", true);
  EXPECT_EQ(Eventually("endpoints/web", ".subsets[0].addresses[*].ip", "10.42.0.6 10.42.0.8"),
            "10.42.0.6 10.42.0.8");
  Ok({"delete", "pod", "web-3", "--wait=false"});
  EXPECT_EQ(Eventually("endpoints/web", ".subsets[0].addresses[*].ip", "10.42.0.6"), "10.42.0.6");
  EXPECT_EQ(slice(".endpoints[*].addresses[0]"), "10.42.0.6 10.42.0.8");
  EXPECT_EQ(slice(".endpoints[*].conditions.ready"), "true false");
  EXPECT_EQ(slice(".endpoints[*].conditions.serving"), "true true");
  EXPECT_EQ(slice(".endpoints[*].conditions.terminating"), "false true");
  Ok({"patch", "pod", "web-3", "--type=merge", "-p", R"({"metadata":{"finalizers":null}})"});
  EXPECT_EQ(Kubectl({"wait", "--for=delete", "pod/web-3", "--timeout=5s"}).exit_code, 0);

  // A label change moves a pod out of the selector.
  Ok({"label", "pod", "web-2", "app=gone", "--overwrite"});
  EXPECT_EQ(Eventually("endpoints/web", ".subsets", ""), "");

  // The Service's Endpoints and EndpointSlices go with it.
  Ok({"delete", "service", "web"});
  EXPECT_EQ(Kubectl({"wait", "--for=delete", "endpoints/web", "--timeout=5s"}).exit_code, 0);
  Clock::time_point deadline = Clock::now() + std::chrono::seconds(5);
  std::string left;
  do {
    left = Ok({"get", "endpointslices", selector, "-o", "name"});
    if (left.empty()) break;
    std::this_thread::sleep_for(milliseconds(100));
  } while (Clock::now() < deadline);
  EXPECT_EQ(left, "");
}

}  // namespace
}  // namespace kstack::e2e
