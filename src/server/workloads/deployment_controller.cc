#include "server/workloads/deployment_controller.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <vector>

#include "machinery/selector.h"
#include "server/workloads/deployment_scaling.h"
#include "server/workloads/objects.h"
#include "server/workloads/pod_template.h"

namespace kstack::server::workloads {
namespace {

const ResourceType& ReplicaSetsType() {
  return *machinery::FindBuiltinResource("apps", "v1", "replicasets");
}
const ResourceType& DeploymentsType() {
  return *machinery::FindBuiltinResource("apps", "v1", "deployments");
}

constexpr std::string_view kHashLabel = "pod-template-hash";
constexpr std::string_view kRevision = "deployment.kubernetes.io/revision";

int64_t Revision(const Json& object) {
  const Json* annotations = At(object, {"metadata", "annotations"});
  std::string text(annotations ? FindString(*annotations, kRevision) : "");
  return text.empty() ? 0 : std::atoll(text.c_str());
}

// The Deployment's annotations a ReplicaSet carries, as Kubernetes copies them.
void CopyAnnotations(const Json& deployment, JsonObject& annotations) {
  const Json* from = At(deployment, {"metadata", "annotations"});
  if (from == nullptr || !from->is_object()) return;
  for (const auto& kv : from->get_object()) {
    std::string_view key = kv.key();
    if (key == "kubectl.kubernetes.io/last-applied-configuration" || key == kRevision ||
        key == "deployment.kubernetes.io/revision-history" || key == kDesiredReplicas ||
        key == kMaxReplicas) {
      continue;
    }
    annotations[key] = kv.value();
  }
}

}  // namespace

DeploymentController::DeploymentController(ObjectRegistry* registry, const Clock* clock)
    : registry_(registry), clock_(clock) {}

Status DeploymentController::Start() {
  loop_ = std::make_unique<ControllerLoop>(ControllerLoopOptions{
      .name = "deployment-controller",
      .workers = 2,
      .resync = Duration(30000),
      .list_keys =
          [this] {
            std::vector<std::string> keys;
            Result<Json> list = registry_->List(DeploymentsType(), "", {});
            if (list.ok()) {
              for (const Json& d : list->at("items").as_array()) keys.push_back(KeyOf(d));
            }
            return keys;
          },
      .reconcile = [this](const std::string& key) { return Reconcile(key); },
  });
  loop_->Start();
  return Status::Ok();
}

void DeploymentController::Stop() {
  if (loop_) loop_->Stop();
}

void DeploymentController::Enqueue(const std::string& key) {
  if (loop_) loop_->Enqueue(key);
}

Result<ReconcileResult> DeploymentController::Reconcile(const std::string& key) {
  auto [ns, name] = SplitKey(key);
  Result<Json> got = registry_->Get(DeploymentsType(), ns, name);
  if (got.status().reason() == Reason::kNotFound) return ReconcileResult{};
  if (!got.ok()) return got.status();
  Json d = std::move(*got);
  if (At(d, {"metadata", "deletionTimestamp"}) != nullptr) return ReconcileResult{};
  const Json* selector_json = At(d, {"spec", "selector"});
  const Json* tmpl = At(d, {"spec", "template"});
  if (selector_json == nullptr || tmpl == nullptr) return ReconcileResult{};
  Result<machinery::LabelSelector> selector = machinery::LabelSelector::FromJson(*selector_json);
  if (!selector.ok() || selector->empty()) return ReconcileResult{};

  std::string uid(Meta(d, "uid"));
  KSTACK_ASSIGN_OR_RETURN(Json listed, registry_->List(ReplicaSetsType(), ns, {}));
  std::vector<Json> sets;
  for (Json& rs : listed.at("items").as_array()) {
    if (ControlledBy(rs, "Deployment", uid)) sets.push_back(std::move(rs));
  }
  Json* new_rs = nullptr;
  std::vector<Json*> olds;
  for (Json& rs : sets) {
    const Json* rs_tmpl = At(rs, {"spec", "template"});
    if (new_rs == nullptr && rs_tmpl && WithoutLabel(*rs_tmpl, kHashLabel) == *tmpl) {
      new_rs = &rs;
    } else {
      olds.push_back(&rs);
    }
  }
  std::sort(olds.begin(), olds.end(), [](Json* a, Json* b) { return OlderFirst(a, b); });
  int64_t max_old_revision = 0;
  for (Json* rs : olds) max_old_revision = std::max(max_old_revision, Revision(*rs));

  int64_t replicas = IntAt(d, {"spec", "replicas"}, 1);
  const Json* paused_json = At(d, {"spec", "paused"});
  bool paused = paused_json && paused_json->is_bool() && paused_json->get_bool();
  DeploymentStrategy strategy = StrategyOf(d, replicas);
  std::string now = FormatRfc3339(clock_->Now());
  std::string progress_reason, progress_message;
  Json created_holder;

  // The ReplicaSet of the current template.
  if (new_rs == nullptr && !paused) {
    int64_t collisions = IntAt(d, {"status", "collisionCount"}, 0);
    std::string hash = TemplateHash(*tmpl, collisions);
    Json rs_tmpl = *tmpl;
    EnsureObject(EnsureObject(rs_tmpl.as_object(), "metadata"), "labels")[kHashLabel] = hash;
    Json rs_selector = *selector_json;
    EnsureObject(rs_selector.as_object(), "matchLabels")[kHashLabel] = hash;
    JsonObject labels;
    if (const Json* l = At(*tmpl, {"metadata", "labels"}); l && l->is_object())
      labels = l->get_object();
    labels[kHashLabel] = hash;
    JsonObject annotations;
    CopyAnnotations(d, annotations);
    annotations[kRevision] = std::to_string(max_old_revision + 1);
    annotations[kDesiredReplicas] = std::to_string(replicas);
    annotations[kMaxReplicas] = std::to_string(replicas + strategy.max_surge);
    JsonObject spec{{"replicas", 0}, {"selector", rs_selector}, {"template", rs_tmpl}};
    if (const Json* m = At(d, {"spec", "minReadySeconds"})) spec["minReadySeconds"] = *m;
    Json rs = JsonObject{
        {"metadata", JsonObject{{"name", fmt::format("{}-{}", name, hash)},
                                {"labels", labels},
                                {"annotations", annotations},
                                {"ownerReferences",
                                 JsonArray{ControllerReference(d, "apps/v1", "Deployment")}}}},
        {"spec", std::move(spec)}};
    Result<Json> created = registry_->Create(ReplicaSetsType(), ns, rs);
    if (created.status().reason() == Reason::kAlreadyExists) {
      // A ReplicaSet of another template has this name: count the collision, try another.
      Json updated = d;
      EnsureObject(updated.as_object(), "status")["collisionCount"] = collisions + 1;
      KSTACK_ASSIGN_OR_RETURN(Json ignored,
                              registry_->UpdateStatus(DeploymentsType(), ns, name, updated));
      (void)ignored;
      return ReconcileResult{.requeue_after = Duration(1)};
    }
    if (!created.ok()) return created.status();
    sets.push_back(std::move(*created));
    new_rs = &sets.back();
    // `olds` points into `sets`, which may have moved: find them again.
    olds.clear();
    for (Json& s : sets) {
      if (&s != new_rs) olds.push_back(&s);
    }
    std::sort(olds.begin(), olds.end(), [](Json* a, Json* b) { return OlderFirst(a, b); });
    progress_reason = "NewReplicaSetCreated";
    progress_message = fmt::format("Created new replica set \"{}\"", Meta(*new_rs, "name"));
  } else if (new_rs != nullptr) {
    // The new ReplicaSet's annotations follow the Deployment (revision, change-cause).
    Json updated = *new_rs;
    JsonObject& annotations =
        EnsureObject(updated.as_object()["metadata"].as_object(), "annotations");
    CopyAnnotations(d, annotations);
    if (Revision(*new_rs) <= max_old_revision) {
      annotations[kRevision] = std::to_string(max_old_revision + 1);
    }
    if (updated != *new_rs) {
      KSTACK_ASSIGN_OR_RETURN(
          *new_rs, registry_->Update(ReplicaSetsType(), ns, Meta(*new_rs, "name"), updated));
    }
  }

  // The Deployment's own revision annotation is its new ReplicaSet's.
  if (new_rs != nullptr) {
    std::string revision = std::to_string(Revision(*new_rs));
    const Json* annotations = At(d, {"metadata", "annotations"});
    if (annotations == nullptr || FindString(*annotations, kRevision) != revision) {
      Json updated = d;
      EnsureObject(updated.as_object()["metadata"].as_object(), "annotations")[kRevision] =
          revision;
      KSTACK_ASSIGN_OR_RETURN(d, registry_->Update(DeploymentsType(), ns, name, updated));
    }
  }

  // Scaling: the wanted spec.replicas of each ReplicaSet.
  std::map<const Json*, int64_t> want =
      PlanReplicaSetSizes(sets, new_rs, replicas, strategy, paused);
  bool scaled_any = false;
  for (Json& rs : sets) {
    int64_t n = want[&rs];
    const Json* annotations = At(rs, {"metadata", "annotations"});
    std::string desired = std::to_string(replicas);
    // Every active ReplicaSet (and the new one) carries the size it was scaled for.
    bool annotated = (&rs != new_rs && n == 0) ||
                     (annotations && FindString(*annotations, kDesiredReplicas) == desired);
    if (n == SpecReplicas(rs) && annotated) continue;
    Json updated = rs;
    updated.as_object()["spec"].as_object()["replicas"] = n;
    if (&rs == new_rs || n > 0) {
      JsonObject& a = EnsureObject(updated.as_object()["metadata"].as_object(), "annotations");
      a[kDesiredReplicas] = desired;
      a[kMaxReplicas] = std::to_string(replicas + strategy.max_surge);
    }
    KSTACK_ASSIGN_OR_RETURN(rs,
                            registry_->Update(ReplicaSetsType(), ns, Meta(rs, "name"), updated));
    scaled_any = true;
  }

  // Status.
  int64_t status_replicas = 0, ready = 0, available = 0;
  for (const Json& rs : sets) {
    status_replicas += StatusCount(rs, "replicas");
    ready += StatusCount(rs, "readyReplicas");
    available += StatusCount(rs, "availableReplicas");
  }
  int64_t updated_replicas = new_rs ? StatusCount(*new_rs, "replicas") : 0;
  Json updated = d;
  JsonObject& status = EnsureObject(updated.as_object(), "status");
  const Json old_status = status;
  int64_t generation = IntAt(d, {"metadata", "generation"}, 1);
  status["observedGeneration"] = generation;
  status["replicas"] = status_replicas;
  status["updatedReplicas"] = updated_replicas;
  status["readyReplicas"] = ready;
  status["availableReplicas"] = available;
  status["unavailableReplicas"] = std::max<int64_t>(replicas - available, 0);
  for (const char* field : {"replicas", "updatedReplicas", "readyReplicas", "availableReplicas",
                            "unavailableReplicas"}) {
    if (status[field].as_int64() == 0) status.erase(field);
  }
  Json& conditions = status["conditions"];
  if (available >= replicas - strategy.max_unavailable) {
    SetCondition(conditions, "Available", "True", "MinimumReplicasAvailable",
                 "Deployment has minimum availability.", now, true);
  } else {
    SetCondition(conditions, "Available", "False", "MinimumReplicasUnavailable",
                 "Deployment does not have minimum availability.", now, true);
  }
  const Json* progressing = FindCondition(updated, "Progressing");
  std::string_view last_reason = progressing ? FindString(*progressing, "reason") : "";
  std::string rs_name(new_rs ? Meta(*new_rs, "name") : "");
  bool complete = new_rs != nullptr && updated_replicas == replicas &&
                  status_replicas == replicas && available == replicas;
  ReconcileResult result;
  if (paused) {
    progress_reason = "DeploymentPaused";
    progress_message = "Deployment is paused";
    SetCondition(conditions, "Progressing", "Unknown", progress_reason, progress_message, now,
                 true);
  } else if (last_reason == "DeploymentPaused") {
    SetCondition(conditions, "Progressing", "Unknown", "DeploymentResumed", "Deployment is resumed",
                 now, true);
    result.requeue_after = Duration(1);
  } else if (complete) {
    SetCondition(conditions, "Progressing", "True", "NewReplicaSetAvailable",
                 fmt::format("ReplicaSet \"{}\" has successfully progressed.", rs_name), now, true);
  } else if (!progress_reason.empty()) {
    SetCondition(conditions, "Progressing", "True", progress_reason, progress_message, now, true);
  } else {
    auto grew = [&](std::string_view field) {
      return IntAt(updated, {"status", field}, 0) >
             IntAt(Json(JsonObject{{"status", old_status}}), {"status", field}, 0);
    };
    bool progressed =
        scaled_any || grew("updatedReplicas") || grew("readyReplicas") ||
        grew("availableReplicas") ||
        IntAt(updated, {"status", "replicas"}, 0) <
            IntAt(Json(JsonObject{{"status", old_status}}), {"status", "replicas"}, 0);
    if (progressing == nullptr && new_rs != nullptr) {
      SetCondition(conditions, "Progressing", "True", "FoundNewReplicaSet",
                   fmt::format("Found new replica set \"{}\"", rs_name), now, true);
    } else if (progressed || last_reason == "NewReplicaSetAvailable" ||
               last_reason == "DeploymentResumed") {
      std::string message = fmt::format("ReplicaSet \"{}\" is progressing.", rs_name);
      if (!SetCondition(conditions, "Progressing", "True", "ReplicaSetUpdated", message, now,
                        true)) {
        for (Json& c : conditions.as_array()) {
          if (FindString(c, "type") == "Progressing") c.as_object()["lastUpdateTime"] = now;
        }
      }
    } else if (progressing != nullptr && FindString(*progressing, "status") == "True") {
      // No progress: past progressDeadlineSeconds since the last, the rollout has timed out.
      int64_t deadline = IntAt(d, {"spec", "progressDeadlineSeconds"}, 600);
      Clock::WallTime last{};
      if (ParseRfc3339(FindString(*progressing, "lastUpdateTime"), &last)) {
        auto left = std::chrono::seconds(deadline) - (clock_->Now() - last);
        if (left <= Clock::WallTime::duration::zero()) {
          SetCondition(conditions, "Progressing", "False", "ProgressDeadlineExceeded",
                       fmt::format("ReplicaSet \"{}\" has timed out progressing.", rs_name), now,
                       true);
        } else {
          result.requeue_after = std::chrono::duration_cast<Duration>(left) + Duration(10);
        }
      }
    }
  }
  // Available before Progressing, as Kubernetes lists them.
  std::stable_sort(
      conditions.as_array().begin(), conditions.as_array().end(), [](const Json& a, const Json& b) {
        return FindString(a, "type") == "Available" && FindString(b, "type") != "Available";
      });
  if (Json(status) != old_status) {
    Result<Json> written = registry_->UpdateStatus(DeploymentsType(), ns, name, updated);
    if (!written.ok() && written.status().reason() != Reason::kNotFound) return written.status();
  }

  // Old ReplicaSets beyond revisionHistoryLimit go once the rollout is complete.
  if (complete && !paused) {
    int64_t limit = IntAt(d, {"spec", "revisionHistoryLimit"}, 10);
    std::vector<const Json*> idle;
    for (const Json* rs : olds) {
      if (SpecReplicas(*rs) == 0 && StatusCount(*rs, "replicas") == 0 &&
          At(*rs, {"metadata", "deletionTimestamp"}) == nullptr) {
        idle.push_back(rs);
      }
    }
    std::sort(idle.begin(), idle.end(),
              [](const Json* a, const Json* b) { return Revision(*a) < Revision(*b); });
    for (size_t i = 0; static_cast<int64_t>(idle.size() - i) > limit; ++i) {
      Result<Json> gone = registry_->Delete(ReplicaSetsType(), ns, Meta(*idle[i], "name"));
      if (!gone.ok() && gone.status().reason() != Reason::kNotFound) return gone.status();
    }
  }
  return result;
}

}  // namespace kstack::server::workloads
