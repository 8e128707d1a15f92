#pragma once

// The simulated kubelets of all simulated nodes. A pod bound to one of them (spec.nodeName) is
// started without running anything: after SimulationOptions::delay it is Running with the
// conditions a kubelet reports (PodReadyToStartContainers, Initialized, Ready, ContainersReady,
// PodScheduled), container statuses (ready, started, running.startedAt, image, imageID,
// containerID, restartCount), hostIP, podIP (10.42.<node index>.<n>, unique per node),
// startTime. Before that (delay > 0) it is Pending with ContainerCreating. A pod whose
// restartPolicy is Never or OnFailure runs for `delay` and then Succeeds (terminated, exit code
// 0, reason Completed); with the annotation `kstack.dev/simulated-exit-code: "N"` (N > 0) its
// containers exit with N and the pod Fails (reason Error), which lets Jobs' backoffLimit be
// exercised. A pod deleted with a grace period (Terminating) is removed after `delay` (or its
// grace period, when shorter), as a kubelet does once its containers stopped. Pods of other
// nodes are left alone.
//
// Thread safety: Observe() from any thread; Start() and Stop() from one.

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "server/object_registry.h"
#include "server/workloads/controller_loop.h"
#include "server/workloads/simulation.h"

namespace kstack::server::workloads {

class Kubelet {
 public:
  // REQUIRES: `registry` and `clock` outlive this object.
  Kubelet(ObjectRegistry* registry, const Clock* clock, SimulationOptions options);

  Status Start();
  void Stop();

  // A Pod was written (or deleted).
  void Observe(const ResourceType& type, const Json& object, bool deleted);

 private:
  Result<ReconcileResult> Reconcile(const std::string& key);
  // The pod's IP on `node` (allocated once per pod key).
  std::string AllocateIp(const std::string& key, int node);
  void ReleaseIpLocked(const std::string& key);

  ObjectRegistry* registry_;
  const Clock* clock_;
  SimulationOptions options_;
  std::unique_ptr<ControllerLoop> loop_;

  std::mutex mu_;
  std::map<std::string, std::pair<int, int>> ips_;  // pod key -> (node index, host part)
  std::map<int, std::set<int>> used_;               // node index -> host parts in use
  // When the next transition of a pod is due (its previous one plus the delay).
  std::map<std::string, std::chrono::steady_clock::time_point> due_;
};

}  // namespace kstack::server::workloads
