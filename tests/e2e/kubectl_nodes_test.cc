// Simulated nodes, the scheduler and the simulated kubelet through the real kubectl: nodes
// registered Ready with their Leases, a changed node count on restart, pods bound by
// nodeSelector and requests, unschedulable pods with the scheduler's message, pods Running
// with the status a kubelet reports, pods that run to completion.

#include <thread>

#include "tests/e2e/server_fixture.h"

namespace kstack::e2e {
namespace {

class KubectlNodesTest : public ServerE2eTest {
 protected:
  void StartWith(int nodes) {
    server_args_ = {"--nodes", std::to_string(nodes), "--simulation-delay", "0"};
    StartServer();
  }
  std::string Ok(std::vector<std::string> args) {
    RunResult r = Kubectl(args);
    EXPECT_EQ(r.exit_code, 0) << "kubectl " << args[0] << ": " << r.err << "\n" << ServerLog();
    return r.out;
  }
  std::string Get(const std::string& what, const std::string& jsonpath) {
    return Ok({"get", what, "-o", "jsonpath=" + jsonpath});
  }
  // Polls a jsonpath until it reads `want` (the scheduler's writes come shortly after).
  std::string Eventually(const std::string& what, const std::string& jsonpath,
                         const std::string& want) {
    std::string got;
    for (int i = 0; i < 100; ++i) {
      got = Kubectl({"get", what, "-o", "jsonpath=" + jsonpath}).out;
      if (got == want) break;
      std::this_thread::sleep_for(milliseconds(50));
    }
    return got;
  }
};

TEST_F(KubectlNodesTest, NodesAreRegisteredReadyWithLeases) {
  StartWith(3);
  EXPECT_EQ(Ok({"get", "nodes", "-o", "name"}),
            "node/kstack-node-0\nnode/kstack-node-1\nnode/kstack-node-2\n");
  Ok({"wait", "--for=condition=Ready", "node/kstack-node-2", "--timeout=5s"});
  EXPECT_EQ(Get("node/kstack-node-1", "{.metadata.labels.kubernetes\\.io/hostname}"),
            "kstack-node-1");
  EXPECT_EQ(Get("node/kstack-node-1", "{.metadata.labels.kubernetes\\.io/os}"), "linux");
  EXPECT_EQ(
      Get("node/kstack-node-0", "{.metadata.labels.node-role\\.kubernetes\\.io/control-plane}"),
      "true");
  EXPECT_EQ(Get("node/kstack-node-1", "{.status.allocatable.pods}"), "110");
  EXPECT_EQ(Get("node/kstack-node-1", "{.status.capacity.cpu}"), "4");
  EXPECT_EQ(Get("node/kstack-node-1", "{.status.nodeInfo.operatingSystem}"), "linux");
  EXPECT_EQ(Get("node/kstack-node-1", "{.status.nodeInfo.kubeletVersion}"),
            Get("node/kstack-node-0", "{.status.nodeInfo.kubeletVersion}"));
  EXPECT_EQ(Get("node/kstack-node-2", "{.status.addresses[?(@.type==\"Hostname\")].address}"),
            "kstack-node-2");
  EXPECT_EQ(Get("node/kstack-node-2", "{.spec.podCIDR}"), "10.42.2.0/24");
  std::string ready =
      Get("node/kstack-node-2", "{.status.conditions[?(@.type==\"Ready\")].reason}");
  EXPECT_EQ(ready, "KubeletReady");
  // `kubectl get nodes` prints them Ready, with their role.
  std::string table = Ok({"get", "nodes"});
  EXPECT_NE(table.find("kstack-node-0   Ready    control-plane"), std::string::npos) << table;
  EXPECT_EQ(Ok({"get", "leases", "-n", "kube-node-lease", "-o", "name"}),
            "lease.coordination.k8s.io/kstack-node-0\nlease.coordination.k8s.io/kstack-node-1\n"
            "lease.coordination.k8s.io/kstack-node-2\n");
  EXPECT_EQ(Ok({"get", "lease", "kstack-node-1", "-n", "kube-node-lease", "-o",
                "jsonpath={.spec.holderIdentity} {.metadata.ownerReferences[0].kind}"}),
            "kstack-node-1 Node");
}

TEST_F(KubectlNodesTest, AChangedNodeCountOnRestartAddsOrRemovesNodes) {
  StartWith(3);
  Ok({"run", "gone", "--image=nginx", "--overrides",
      R"({"spec":{"nodeSelector":{"kubernetes.io/hostname":"kstack-node-2"}}})"});
  Ok({"run", "kept", "--image=nginx", "--overrides",
      R"({"spec":{"nodeSelector":{"kubernetes.io/hostname":"kstack-node-0"}}})"});
  Ok({"wait", "--for=condition=Ready", "pod/gone", "pod/kept", "--timeout=10s"});
  server_.process.reset();
  StartWith(1);
  EXPECT_EQ(Ok({"get", "nodes", "-o", "name"}), "node/kstack-node-0\n");
  // The pod of a removed node went with it.
  EXPECT_EQ(Ok({"get", "pods", "-o", "name"}), "pod/kept\n");
  EXPECT_EQ(Ok({"get", "leases", "-n", "kube-node-lease", "-o", "name"}),
            "lease.coordination.k8s.io/kstack-node-0\n");
  server_.process.reset();
  StartWith(2);
  EXPECT_EQ(Ok({"get", "nodes", "-o", "name"}), "node/kstack-node-0\nnode/kstack-node-1\n");
}

TEST_F(KubectlNodesTest, APodIsScheduledAndRunsWithTheStatusOfAKubelet) {
  StartWith(2);
  Ok({"run", "web", "--image=nginx:1.27"});
  Ok({"wait", "--for=condition=Ready", "pod/web", "--timeout=10s"});
  EXPECT_EQ(Get("pod/web", "{.status.phase}"), "Running");
  std::string node = Get("pod/web", "{.spec.nodeName}");
  EXPECT_TRUE(node == "kstack-node-0" || node == "kstack-node-1") << node;
  std::string index = node.substr(node.size() - 1);
  EXPECT_TRUE(Get("pod/web", "{.status.podIP}").starts_with("10.42." + index + "."));
  EXPECT_EQ(Get("pod/web", "{.status.hostIP}"),
            Get("node/" + node, "{.status.addresses[?(@.type==\"InternalIP\")].address}"));
  EXPECT_EQ(Get("pod/web", "{.status.qosClass}"), "BestEffort");
  EXPECT_FALSE(Get("pod/web", "{.status.startTime}").empty());
  for (const char* type : {"PodScheduled", "Initialized", "ContainersReady", "Ready"}) {
    EXPECT_EQ(
        Get("pod/web", std::string("{.status.conditions[?(@.type==\"") + type + "\")].status}"),
        "True")
        << type;
  }
  EXPECT_EQ(Get("pod/web",
                "{.status.containerStatuses[0].ready} "
                "{.status.containerStatuses[0].started} "
                "{.status.containerStatuses[0].image} "
                "{.status.containerStatuses[0].restartCount}"),
            "true true docker.io/library/nginx:1.27 0");
  EXPECT_FALSE(Get("pod/web", "{.status.containerStatuses[0].state.running.startedAt}").empty());
  EXPECT_TRUE(Get("pod/web", "{.status.containerStatuses[0].imageID}")
                  .starts_with("docker.io/library/nginx@sha256:"));
  EXPECT_TRUE(
      Get("pod/web", "{.status.containerStatuses[0].containerID}").starts_with("containerd://"));
  // Two pods on one node have different IPs.
  Ok({"run", "api", "--image=nginx", "--overrides",
      R"({"spec":{"nodeSelector":{"kubernetes.io/hostname":")" + node + R"("}}})"});
  Ok({"wait", "--for=condition=Ready", "pod/api", "--timeout=10s"});
  EXPECT_EQ(Get("pod/api", "{.spec.nodeName}"), node);
  EXPECT_NE(Get("pod/api", "{.status.podIP}"), Get("pod/web", "{.status.podIP}"));
}

TEST_F(KubectlNodesTest, PodsAreBoundBySelectorAffinityAndRequests) {
  StartWith(2);
  WriteFile(root_ / "pods.yaml", R"(apiVersion: v1
kind: Pod
metadata: {name: pinned}
spec:
  nodeSelector: {kubernetes.io/hostname: kstack-node-1}
  containers: [{name: c, image: nginx}]
---
apiVersion: v1
kind: Pod
metadata: {name: affine}
spec:
  affinity:
    nodeAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        nodeSelectorTerms:
        - matchExpressions: [{key: node-role.kubernetes.io/control-plane, operator: Exists}]
  containers: [{name: c, image: nginx}]
---
apiVersion: v1
kind: Pod
metadata: {name: big}
spec:
  containers:
  - name: c
    image: nginx
    resources: {requests: {cpu: "3", memory: 1Gi}, limits: {cpu: "3", memory: 1Gi}}
---
apiVersion: v1
kind: Pod
metadata: {name: huge}
spec:
  containers:
  - name: c
    image: nginx
    resources: {requests: {cpu: "5"}}
---
apiVersion: v1
kind: Pod
metadata: {name: nowhere}
spec:
  nodeSelector: {disk: ssd}
  containers: [{name: c, image: nginx}]
)");
  Ok({"create", "-f", (root_ / "pods.yaml").string()});
  Ok({"wait", "--for=condition=Ready", "pod/pinned", "pod/affine", "pod/big", "--timeout=10s"});
  EXPECT_EQ(Get("pod/pinned", "{.spec.nodeName}"), "kstack-node-1");
  EXPECT_EQ(Get("pod/affine", "{.spec.nodeName}"), "kstack-node-0");
  EXPECT_EQ(Get("pod/big", "{.status.qosClass}"), "Guaranteed");
  std::string cond = "{.status.conditions[?(@.type==\"PodScheduled\")]}";
  EXPECT_EQ(Eventually("pod/huge", "{.status.conditions[?(@.type==\"PodScheduled\")].reason}",
                       "Unschedulable"),
            "Unschedulable");
  EXPECT_EQ(Get("pod/huge", "{.status.conditions[?(@.type==\"PodScheduled\")].message}"),
            "0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: 2 "
            "No preemption victims found for incoming pod.");
  EXPECT_EQ(Get("pod/huge", "{.status.phase}"), "Pending");
  EXPECT_EQ(Get("pod/huge", "{.spec.nodeName}"), "");
  EXPECT_EQ(Eventually("pod/nowhere", "{.status.conditions[?(@.type==\"PodScheduled\")].reason}",
                       "Unschedulable"),
            "Unschedulable");
  EXPECT_EQ(Get("pod/nowhere", "{.status.conditions[?(@.type==\"PodScheduled\")].message}"),
            "0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector. "
            "preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.");
  // A node that gets the label takes the waiting pod.
  Ok({"label", "node", "kstack-node-0", "disk=ssd"});
  Ok({"wait", "--for=condition=Ready", "pod/nowhere", "--timeout=10s"});
  EXPECT_EQ(Get("pod/nowhere", "{.spec.nodeName}"), "kstack-node-0");
}

TEST_F(KubectlNodesTest, PodsThatRunToCompletionSucceedOrFail) {
  StartWith(1);
  Ok({"run", "once", "--image=busybox", "--restart=Never", "--", "true"});
  Ok({"wait", "--for=jsonpath={.status.phase}=Succeeded", "pod/once", "--timeout=10s"});
  EXPECT_EQ(Get("pod/once",
                "{.status.containerStatuses[0].state.terminated.exitCode} "
                "{.status.containerStatuses[0].state.terminated.reason}"),
            "0 Completed");
  EXPECT_EQ(Get("pod/once", "{.status.conditions[?(@.type==\"Ready\")].reason}"), "PodCompleted");
  Ok({"run", "fails", "--image=busybox", "--restart=Never",
      "--annotations=kstack.dev/simulated-exit-code=3", "--", "false"});
  Ok({"wait", "--for=jsonpath={.status.phase}=Failed", "pod/fails", "--timeout=10s"});
  EXPECT_EQ(Get("pod/fails",
                "{.status.containerStatuses[0].state.terminated.exitCode} "
                "{.status.containerStatuses[0].state.terminated.reason}"),
            "3 Error");
}

TEST_F(KubectlNodesTest, TheSimulationDelayHoldsPodsInContainerCreating) {
  server_args_ = {"--nodes", "1", "--simulation-delay", "1500"};
  StartServer();
  Ok({"run", "slow", "--image=nginx"});
  std::string reason = Eventually("pod/slow", "{.status.containerStatuses[0].state.waiting.reason}",
                                  "ContainerCreating");
  EXPECT_EQ(reason, "ContainerCreating");
  EXPECT_EQ(Get("pod/slow", "{.status.phase}"), "Pending");
  Ok({"wait", "--for=condition=Ready", "pod/slow", "--timeout=10s"});
  EXPECT_EQ(Get("pod/slow", "{.status.phase}"), "Running");
}

TEST_F(KubectlNodesTest, ARunningPodIsTerminatingUntilItsKubeletRemovesIt) {
  server_args_ = {"--nodes", "1", "--simulation-delay", "1000"};
  StartServer();
  Ok({"run", "web", "--image=nginx"});
  Ok({"run", "fast", "--image=nginx"});
  Ok({"wait", "--for=condition=Ready", "pod/web", "pod/fast", "--timeout=10s"});
  Ok({"delete", "pod", "web", "--wait=false"});
  EXPECT_EQ(Get("pod/web", "{.metadata.deletionGracePeriodSeconds}"), "30");
  EXPECT_FALSE(Get("pod/web", "{.metadata.deletionTimestamp}").empty());
  EXPECT_NE(Ok({"get", "pod", "web"}).find("Terminating"), std::string::npos);
  Ok({"wait", "--for=delete", "pod/web", "--timeout=10s"});
  // --force with --grace-period=0 removes it at once; so is a pod that never ran.
  Ok({"delete", "pod", "fast", "--force", "--grace-period=0"});
  EXPECT_EQ(Ok({"get", "pod", "fast", "--ignore-not-found", "-o", "name"}), "");
  Ok({"run", "nowhere", "--image=nginx", "--overrides",
      R"({"spec":{"nodeSelector":{"disk":"none"}}})"});
  Ok({"delete", "pod", "nowhere", "--wait=false"});
  EXPECT_EQ(Ok({"get", "pod", "nowhere", "--ignore-not-found", "-o", "name"}), "");
}

}  // namespace
}  // namespace kstack::e2e
