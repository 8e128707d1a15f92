#pragma once

// The ReplicaSet controller: keeps spec.replicas active pods (not terminal, not being deleted)
// that the ReplicaSet controls, creating them from its template and deleting the surplus in
// Kubernetes' order (unscheduled, then pending, then not ready, then the newest first); adopts
// matching pods without a controller; reports status.replicas, fullyLabeledReplicas,
// readyReplicas, availableReplicas (ready for minReadySeconds) and observedGeneration.
//
// Thread safety: Enqueue() from any thread; Start() and Stop() from one.

#include <memory>
#include <string>

#include "server/object_registry.h"
#include "server/workloads/controller_loop.h"

namespace kstack::server::workloads {

class ReplicaSetController {
 public:
  // REQUIRES: `registry` and `clock` outlive this object.
  ReplicaSetController(ObjectRegistry* registry, const Clock* clock);

  Status Start();
  void Stop();
  // The ReplicaSet "namespace/name" needs a look.
  void Enqueue(const std::string& key);

 private:
  Result<ReconcileResult> Reconcile(const std::string& key);

  ObjectRegistry* registry_;
  const Clock* clock_;
  std::unique_ptr<ControllerLoop> loop_;
};

}  // namespace kstack::server::workloads
