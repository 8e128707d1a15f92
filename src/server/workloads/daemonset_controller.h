#pragma once

// The DaemonSet controller: one pod on every node the template's nodeSelector and required
// node affinity admit (pinned with a matchFields affinity on metadata.name, which the scheduler
// honours, and the tolerations Kubernetes adds to daemon pods); pods on other nodes deleted;
// a changed template replaces pods node by node within maxUnavailable (RollingUpdate) or when
// pods are deleted (OnDelete). The templates are kept as ControllerRevisions and the pods carry
// controller-revision-hash. Status: desiredNumberScheduled, currentNumberScheduled,
// numberMisscheduled, numberReady, numberAvailable, numberUnavailable, updatedNumberScheduled,
// observedGeneration.
//
// Thread safety: Enqueue() and NodesChanged() from any thread; Start() and Stop() from one.

#include <memory>
#include <string>

#include "server/object_registry.h"
#include "server/workloads/controller_loop.h"

namespace kstack::server::workloads {

class DaemonSetController {
 public:
  // REQUIRES: `registry` and `clock` outlive this object.
  DaemonSetController(ObjectRegistry* registry, const Clock* clock);

  Status Start();
  void Stop();
  // The DaemonSet "namespace/name" needs a look.
  void Enqueue(const std::string& key);
  // A node came, went or changed: every DaemonSet needs a look.
  void NodesChanged();

 private:
  Result<ReconcileResult> Reconcile(const std::string& key);
  std::vector<std::string> AllKeys();

  ObjectRegistry* registry_;
  const Clock* clock_;
  std::unique_ptr<ControllerLoop> loop_;
};

}  // namespace kstack::server::workloads
