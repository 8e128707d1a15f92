#include "gitops/health/assess.h"

#include "gitops/health/builtin_checks.h"
#include "gitops/health/internal/fields.h"
#include "gitops/health/internal/hooks.h"

namespace kstack::gitops::health {

CheckFunction FindBuiltInCheck(std::string_view group, std::string_view kind) {
  if (group.empty()) {
    if (kind == "Pod") return AssessPod;
    if (kind == "Service") return AssessService;
    if (kind == "PersistentVolumeClaim") return AssessPersistentVolumeClaim;
  } else if (group == "apps") {
    if (kind == "Deployment") return AssessDeployment;
    if (kind == "StatefulSet") return AssessStatefulSet;
    if (kind == "ReplicaSet") return AssessReplicaSet;
    if (kind == "DaemonSet") return AssessDaemonSet;
  } else if (group == "batch") {
    if (kind == "Job") return AssessJob;
    if (kind == "CronJob") return AssessCronJob;
  } else if (group == "networking.k8s.io" || group == "extensions") {
    if (kind == "Ingress") return AssessIngress;
  } else if (group == "autoscaling") {
    if (kind == "HorizontalPodAutoscaler") return AssessHorizontalPodAutoscaler;
  } else if (group == "apiregistration.k8s.io") {
    if (kind == "APIService") return AssessAPIService;
  } else if (group == "argoproj.io") {
    if (kind == "Workflow") return AssessWorkflow;
    if (kind == "Application") return AssessApplication;
  }
  return nullptr;
}

namespace {

CheckFunction BuiltInCheck(std::string_view group, std::string_view kind,
                           const AssessOptions& options) {
  if (!options.applications && group == "argoproj.io" && kind == "Application") return nullptr;
  return FindBuiltInCheck(group, kind);
}

bool BeingDeleted(const Json& object) {
  const Json* metadata = internal::Member(&object, "metadata");
  return internal::Member(metadata, "deletionTimestamp") != nullptr;
}

}  // namespace

bool HasBuiltInCheck(std::string_view group, std::string_view kind, const AssessOptions& options) {
  return BuiltInCheck(group, kind, options) != nullptr;
}

std::optional<HealthStatus> Assess(const Json& object, const AssessOptions& options) {
  if (BeingDeleted(object) && !internal::HasHookFinalizer(object)) {
    return HealthStatus{HealthCode::kProgressing, "Pending deletion"};
  }
  std::string_view group = internal::ParseApiVersion(FindString(object, "apiVersion")).group;
  std::string_view kind = FindString(object, "kind");
  if (options.lua != nullptr) {
    if (const LuaScript* script = options.lua->Find(group, kind)) {
      return options.lua->Run(*script, object);
    }
  }
  if (CheckFunction check = BuiltInCheck(group, kind, options)) return check(object);
  return std::nullopt;
}

}  // namespace kstack::gitops::health
