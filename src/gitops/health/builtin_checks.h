#pragma once

// The built-in health checks, one per kind and one file each, as Argo CD assesses these kinds
// (its Go checks, its Lua check for batch/CronJob, and the check it documents for child
// Applications). Each is a pure function of the object as the API server returns it.
//
// A check reads only the fields it needs. A field of the wrong JSON type (where Kubernetes
// would have refused the object) gives Unknown, "failed to convert unstructured <Kind> to
// typed: <field>: ...", as a Go check that cannot decode the object does; a version the check
// does not know gives Unknown, "unsupported <Kind> GVK: <group>/<version>, Kind=<Kind>".
// Fields of the wrong type that a check does not read are not noticed, whereas Argo CD decodes
// the whole object first.
//
// Which check applies to an object, and what comes before it (deletion, custom Lua checks),
// is decided by Assess() in assess.h; call these directly only when the kind is known.

#include <string_view>

#include "core/json.h"
#include "gitops/health/health_status.h"

namespace kstack::gitops::health {

// apps/v1 Deployment: paused → Suspended; progress deadline exceeded → Degraded; a rollout
// under way (generation not observed, replicas not updated, old replicas left, updated
// replicas not available) → Progressing with kubectl's rollout messages.
HealthStatus AssessDeployment(const Json& object);
// apps/v1 StatefulSet: generation observed, replicas ready, partition rolled out, revisions
// equal; OnDelete sets are healthy once their replicas are ready.
HealthStatus AssessStatefulSet(const Json& object);
// apps/v1 DaemonSet: generation observed, pods updated and available on every node; OnDelete
// sets are healthy once the generation is observed.
HealthStatus AssessDaemonSet(const Json& object);
// apps/v1 ReplicaSet: a ReplicaFailure condition → Degraded; fewer available replicas than
// wanted → Progressing.
HealthStatus AssessReplicaSet(const Json& object);
// v1 Pod: containers waiting with an error or back-off reason → Degraded (long-running pods
// only); by phase otherwise. Pods with restartPolicy Never/OnFailure are Progressing while
// they run, unless annotated argocd.argoproj.io/ignore-restart-policy: "true" and not a hook.
HealthStatus AssessPod(const Json& object);
// batch/v1 Job: Failed → Degraded, Suspended → Suspended, Complete → Healthy, else
// Progressing.
HealthStatus AssessJob(const Json& object);
// batch CronJob (any version), as Argo CD's bundled check: a failed last run (last success
// older than the last schedule, nothing running) → Degraded; suspended, never scheduled,
// running or succeeded → Healthy; no status yet → Progressing.
HealthStatus AssessCronJob(const Json& object);
// v1 Service: a LoadBalancer without an ingress address yet → Progressing, else Healthy.
HealthStatus AssessService(const Json& object);
// networking.k8s.io or extensions Ingress (any version): an address in
// status.loadBalancer.ingress → Healthy, else Progressing.
HealthStatus AssessIngress(const Json& object);
// v1 PersistentVolumeClaim: Bound → Healthy, Pending → Progressing, Lost → Degraded.
HealthStatus AssessPersistentVolumeClaim(const Json& object);
// autoscaling v1 (conditions in the autoscaling.alpha.kubernetes.io/conditions annotation),
// v2, v2beta1, v2beta2 HorizontalPodAutoscaler: a failure to get the scale or the metrics →
// Degraded, AbleToScale or ScalingLimited true → Healthy, else "Waiting to Autoscale".
HealthStatus AssessHorizontalPodAutoscaler(const Json& object);
// apiregistration.k8s.io v1/v1beta1 APIService: the Available condition, "reason: message".
HealthStatus AssessAPIService(const Json& object);
// argoproj.io Application (a child app of an app of apps): the health the app reports in
// status.health; Progressing before it reports any.
HealthStatus AssessApplication(const Json& object);
// argoproj.io Workflow: by status.phase (Pending/Running → Progressing, Succeeded → Healthy,
// Failed/Error → Degraded), with status.message.
HealthStatus AssessWorkflow(const Json& object);

using CheckFunction = HealthStatus (*)(const Json& object);

// The built-in check of a group and kind ("" is the core group), or null when there is none.
// Versions are not looked at here (the check itself refuses one it does not know).
CheckFunction FindBuiltInCheck(std::string_view group, std::string_view kind);

}  // namespace kstack::gitops::health
