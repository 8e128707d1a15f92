// v1 Pod. Long-running pods (restartPolicy Always) are judged by readiness and by their
// containers' errors; pods meant to run to completion (Never, OnFailure) stay Progressing
// while they run, because they are usually hooks and a hook is done only when it succeeds.

#include <fmt/core.h>

#include "gitops/health/builtin_checks.h"
#include "gitops/health/internal/fields.h"
#include "gitops/health/internal/hooks.h"

namespace kstack::gitops::health {
namespace {

using internal::FieldReader;

constexpr std::string_view kIgnoreRestartPolicyAnnotation =
    "argocd.argoproj.io/ignore-restart-policy";

bool IsErrorReason(std::string_view reason) {
  return reason.starts_with("Err") || reason.ends_with("Error") || reason.ends_with("BackOff");
}

// Why a terminated container failed: its message, OOMKilled, or its exit code; "" when it
// did not fail (or has not terminated).
std::string FailMessage(FieldReader& f, const Json& container_status) {
  const Json* state = f.Object(&container_status, "state", "status.containerStatuses[].state");
  const Json* terminated =
      f.Object(state, "terminated", "status.containerStatuses[].state.terminated");
  if (terminated == nullptr) return "";
  std::string_view message = f.String(terminated, "message", "state.terminated.message");
  if (!message.empty()) return std::string(message);
  if (f.String(terminated, "reason", "state.terminated.reason") == "OOMKilled") return "OOMKilled";
  int64_t exit_code = f.Int(terminated, "exitCode", "state.terminated.exitCode");
  if (exit_code != 0) {
    return fmt::format(
        "container {} failed with exit code {}",
        internal::GoQuote(f.String(&container_status, "name", "status.containerStatuses[].name")),
        exit_code);
  }
  return "";
}

}  // namespace

HealthStatus AssessPod(const Json& object) {
  if (FindString(object, "apiVersion") != "v1") return internal::UnsupportedVersion("Pod", object);
  FieldReader f("Pod");
  const Json* spec = f.Object(&object, "spec", "spec");
  const Json* status = f.Object(&object, "status", "status");
  std::string_view policy = f.String(spec, "restartPolicy", "spec.restartPolicy");
  std::string_view phase = f.String(status, "phase", "status.phase");
  std::string message(f.String(status, "message", "status.message"));
  const JsonArray* containers = f.Array(status, "containerStatuses", "status.containerStatuses");
  const JsonArray* init_containers =
      f.Array(status, "initContainerStatuses", "status.initContainerStatuses");
  const JsonArray* conditions = f.Array(status, "conditions", "status.conditions");
  if (f.failed()) return f.Error();

  // The annotation makes a pod that is not a hook be judged as a long-running one whatever
  // its restart policy: an operator's pod that never ends would otherwise never be Healthy.
  bool long_running = policy == "Always" ||
                      (internal::Annotation(object, kIgnoreRestartPolicyAnnotation) == "true" &&
                       !internal::IsHook(object));

  if (long_running && containers != nullptr) {
    std::string errors;
    bool degraded = false;
    for (const Json& element : *containers) {
      const Json* container = f.Element(element, "status.containerStatuses[]");
      const Json* state = f.Object(container, "state", "status.containerStatuses[].state");
      const Json* waiting = f.Object(state, "waiting", "status.containerStatuses[].state.waiting");
      if (waiting == nullptr) continue;
      if (IsErrorReason(f.String(waiting, "reason", "state.waiting.reason"))) {
        if (degraded) errors += ", ";
        degraded = true;
        errors += f.String(waiting, "message", "state.waiting.message");
      }
    }
    if (f.failed()) return f.Error();
    if (degraded) return {HealthCode::kDegraded, errors};
  }

  if (phase == "Pending") return {HealthCode::kProgressing, message};
  if (phase == "Succeeded") return {HealthCode::kHealthy, message};
  if (phase == "Failed") {
    if (!message.empty()) return {HealthCode::kDegraded, message};
    for (const JsonArray* list : {init_containers, containers}) {
      if (list == nullptr) continue;
      for (const Json& element : *list) {
        const Json* container = f.Element(element, "status.containerStatuses[]");
        if (container == nullptr) continue;
        std::string why = FailMessage(f, *container);
        if (f.failed()) return f.Error();
        if (!why.empty()) return {HealthCode::kDegraded, why};
      }
    }
    if (f.failed()) return f.Error();
    return {HealthCode::kDegraded, ""};
  }
  if (phase == "Running") {
    if (long_running) {
      const Json* ready = internal::FindCondition(f, conditions, "Ready", "status.conditions[]");
      if (f.String(ready, "status", "status.conditions[].status") == "True") {
        return {HealthCode::kHealthy, message};
      }
      // Not ready: a container that has already terminated once means it keeps failing.
      if (containers != nullptr) {
        for (const Json& element : *containers) {
          const Json* container = f.Element(element, "status.containerStatuses[]");
          const Json* last =
              f.Object(container, "lastState", "status.containerStatuses[].lastState");
          if (f.Object(last, "terminated", "lastState.terminated") != nullptr) {
            if (f.failed()) return f.Error();
            return {HealthCode::kDegraded, message};
          }
        }
      }
      if (f.failed()) return f.Error();
      return {HealthCode::kProgressing, message};
    }
    if (policy == "OnFailure" || policy == "Never") return {HealthCode::kProgressing, message};
  }
  if (f.failed()) return f.Error();
  return {HealthCode::kUnknown, message};
}

}  // namespace kstack::gitops::health
