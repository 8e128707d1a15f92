#include "server/workloads/statefulset_controller.h"

#include <fmt/format.h>

#include <map>
#include <vector>

#include "machinery/selector.h"
#include "server/workloads/controller_revisions.h"
#include "server/workloads/objects.h"
#include "server/workloads/pod_template.h"

namespace kstack::server::workloads {
namespace {

const ResourceType& PodsType() { return *machinery::FindBuiltinResource("", "v1", "pods"); }
const ResourceType& StatefulSetsType() {
  return *machinery::FindBuiltinResource("apps", "v1", "statefulsets");
}

constexpr std::string_view kRevisionLabel = "controller-revision-hash";

std::string_view RevisionOf(const Json& pod) {
  const Json* labels = At(pod, {"metadata", "labels"});
  return labels ? FindString(*labels, kRevisionLabel) : std::string_view();
}

// The ordinal of "<set>-<n>", or -1.
int64_t Ordinal(std::string_view set, std::string_view pod) {
  if (pod.size() <= set.size() + 1 || !pod.starts_with(set) || pod[set.size()] != '-') return -1;
  int64_t n = 0;
  for (char c : pod.substr(set.size() + 1)) {
    if (c < '0' || c > '9') return -1;
    n = n * 10 + (c - '0');
  }
  return n;
}

bool RunningAndReady(const Json& pod) {
  return FindString(pod.at("status"), "phase") == "Running" && IsReady(pod);
}

}  // namespace

StatefulSetController::StatefulSetController(ObjectRegistry* registry, const Clock* clock)
    : registry_(registry), clock_(clock) {}

Status StatefulSetController::Start() {
  loop_ = std::make_unique<ControllerLoop>(ControllerLoopOptions{
      .name = "statefulset-controller",
      .workers = 2,
      .resync = Duration(30000),
      .list_keys =
          [this] {
            std::vector<std::string> keys;
            Result<Json> list = registry_->List(StatefulSetsType(), "", {});
            if (list.ok()) {
              for (const Json& s : list->at("items").as_array()) keys.push_back(KeyOf(s));
            }
            return keys;
          },
      .reconcile = [this](const std::string& key) { return Reconcile(key); },
  });
  loop_->Start();
  return Status::Ok();
}

void StatefulSetController::Stop() {
  if (loop_) loop_->Stop();
}

void StatefulSetController::Enqueue(const std::string& key) {
  if (loop_) loop_->Enqueue(key);
}

Result<ReconcileResult> StatefulSetController::Reconcile(const std::string& key) {
  auto [ns, name] = SplitKey(key);
  Result<Json> got = registry_->Get(StatefulSetsType(), ns, name);
  if (got.status().reason() == Reason::kNotFound) return ReconcileResult{};
  if (!got.ok()) return got.status();
  const Json& set = *got;
  if (At(set, {"metadata", "deletionTimestamp"}) != nullptr) return ReconcileResult{};
  const Json* selector_json = At(set, {"spec", "selector"});
  const Json* tmpl = At(set, {"spec", "template"});
  if (selector_json == nullptr || tmpl == nullptr) return ReconcileResult{};
  Result<machinery::LabelSelector> selector = machinery::LabelSelector::FromJson(*selector_json);
  if (!selector.ok() || selector->empty()) return ReconcileResult{};

  KSTACK_ASSIGN_OR_RETURN(RevisionRef revision,
                          EnsureRevision(registry_, set, "apps/v1", "StatefulSet"));
  KSTACK_ASSIGN_OR_RETURN(
      Json pods, registry_->List(PodsType(), ns, {.label_selector = selector->ToString()}));
  std::string uid(Meta(set, "uid"));
  std::map<int64_t, Json> by_ordinal;
  for (Json& pod : pods.at("items").as_array()) {
    if (!ControlledBy(pod, "StatefulSet", uid)) continue;
    int64_t ordinal = Ordinal(name, Meta(pod, "name"));
    if (ordinal >= 0) by_ordinal.emplace(ordinal, std::move(pod));
  }
  int64_t replicas = IntAt(set, {"spec", "replicas"}, 1);
  bool parallel = FindString(set.at("spec"), "podManagementPolicy") == "Parallel";
  const Json* strategy_type = At(set, {"spec", "updateStrategy", "type"});
  bool on_delete =
      strategy_type && strategy_type->is_string() && strategy_type->get_string() == "OnDelete";
  int64_t partition = IntAt(set, {"spec", "updateStrategy", "rollingUpdate", "partition"}, 0);
  std::string service(FindString(set.at("spec"), "serviceName"));
  std::string current_revision(
      FindString(FindMember(set, "status") ? set.at("status") : set, "currentRevision"));
  if (current_revision.empty()) current_revision = revision.name;

  auto make_pod = [&](int64_t ordinal, const std::string& rev) {
    std::string pod_name = fmt::format("{}-{}", name, ordinal);
    Json pod = PodFromTemplate(*tmpl, set, "apps/v1", "StatefulSet", pod_name);
    JsonObject& labels = EnsureObject(pod.as_object()["metadata"].as_object(), "labels");
    labels[kRevisionLabel] = rev;
    labels["statefulset.kubernetes.io/pod-name"] = pod_name;
    labels["apps.kubernetes.io/pod-index"] = std::to_string(ordinal);
    JsonObject& spec = pod.as_object()["spec"].as_object();
    spec["hostname"] = pod_name;
    if (!service.empty()) spec["subdomain"] = service;
    return pod;
  };

  bool all_ready = true;
  bool acted = false;
  // Terminal or surplus pods first, highest ordinal first.
  for (auto it = by_ordinal.rbegin(); it != by_ordinal.rend(); ++it) {
    auto& [ordinal, pod] = *it;
    bool surplus = ordinal >= replicas;
    if (!surplus && !IsTerminal(pod)) {
      if (!RunningAndReady(pod)) all_ready = false;
      continue;
    }
    if (surplus && !parallel && acted) break;
    if (surplus && !parallel) {
      // OrderedReady: one at a time, and only while the others are healthy.
      bool others_ready = true;
      for (const auto& [o, p] : by_ordinal) {
        if (o < ordinal && !RunningAndReady(p)) others_ready = false;
      }
      if (!others_ready) break;
    }
    Result<Json> d = registry_->Delete(PodsType(), ns, Meta(pod, "name"));
    if (!d.ok() && d.status().reason() != Reason::kNotFound) return d.status();
    acted = true;
  }
  // Missing pods, lowest ordinal first.
  for (int64_t ordinal = 0; ordinal < replicas && !acted; ++ordinal) {
    auto it = by_ordinal.find(ordinal);
    if (it != by_ordinal.end() && !IsTerminal(it->second)) {
      if (!parallel && !RunningAndReady(it->second)) break;  // wait for it
      continue;
    }
    // Below the partition, a recreated pod keeps the current revision.
    std::string rev = !on_delete && ordinal < partition ? current_revision : revision.name;
    Result<Json> c = registry_->Create(PodsType(), ns, make_pod(ordinal, rev));
    if (!c.ok() && c.status().reason() != Reason::kAlreadyExists) return c.status();
    if (!parallel) acted = true;
  }
  // Rolling update: the highest outdated pod at or above the partition, once all are ready.
  if (!on_delete && !acted && all_ready) {
    for (auto it = by_ordinal.rbegin(); it != by_ordinal.rend(); ++it) {
      auto& [ordinal, pod] = *it;
      if (ordinal >= replicas || ordinal < partition) continue;
      if (RevisionOf(pod) == revision.name) continue;
      Result<Json> d = registry_->Delete(PodsType(), ns, Meta(pod, "name"));
      if (!d.ok() && d.status().reason() != Reason::kNotFound) return d.status();
      break;
    }
  }
  // Status, from the pods as listed.
  int64_t count = 0, ready = 0, current = 0, updated = 0;
  for (const auto& [ordinal, pod] : by_ordinal) {
    if (!IsActive(pod)) continue;
    ++count;
    if (IsReady(pod)) ++ready;
    if (RevisionOf(pod) == revision.name) ++updated;
    if (RevisionOf(pod) == current_revision) ++current;
  }
  Json next = set;
  JsonObject& status = EnsureObject(next.as_object(), "status");
  if (updated == replicas && count == replicas && ready == replicas) {
    current_revision = revision.name;
    current = updated;
  }
  status["observedGeneration"] = IntAt(set, {"metadata", "generation"}, 1);
  status["replicas"] = count;
  status["readyReplicas"] = ready;
  status["availableReplicas"] = ready;
  status["currentReplicas"] = current;
  status["updatedReplicas"] = updated;
  status["currentRevision"] = current_revision;
  status["updateRevision"] = revision.name;
  status["collisionCount"] = IntAt(set, {"status", "collisionCount"}, 0);
  for (const char* field : {"readyReplicas", "currentReplicas", "updatedReplicas"}) {
    if (status[field].as_int64() == 0) status.erase(field);
  }
  if (next != set) {
    Result<Json> written = registry_->UpdateStatus(StatefulSetsType(), ns, name, next);
    if (!written.ok() && written.status().reason() != Reason::kNotFound) return written.status();
  }
  return ReconcileResult{};
}

}  // namespace kstack::server::workloads
