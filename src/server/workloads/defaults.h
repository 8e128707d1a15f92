#pragma once

// The defaults the Kubernetes API server gives workload objects when they are written, which
// the controllers and kubectl rely on: Deployment replicas, strategy (RollingUpdate 25%/25%),
// revisionHistoryLimit and progressDeadlineSeconds; ReplicaSet, StatefulSet and DaemonSet
// replicas and update strategies; Job completions, parallelism, backoffLimit, completionMode;
// CronJob policies and history limits; a new Pod's restartPolicy, schedulerName,
// terminationGracePeriodSeconds, dnsPolicy, and its first status (phase Pending, qosClass).
// Pure function of its inputs; thread-safe.

#include "core/json.h"
#include "machinery/resource_types.h"

namespace kstack::server::workloads {

// Fills the absent defaulted fields of `object` (of `type`); `old` is the stored object on
// updates, null on create.
void ApplyDefaults(const machinery::ResourceType& type, const Json* old, Json& object);

// Guaranteed, Burstable or BestEffort, as Kubernetes classes a pod by its containers'
// requests and limits.
std::string_view QosClass(const Json& pod);

}  // namespace kstack::server::workloads
