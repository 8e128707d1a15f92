#include "server/workloads/nodes.h"

#include <fmt/format.h>

#include "core/build_info.h"
#include "core/log.h"
#include "server/workloads/objects.h"

namespace kstack::server::workloads {
namespace {

constexpr std::string_view kNodePrefix = "kstack-node-";

const ResourceType& NodesType() { return *machinery::FindBuiltinResource("", "v1", "nodes"); }
const ResourceType& LeasesType() {
  return *machinery::FindBuiltinResource("coordination.k8s.io", "v1", "leases");
}

// A stable 32-hex-digit identifier of a node (machineID, systemUUID, bootID).
std::string NodeId(int index, char kind) {
  return fmt::format("{:08x}{:04x}{:04x}{:016x}", 0x6b737461u, static_cast<unsigned>(kind),
                     static_cast<unsigned>(index), 0x9e3779b97f4a7c15ull * (index + 1));
}

Json NodeObject(int index) {
  std::string name = NodeName(index);
  JsonObject labels{
      {"beta.kubernetes.io/arch", "amd64"}, {"beta.kubernetes.io/os", "linux"},
      {"kubernetes.io/arch", "amd64"},      {"kubernetes.io/hostname", name},
      {"kubernetes.io/os", "linux"},        {"node.kubernetes.io/instance-type", "kstack"}};
  if (index == 0) {
    // The first node runs the control plane, as K3s' server node does (and is not tainted).
    labels["node-role.kubernetes.io/control-plane"] = "true";
  }
  std::string cidr = fmt::format("10.42.{}.0/24", index);
  return JsonObject{
      {"metadata", JsonObject{{"name", name},
                              {"labels", std::move(labels)},
                              {"annotations", JsonObject{{"node.alpha.kubernetes.io/ttl", "0"}}}}},
      {"spec", JsonObject{{"podCIDR", cidr},
                          {"podCIDRs", JsonArray{Json(cidr)}},
                          {"providerID", fmt::format("kstack://{}", name)}}}};
}

Json NodeStatus(int index, const std::string& now) {
  JsonObject resources{{"cpu", "4"},
                       {"ephemeral-storage", "104857600Ki"},
                       {"hugepages-1Gi", "0"},
                       {"hugepages-2Mi", "0"},
                       {"memory", "16777216Ki"},
                       {"pods", "110"}};
  auto condition = [&](std::string_view type, std::string_view status, std::string_view reason,
                       std::string_view message) {
    return Json(JsonObject{{"type", type},
                           {"status", status},
                           {"lastHeartbeatTime", now},
                           {"lastTransitionTime", now},
                           {"reason", reason},
                           {"message", message}});
  };
  std::string name = NodeName(index);
  return JsonObject{
      {"capacity", resources},
      {"allocatable", resources},
      {"conditions",
       JsonArray{condition("MemoryPressure", "False", "KubeletHasSufficientMemory",
                           "kubelet has sufficient memory available"),
                 condition("DiskPressure", "False", "KubeletHasNoDiskPressure",
                           "kubelet has no disk pressure"),
                 condition("PIDPressure", "False", "KubeletHasSufficientPID",
                           "kubelet has sufficient PID available"),
                 condition("Ready", "True", "KubeletReady", "kubelet is posting ready status")}},
      {"addresses",
       JsonArray{JsonObject{{"type", "InternalIP"},
                            {"address", fmt::format("172.30.{}.{}", index / 250, index % 250 + 2)}},
                 JsonObject{{"type", "Hostname"}, {"address", name}}}},
      {"daemonEndpoints", JsonObject{{"kubeletEndpoint", JsonObject{{"Port", 10250}}}}},
      {"nodeInfo", JsonObject{{"architecture", "amd64"},
                              {"bootID", NodeId(index, 'b')},
                              {"containerRuntimeVersion", fmt::format("kstack://{}", kVersion)},
                              {"kernelVersion", "6.1.0-kstack"},
                              {"kubeProxyVersion", kKubernetesVersion},
                              {"kubeletVersion", kKubernetesVersion},
                              {"machineID", NodeId(index, 'm')},
                              {"operatingSystem", "linux"},
                              {"osImage", "kstack simulated node"},
                              {"systemUUID", NodeId(index, 'u')}}}};
}

}  // namespace

std::string NodeName(int index) { return fmt::format("{}{}", kNodePrefix, index); }

int NodeIndex(std::string_view name) {
  if (!name.starts_with(kNodePrefix)) return -1;
  std::string_view digits = name.substr(kNodePrefix.size());
  if (digits.empty() || digits.size() > 6 || (digits.size() > 1 && digits[0] == '0')) return -1;
  int value = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return -1;
    value = value * 10 + (c - '0');
  }
  return value;
}

Nodes::Nodes(ObjectRegistry* registry, const Clock* clock, SimulationOptions options)
    : registry_(registry), clock_(clock), options_(options) {}

