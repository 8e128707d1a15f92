#pragma once

// The scheduler: binds each Pending pod without spec.nodeName (and with the default
// schedulerName) to a node, as kube-scheduler's default profile decides for the simple cases:
// the node must be Ready and schedulable, match spec.nodeSelector and the required node
// affinity (matchExpressions on labels, matchFields on metadata.name), and have room for the
// pod's requests (cpu, memory, pod count) within its allocatable. Among the nodes that fit, the
// least requested one wins (pods spread). A pod that fits nowhere gets PodScheduled=False,
// reason Unschedulable, with kube-scheduler's message ("0/3 nodes are available: 3 Insufficient
// cpu. preemption: ..."), and is tried again when nodes change and on a resync.
//
// The scheduler keeps what it knows of nodes and of the requests of bound pods in memory,
// fed by the registry's write events (Observe) and a listing at Start.
//
// Thread safety: Observe() from any thread; Start() and Stop() from one.

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "server/object_registry.h"
#include "server/workloads/controller_loop.h"

namespace kstack::server::workloads {

class Scheduler {
 public:
  // REQUIRES: `registry` and `clock` outlive this object.
  Scheduler(ObjectRegistry* registry, const Clock* clock);

  Status Start();
  void Stop();

  // A Node or Pod was written (or deleted).
  void Observe(const ResourceType& type, const Json& object, bool deleted);

 private:
  struct NodeInfo {
    Json object;                            // labels and name are read from it
    int64_t cpu = 0, memory = 0, pods = 0;  // allocatable, in milli units (pods: count)
    bool schedulable = false;
  };
  struct Requests {
    std::string node;
    int64_t cpu = 0, memory = 0;
  };

  Result<ReconcileResult> Reconcile(const std::string& key);
  void ObserveNode(const Json& node, bool deleted);
  void ObservePod(const Json& pod, bool deleted);
  // Chooses a node for `pod` and reserves its requests there; "" and the reason text when
  // none fits.
  std::string Choose(const std::string& key, const Json& pod, std::string* why);
  void ReleaseLocked(const std::string& key);

  ObjectRegistry* registry_;
  const Clock* clock_;
  std::unique_ptr<ControllerLoop> loop_;

  std::mutex mu_;
  std::map<std::string, NodeInfo> nodes_;
  struct Usage {
    int64_t cpu = 0, memory = 0, pods = 0;
  };
  std::map<std::string, Usage> usage_;        // per node
  std::map<std::string, Requests> assigned_;  // pod key -> its node and requests
  std::set<std::string> unschedulable_;
};

// The pod's spec.nodeSelector and required node affinity admit `node`.
bool NodeMatches(const Json& pod, const Json& node);

// The cpu and memory a pod requests (milli units): the sum over its containers, or the
// largest init container when that is more; limits stand in for missing requests.
std::pair<int64_t, int64_t> PodRequests(const Json& pod);

}  // namespace kstack::server::workloads
