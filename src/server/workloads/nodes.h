#pragma once

// The simulated nodes: registers the Nodes of SimulationOptions (labels, capacity and
// allocatable, Ready and pressure conditions, addresses, nodeInfo, podCIDR) with a Lease each
// in kube-node-lease, renews the Leases and heartbeats as a kubelet does, and removes the
// simulated nodes beyond the configured count (from an earlier run with more nodes) with their
// Leases and the pods bound to them.
//
// Thread safety: Start() and Stop() from one thread.

#include <memory>

#include "server/object_registry.h"
#include "server/workloads/controller_loop.h"
#include "server/workloads/simulation.h"

namespace kstack::server::workloads {

class Nodes {
 public:
  // REQUIRES: `registry` and `clock` outlive this object.
  Nodes(ObjectRegistry* registry, const Clock* clock, SimulationOptions options);

  // Registers the nodes (synchronously, so they exist when the server starts serving) and
  // starts the heartbeats. Errors: those of the registry.
  Status Start();
  void Stop();

 private:
  Result<ReconcileResult> Reconcile(const std::string& name);
  Status RemoveExtraNodes();

  ObjectRegistry* registry_;
  const Clock* clock_;
  SimulationOptions options_;
  std::unique_ptr<ControllerLoop> loop_;
};

}  // namespace kstack::server::workloads
