#pragma once

// The StatefulSet controller: pods "<name>-0" ... "<name>-(replicas-1)" with stable hostnames
// (hostname, subdomain = serviceName) and the labels statefulset.kubernetes.io/pod-name,
// apps.kubernetes.io/pod-index and controller-revision-hash. OrderedReady creates a pod only
// once every lower ordinal is Running and Ready and removes the highest ordinal first, one at a
// time; Parallel creates and removes at once. A changed template (a new ControllerRevision)
// is rolled out from the highest ordinal down to spec.updateStrategy.rollingUpdate.partition,
// one pod at a time, each once the others are Ready (RollingUpdate), or as pods are deleted
// (OnDelete). Status: replicas, readyReplicas, availableReplicas, currentReplicas,
// updatedReplicas, currentRevision, updateRevision, collisionCount, observedGeneration.
// Not done: PersistentVolumeClaims from volumeClaimTemplates, minReadySeconds, maxUnavailable.
//
// Thread safety: Enqueue() from any thread; Start() and Stop() from one.

#include <memory>
#include <string>

#include "server/object_registry.h"
#include "server/workloads/controller_loop.h"

namespace kstack::server::workloads {

class StatefulSetController {
 public:
  // REQUIRES: `registry` and `clock` outlive this object.
  StatefulSetController(ObjectRegistry* registry, const Clock* clock);

  Status Start();
  void Stop();
  // The StatefulSet "namespace/name" needs a look.
  void Enqueue(const std::string& key);

 private:
  Result<ReconcileResult> Reconcile(const std::string& key);

  ObjectRegistry* registry_;
  const Clock* clock_;
  std::unique_ptr<ControllerLoop> loop_;
};

}  // namespace kstack::server::workloads
