#pragma once

// The Job controller: runs up to spec.parallelism pods at a time until spec.completions of
// them have Succeeded (completionMode Indexed: one pod per index 0..completions-1, each with
// the index as annotation, label, hostname and JOB_COMPLETION_INDEX, until every index has
// succeeded; status.completedIndexes), then marks the Job SuccessCriteriaMet and
// Complete (reason CompletionsReached) with completionTime; more than spec.backoffLimit failed
// pods mark it FailureTarget and Failed (reason BackoffLimitExceeded) and its active pods are
// deleted. A suspended Job creates no pods. Status: startTime, active, ready, succeeded,
// failed, terminating, uncountedTerminatedPods. Not done: pod failure policies, the backoff delay
// between retries, activeDeadlineSeconds.
//
// Thread safety: Enqueue() from any thread; Start() and Stop() from one.

#include <memory>
#include <string>

#include "server/object_registry.h"
#include "server/workloads/controller_loop.h"

namespace kstack::server::workloads {

class JobController {
 public:
  // REQUIRES: `registry` and `clock` outlive this object.
  JobController(ObjectRegistry* registry, const Clock* clock);

  Status Start();
  void Stop();
  // The Job "namespace/name" needs a look.
  void Enqueue(const std::string& key);

 private:
  Result<ReconcileResult> Reconcile(const std::string& key);

  ObjectRegistry* registry_;
  const Clock* clock_;
  std::unique_ptr<ControllerLoop> loop_;
};

}  // namespace kstack::server::workloads
