#pragma once

// One step of an Application's sync operation, as Argo CD runs it: resumable, so that no
// worker waits on a cluster. Each step plans the sync again from the same inputs (the plan is
// a pure function), finds the first phase and wave whose tasks are not all done, and either
// runs that wave's tasks (prunes first, applies with server-side apply) or, when they ran,
// checks that what they applied is healthy: Healthy (or without a health check) lets the next
// wave start, Progressing waits ("waiting for healthy state of apps/Deployment/web"), Degraded
// fails the sync. Results go to status.operationState in Argo CD's shape, so a restarted
// controller resumes where the last step ended.
//
// A failed sync is retried per the operation's `retry` (Argo CD's backoff); then the
// operation ends Failed. Hooks run as resources of their phase; those whose delete policy
// matches the outcome are deleted when the operation ends.

#include <chrono>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/json.h"
#include "gitops/controller/live_cache.h"
#include "gitops/diff/tracking.h"
#include "gitops/health/assess.h"
#include "kube/client.h"

namespace kstack::gitops::controller {

struct OperationContext {
  kube::Client* client = nullptr;
  LiveCache* live = nullptr;
  diff::Tracking tracking;
  std::string field_manager = "argocd-controller";
  health::AssessOptions assess;  // how applied resources are assessed between waves
  Clock::WallTime now;
};

struct StepResult {
  Json operation_state;  // the new status.operationState
  // The operation ended (Succeeded, Failed or Error): the controller clears `operation` and,
  // when it succeeded, records the sync in status.history.
  bool done = false;
  // Not done: step again after this (or sooner, on a change of a watched object).
  std::chrono::milliseconds requeue_after{0};
};

// `app` carries `operation`; `desired` are the objects of the operation's revision and
// `revision` that commit; `live` the objects the app tracks (what may be pruned).
StepResult StepOperation(const Json& app, const std::vector<Json>& desired,
                         const std::string& revision, const std::vector<Json>& live,
                         const OperationContext& context);

}  // namespace kstack::gitops::controller
