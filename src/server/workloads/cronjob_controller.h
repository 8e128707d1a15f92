#pragma once

// The CronJob controller: at each time of spec.schedule (in spec.timeZone, UTC by default) a
// Job from spec.jobTemplate,
// named "<cronjob>-<minutes since the epoch>" as Kubernetes names them, owned by the CronJob
// and annotated with batch.kubernetes.io/cronjob-scheduled-timestamp; only the most recent
// missed time runs, and not when older than startingDeadlineSeconds. concurrencyPolicy Allow,
// Forbid (skip while a Job is active) and Replace (delete the active ones first); suspend;
// successfulJobsHistoryLimit and failedJobsHistoryLimit. Status: active (references to the
// running Jobs), lastScheduleTime, lastSuccessfulTime.
//
// Thread safety: Enqueue() from any thread; Start() and Stop() from one.

#include <memory>
#include <string>

#include "server/object_registry.h"
#include "server/workloads/controller_loop.h"

namespace kstack::server::workloads {

class CronJobController {
 public:
  // REQUIRES: `registry` and `clock` outlive this object.
  CronJobController(ObjectRegistry* registry, const Clock* clock);

  Status Start();
  void Stop();
  // The CronJob "namespace/name" needs a look.
  void Enqueue(const std::string& key);

 private:
  Result<ReconcileResult> Reconcile(const std::string& key);

  ObjectRegistry* registry_;
  const Clock* clock_;
  std::unique_ptr<ControllerLoop> loop_;
};

// Errors of a CronJob's spec.schedule and spec.timeZone as the API server reports them
// (kInvalid naming the field); Ok for others and for other kinds.
Status ValidateCronJob(const Json& cronjob);

}  // namespace kstack::server::workloads
