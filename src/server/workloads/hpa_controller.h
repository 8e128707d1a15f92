#pragma once

// The HorizontalPodAutoscaler controller without a metrics API: it keeps the scale target
// (a Deployment, ReplicaSet or StatefulSet, through its scale subresource) within
// minReplicas..maxReplicas and reports the status Kubernetes reports when no metrics are
// served: currentReplicas, desiredReplicas, lastScaleTime, and the conditions AbleToScale
// (ReadyForNewScale, SucceededRescale, FailedGetScale), ScalingActive (False,
// FailedGetResourceMetric) and ScalingLimited (TooFewReplicas, TooManyReplicas,
// DesiredWithinRange).
//
// Thread safety: Enqueue() from any thread; Start() and Stop() from one.

#include <memory>
#include <string>

#include "server/object_registry.h"
#include "server/workloads/controller_loop.h"

namespace kstack::server::workloads {

class HpaController {
 public:
  // REQUIRES: `registry` and `clock` outlive this object.
  HpaController(ObjectRegistry* registry, const Clock* clock);

  Status Start();
  void Stop();
  // The HorizontalPodAutoscaler "namespace/name" needs a look.
  void Enqueue(const std::string& key);

 private:
  Result<ReconcileResult> Reconcile(const std::string& key);

  ObjectRegistry* registry_;
  const Clock* clock_;
  std::unique_ptr<ControllerLoop> loop_;
};

}  // namespace kstack::server::workloads