Status Nodes::Start() {
  KSTACK_RETURN_IF_ERROR(RemoveExtraNodes());
  for (int i = 0; i < options_.nodes; ++i) {
    KSTACK_ASSIGN_OR_RETURN(ReconcileResult ignored, Reconcile(NodeName(i)));
    (void)ignored;
  }
  loop_ = std::make_unique<ControllerLoop>(ControllerLoopOptions{
      .name = "nodes",
      .workers = 1,
      .reconcile = [this](const std::string& name) { return Reconcile(name); },
  });
  loop_->Start();
  for (int i = 0; i < options_.nodes; ++i) loop_->EnqueueAfter(NodeName(i), options_.heartbeat);
  return Status::Ok();
}

void Nodes::Stop() {
  if (loop_) loop_->Stop();
}

Status Nodes::RemoveExtraNodes() {
  KSTACK_ASSIGN_OR_RETURN(Json list, registry_->List(NodesType(), "", {}));
  for (const Json& node : list.at("items").as_array()) {
    std::string name(Meta(node, "name"));
    int index = NodeIndex(name);
    if (index < options_.nodes || index < 0) continue;
    Result<Json> gone = registry_->Delete(NodesType(), "", name);
    if (!gone.ok() && gone.status().reason() != Reason::kNotFound) return gone.status();
    Result<Json> lease = registry_->Delete(LeasesType(), "kube-node-lease", name);
    if (!lease.ok() && lease.status().reason() != Reason::kNotFound) return lease.status();
    // Pods bound to a node that is gone are deleted, as Kubernetes' pod garbage collector
    // does; their controllers make new ones elsewhere.
    const ResourceType& pods = *machinery::FindBuiltinResource("", "v1", "pods");
    KSTACK_ASSIGN_OR_RETURN(Json bound,
                            registry_->List(pods, "", {.field_selector = "spec.nodeName=" + name}));
    for (const Json& pod : bound.at("items").as_array()) {
      Result<Json> d = registry_->Delete(pods, Meta(pod, "namespace"), Meta(pod, "name"),
                                         {.grace_period_seconds = 0});
      if (!d.ok() && d.status().reason() != Reason::kNotFound) return d.status();
    }
    log::Info("removed simulated node {} and its {} pods", name,
              bound.at("items").as_array().size());
  }
  return Status::Ok();
}

Result<ReconcileResult> Nodes::Reconcile(const std::string& name) {
  int index = NodeIndex(name);
  Clock::WallTime now_time = clock_->Now();
  std::string now = FormatRfc3339(now_time);
  Result<Json> node = registry_->Get(NodesType(), "", name);
  if (node.status().reason() == Reason::kNotFound) {
    node = registry_->Create(NodesType(), "", NodeObject(index));
  }
  if (!node.ok()) return node.status();
  // The Ready heartbeat: at registration, and then every sixth lease renewal.
  const Json* ready = FindCondition(*node, "Ready");
  Clock::WallTime last{};
  bool stale = ready == nullptr || !ParseRfc3339(FindString(*ready, "lastHeartbeatTime"), &last) ||
               now_time - last >= 6 * options_.heartbeat || FindString(*ready, "status") != "True";
  if (stale) {
    Json updated = *node;
    Json fresh = NodeStatus(index, now);
    if (ready != nullptr && FindString(*ready, "status") == "True") {
      // Heartbeats keep the transition times.
      for (Json& c : fresh.as_object()["conditions"].as_array()) {
        if (const Json* before = FindCondition(*node, FindString(c, "type"))) {
          c.as_object()["lastTransitionTime"] = FindString(*before, "lastTransitionTime");
        }
      }
    }
    updated.as_object()["status"] = std::move(fresh);
    KSTACK_ASSIGN_OR_RETURN(node, registry_->UpdateStatus(NodesType(), "", name, updated));
  }
  // The Lease, renewed on every heartbeat.
  std::string renew = FormatRfc3339Micro(now_time);
  Result<Json> lease = registry_->Get(LeasesType(), "kube-node-lease", name);
  if (lease.status().reason() == Reason::kNotFound) {
    Json created = JsonObject{
        {"metadata",
         JsonObject{{"name", name},
                    {"ownerReferences", JsonArray{JsonObject{{"apiVersion", "v1"},
                                                             {"kind", "Node"},
                                                             {"name", name},
                                                             {"uid", Meta(*node, "uid")}}}}}},
        {"spec",
         JsonObject{{"holderIdentity", name}, {"leaseDurationSeconds", 40}, {"renewTime", renew}}}};
    lease = registry_->Create(LeasesType(), "kube-node-lease", std::move(created));
  } else if (lease.ok()) {
    Json updated = *lease;
    EnsureObject(updated.as_object(), "spec")["renewTime"] = renew;
    lease = registry_->Update(LeasesType(), "kube-node-lease", name, std::move(updated));
  }
  if (!lease.ok()) return lease.status();
  return ReconcileResult{.requeue_after = options_.heartbeat};
}

}  // namespace kstack::server::workloads
