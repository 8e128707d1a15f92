#include "server/workloads/hpa_controller.h"

#include <fmt/format.h>

#include <vector>

#include "server/workloads/objects.h"

namespace kstack::server::workloads {
namespace {

const ResourceType& HpaType() {
  return *machinery::FindBuiltinResource("autoscaling", "v2", "horizontalpodautoscalers");
}

// The type of a scaleTargetRef, or null for kinds without a known scale subresource.
const ResourceType* TargetType(const Json& ref) {
  std::string_view kind = FindString(ref, "kind");
  std::string_view api = FindString(ref, "apiVersion");
  if (api != "apps/v1") return nullptr;
  if (kind == "Deployment") return machinery::FindBuiltinResource("apps", "v1", "deployments");
  if (kind == "ReplicaSet") return machinery::FindBuiltinResource("apps", "v1", "replicasets");
  if (kind == "StatefulSet") return machinery::FindBuiltinResource("apps", "v1", "statefulsets");
  return nullptr;
}

// The resource the first metric names ("cpu" by default, as the API server defaults v2).
std::string MetricResource(const Json& hpa) {
  const Json* metrics = At(hpa, {"spec", "metrics"});
  if (metrics && metrics->is_array() && !metrics->as_array().empty()) {
    const Json* name = At(metrics->as_array()[0], {"resource", "name"});
    if (name && name->is_string()) return std::string(name->get_string());
  }
  return "cpu";
}

}  // namespace

HpaController::HpaController(ObjectRegistry* registry, const Clock* clock)
    : registry_(registry), clock_(clock) {}

Status HpaController::Start() {
  loop_ = std::make_unique<ControllerLoop>(ControllerLoopOptions{
      .name = "horizontal-pod-autoscaler",
      .workers = 1,
      .resync = Duration(15000),
      .list_keys =
          [this] {
            std::vector<std::string> keys;
            Result<Json> list = registry_->List(HpaType(), "", {});
            if (list.ok()) {
              for (const Json& h : list->at("items").as_array()) keys.push_back(KeyOf(h));
            }
            return keys;
          },
      .reconcile = [this](const std::string& key) { return Reconcile(key); },
  });
  loop_->Start();
  return Status::Ok();
}

void HpaController::Stop() {
  if (loop_) loop_->Stop();
}

void HpaController::Enqueue(const std::string& key) {
  if (loop_) loop_->Enqueue(key);
}

Result<ReconcileResult> HpaController::Reconcile(const std::string& key) {
  auto [ns, name] = SplitKey(key);
  Result<Json> got = registry_->Get(HpaType(), ns, name);
  if (got.status().reason() == Reason::kNotFound) return ReconcileResult{};
  if (!got.ok()) return got.status();
  const Json& hpa = *got;
  std::string now = FormatRfc3339(clock_->Now());
  Json updated = hpa;
  JsonObject& status = EnsureObject(updated.as_object(), "status");
  Json& conditions = status["conditions"];
  const Json* ref = At(hpa, {"spec", "scaleTargetRef"});
  const ResourceType* target = ref ? TargetType(*ref) : nullptr;
  std::string target_name(ref ? FindString(*ref, "name") : "");
  Result<Json> scale =
      target ? registry_->GetScale(*target, ns, target_name)
             : Result<Json>(NotFoundError(fmt::format("no scale subresource known for {}",
                                                      ref ? FindString(*ref, "kind") : "")));
  if (!scale.ok()) {
    SetCondition(conditions, "AbleToScale", "False", "FailedGetScale",
                 fmt::format("the HPA controller was unable to get the target's current scale: {}",
                             scale.status().message()),
                 now);
  } else {
    int64_t current = IntAt(*scale, {"spec", "replicas"}, 0);
    int64_t min = IntAt(hpa, {"spec", "minReplicas"}, 1);
    int64_t max = IntAt(hpa, {"spec", "maxReplicas"}, min);
    int64_t desired = current;
    std::string_view limited_reason = "DesiredWithinRange";
    std::string_view limited_message = "the desired count is within the acceptable range";
    if (current < min) {
      desired = min;
      limited_reason = "TooFewReplicas";
      limited_message = "the desired replica count is less than the minimum replica count";
    } else if (current > max) {
      desired = max;
      limited_reason = "TooManyReplicas";
      limited_message = "the desired replica count is more than the maximum replica count";
    }
    if (desired != current && current != 0) {  // 0: scaling is disabled, as in Kubernetes
      Json next = *scale;
      next.as_object()["spec"].as_object()["replicas"] = desired;
      Result<Json> written = registry_->UpdateScale(*target, ns, target_name, next);
      if (!written.ok()) {
        SetCondition(conditions, "AbleToScale", "False", "FailedUpdateScale",
                     fmt::format("the HPA controller was unable to update the target scale: {}",
                                 written.status().message()),
                     now);
        return written.status();
      }
      status["lastScaleTime"] = now;
      SetCondition(
          conditions, "AbleToScale", "True", "SucceededRescale",
          fmt::format("the HPA controller was able to update the target scale to {}", desired),
          now);
    } else {
      SetCondition(conditions, "AbleToScale", "True", "ReadyForNewScale",
                   "recommended size matches current size", now);
    }
    std::string resource = MetricResource(hpa);
    SetCondition(conditions, "ScalingActive", "False", "FailedGetResourceMetric",
                 fmt::format("the HPA was unable to compute the replica count: failed to get {} "
                             "utilization: unable to get metrics for resource {}: no metrics "
                             "returned from resource metrics API",
                             resource, resource),
                 now);
    SetCondition(conditions, "ScalingLimited", desired != current ? "True" : "False",
                 limited_reason, limited_message, now);
    status["currentReplicas"] = current;
    status["desiredReplicas"] = desired;
  }
  if (updated != hpa) {
    Result<Json> written = registry_->UpdateStatus(HpaType(), ns, name, updated);
    if (!written.ok() && written.status().reason() != Reason::kNotFound) return written.status();
  }
  return ReconcileResult{};
}

}  // namespace kstack::server::workloads
