#include "server/workloads/replicaset_controller.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "core/log.h"
#include "machinery/selector.h"
#include "server/workloads/objects.h"
#include "server/workloads/pod_template.h"
#include "server/workloads/slow_start.h"

namespace kstack::server::workloads {
namespace {

const ResourceType& PodsType() { return *machinery::FindBuiltinResource("", "v1", "pods"); }
const ResourceType& ReplicaSetsType() {
  return *machinery::FindBuiltinResource("apps", "v1", "replicasets");
}

// Kubernetes' order of deletion: the pods that cost least to lose first.
int PhaseRank(const Json& pod) {
  std::string_view phase = FindString(FindMember(pod, "status") ? pod.at("status") : pod, "phase");
  if (phase == "Pending") return 0;
  if (phase == "Unknown") return 1;
  return 2;
}

bool DeleteFirst(const Json* a, const Json* b) {
  bool a_bound = !FindString(a->at("spec"), "nodeName").empty();
  bool b_bound = !FindString(b->at("spec"), "nodeName").empty();
  if (a_bound != b_bound) return !a_bound;
  if (PhaseRank(*a) != PhaseRank(*b)) return PhaseRank(*a) < PhaseRank(*b);
  if (IsReady(*a) != IsReady(*b)) return !IsReady(*a);
  if (Meta(*a, "creationTimestamp") != Meta(*b, "creationTimestamp")) {
    return Meta(*a, "creationTimestamp") > Meta(*b, "creationTimestamp");
  }
  return Meta(*a, "name") > Meta(*b, "name");
}

bool LabelsCover(const Json& pod, const Json& pod_template) {
  const Json* want = At(pod_template, {"metadata", "labels"});
  if (want == nullptr || !want->is_object()) return true;
  const Json* have = At(pod, {"metadata", "labels"});
  for (const auto& kv : want->get_object()) {
    const Json* v = have ? FindMember(*have, kv.key()) : nullptr;
    if (v == nullptr || *v != kv.value()) return false;
  }
  return true;
}

// Ready for at least `min_ready` seconds at `now`.
bool IsAvailable(const Json& pod, int64_t min_ready, Clock::WallTime now) {
  if (!IsReady(pod)) return false;
  if (min_ready <= 0) return true;
  const Json* ready = FindCondition(pod, "Ready");
  Clock::WallTime since{};
  if (!ParseRfc3339(FindString(*ready, "lastTransitionTime"), &since)) return false;
  return now - since >= std::chrono::seconds(min_ready);
}

}  // namespace

ReplicaSetController::ReplicaSetController(ObjectRegistry* registry, const Clock* clock)
    : registry_(registry), clock_(clock) {}

Status ReplicaSetController::Start() {
  loop_ = std::make_unique<ControllerLoop>(ControllerLoopOptions{
      .name = "replicaset-controller",
      .workers = 4,
      .resync = Duration(30000),
      .list_keys =
          [this] {
            std::vector<std::string> keys;
            Result<Json> list = registry_->List(ReplicaSetsType(), "", {});
            if (list.ok()) {
              for (const Json& rs : list->at("items").as_array()) keys.push_back(KeyOf(rs));
            }
            return keys;
          },
      .reconcile = [this](const std::string& key) { return Reconcile(key); },
  });
  loop_->Start();
  return Status::Ok();
}

void ReplicaSetController::Stop() {
  if (loop_) loop_->Stop();
}

void ReplicaSetController::Enqueue(const std::string& key) {
  if (loop_) loop_->Enqueue(key);
}

Result<ReconcileResult> ReplicaSetController::Reconcile(const std::string& key) {
  auto [ns, name] = SplitKey(key);
  Result<Json> got = registry_->Get(ReplicaSetsType(), ns, name);
  if (got.status().reason() == Reason::kNotFound) return ReconcileResult{};
  if (!got.ok()) return got.status();
  const Json& rs = *got;
  const Json* selector_json = At(rs, {"spec", "selector"});
  Result<machinery::LabelSelector> selector =
      selector_json
          ? machinery::LabelSelector::FromJson(*selector_json)
          : Result<machinery::LabelSelector>(InvalidError("spec.selector: Required value"));
  if (!selector.ok() || selector->empty()) return ReconcileResult{};  // refused at admission
  KSTACK_ASSIGN_OR_RETURN(
      Json pods, registry_->List(PodsType(), ns, {.label_selector = selector->ToString()}));
  std::string uid(Meta(rs, "uid"));
  bool deleting = At(rs, {"metadata", "deletionTimestamp"}) != nullptr;
  std::vector<Json> owned;
  for (Json& pod : pods.at("items").as_array()) {
    if (ControlledBy(pod, "ReplicaSet", uid)) {
      owned.push_back(std::move(pod));
    } else if (ControllerOf(pod) == nullptr && !deleting && IsActive(pod)) {
      // An orphan that matches: adopted, as Kubernetes' controllers adopt.
      Json adopted = pod;
      JsonObject& meta = adopted.as_object()["metadata"].as_object();
      Json& refs = meta["ownerReferences"];
      if (!refs.is_array()) refs = JsonArray();
      refs.get_array().push_back(ControllerReference(rs, "apps/v1", "ReplicaSet"));
      Result<Json> written = registry_->Update(PodsType(), ns, Meta(pod, "name"), adopted);
      if (written.ok()) owned.push_back(std::move(*written));
    }
  }
  std::vector<const Json*> active;
  for (const Json& pod : owned) {
    if (IsActive(pod)) active.push_back(&pod);
  }
  int64_t replicas = IntAt(rs, {"spec", "replicas"}, 1);
  const Json* pod_template = At(rs, {"spec", "template"});
  Status manage = Status::Ok();
  std::vector<Json> created;
  std::mutex created_mu;
  size_t deleted = 0;
  if (!deleting && pod_template != nullptr) {
    int64_t diff = replicas - static_cast<int64_t>(active.size());
    if (diff > 0) {
      Json pod = PodFromTemplate(*pod_template, rs, "apps/v1", "ReplicaSet");
      auto [count, status] =
          SlowStart(static_cast<size_t>(std::min<int64_t>(diff, 500)), 32, [&](size_t) -> Status {
            Result<Json> c = registry_->Create(PodsType(), ns, pod);
            if (!c.ok()) return c.status();
            std::lock_guard lock(created_mu);
            created.push_back(std::move(*c));
            return Status::Ok();
          });
      manage = status;
    } else if (diff < 0) {
      std::sort(active.begin(), active.end(), DeleteFirst);
      auto [count, status] = SlowStart(static_cast<size_t>(-diff), 32, [&](size_t i) -> Status {
        Result<Json> d = registry_->Delete(PodsType(), ns, Meta(*active[i], "name"));
        if (!d.ok() && d.status().reason() != Reason::kNotFound) return d.status();
        return Status::Ok();
      });
      deleted = count;
      manage = status;
    }
  }
  // Status, as the pods now are: the surplus just deleted no longer counts.
  Clock::WallTime now = clock_->Now();
  int64_t min_ready = IntAt(rs, {"spec", "minReadySeconds"}, 0);
  int64_t count = 0, labeled = 0, ready = 0, available = 0;
  std::vector<const Json*> counted(
      active.begin() + static_cast<std::ptrdiff_t>(std::min(deleted, active.size())), active.end());
  for (const Json& pod : created) counted.push_back(&pod);
  bool waiting_for_available = false;
  for (const Json* pod : counted) {
    ++count;
    if (pod_template && LabelsCover(*pod, *pod_template)) ++labeled;
    if (IsReady(*pod)) {
      ++ready;
      if (IsAvailable(*pod, min_ready, now)) {
        ++available;
      } else {
        waiting_for_available = true;
      }
    }
  }
  Json updated = rs;
  JsonObject& status = EnsureObject(updated.as_object(), "status");
  status["replicas"] = count;
  status["fullyLabeledReplicas"] = labeled;
  status["readyReplicas"] = ready;
  status["availableReplicas"] = available;
  status["observedGeneration"] = IntAt(rs, {"metadata", "generation"}, 1);
  // Kubernetes leaves zero counts out of the status it writes.
  for (const char* field : {"fullyLabeledReplicas", "readyReplicas", "availableReplicas"}) {
    if (status[field].as_int64() == 0) status.erase(field);
  }
  std::string now_text = FormatRfc3339(now);
  if (!manage.ok()) {
    SetCondition(status["conditions"], "ReplicaFailure", "True", "FailedCreate", manage.message(),
                 now_text);
  } else if (const Json* c = status.if_contains("conditions"); c && c->is_array()) {
    JsonArray kept;
    for (const Json& cond : c->get_array()) {
      if (FindString(cond, "type") != "ReplicaFailure") kept.push_back(cond);
    }
    if (kept.empty()) {
      status.erase("conditions");
    } else {
      status["conditions"] = std::move(kept);
    }
  }
  if (updated != rs) {
    Result<Json> written = registry_->UpdateStatus(ReplicaSetsType(), ns, name, updated);
    if (!written.ok() && written.status().reason() != Reason::kNotFound) return written.status();
  }
  if (!manage.ok()) return manage;
  if (waiting_for_available) {
    return ReconcileResult{.requeue_after = std::chrono::seconds(1)};
  }
  return ReconcileResult{};
}

}  // namespace kstack::server::workloads
