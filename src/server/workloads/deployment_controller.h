#pragma once

// The Deployment controller: one ReplicaSet per pod template, named
// "<deployment>-<pod-template-hash>" with the pod-template-hash label on its selector,
// template and itself; the revision annotation `deployment.kubernetes.io/revision` (the new
// ReplicaSet's revision, one more than the highest; a template that returns, as after `kubectl
// rollout undo`, takes its old ReplicaSet back with a new revision) and the change-cause
// annotation copied; rollouts by the strategy: RollingUpdate within maxSurge/maxUnavailable,
// with Kubernetes' arithmetic for scaling the new ReplicaSet up and the old ones down
// (unhealthy ones first), or Recreate (old pods gone before new ones start); a change of
// spec.replicas mid-rollout shared by the active ReplicaSets in proportion; paused
// Deployments only scale; revisionHistoryLimit old ReplicaSets kept. Status: replicas,
// updatedReplicas, readyReplicas, availableReplicas, unavailableReplicas, observedGeneration,
// and the conditions Available (MinimumReplicasAvailable/Unavailable) and Progressing
// (NewReplicaSetCreated, FoundNewReplicaSet, ReplicaSetUpdated, NewReplicaSetAvailable,
// ProgressDeadlineExceeded, DeploymentPaused, DeploymentResumed) with Kubernetes' messages.
//
// Thread safety: Enqueue() from any thread; Start() and Stop() from one.

#include <memory>
#include <string>

#include "server/object_registry.h"
#include "server/workloads/controller_loop.h"

namespace kstack::server::workloads {

class DeploymentController {
 public:
  // REQUIRES: `registry` and `clock` outlive this object.
  DeploymentController(ObjectRegistry* registry, const Clock* clock);

  Status Start();
  void Stop();
  // The Deployment "namespace/name" needs a look.
  void Enqueue(const std::string& key);

 private:
  Result<ReconcileResult> Reconcile(const std::string& key);

  ObjectRegistry* registry_;
  const Clock* clock_;
  std::unique_ptr<ControllerLoop> loop_;
};

}  // namespace kstack::server::workloads
