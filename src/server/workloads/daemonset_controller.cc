#include "server/workloads/daemonset_controller.h"

#include <fmt/format.h>

#include <map>
#include <set>
#include <vector>

#include "machinery/selector.h"
#include "server/workloads/controller_revisions.h"
#include "server/workloads/objects.h"
#include "server/workloads/pod_template.h"
#include "server/workloads/scheduler.h"

namespace kstack::server::workloads {
namespace {

const ResourceType& PodsType() { return *machinery::FindBuiltinResource("", "v1", "pods"); }
const ResourceType& NodesType() { return *machinery::FindBuiltinResource("", "v1", "nodes"); }
const ResourceType& DaemonSetsType() {
  return *machinery::FindBuiltinResource("apps", "v1", "daemonsets");
}

constexpr std::string_view kRevisionLabel = "controller-revision-hash";

std::string_view RevisionOf(const Json& pod) {
  const Json* labels = At(pod, {"metadata", "labels"});
  return labels ? FindString(*labels, kRevisionLabel) : std::string_view();
}

// The tolerations Kubernetes gives every daemon pod.
void AddDaemonTolerations(JsonObject& spec) {
  Json& tolerations = spec["tolerations"];
  if (!tolerations.is_array()) tolerations = JsonArray();
  auto add = [&](std::string_view key, std::string_view effect) {
    for (const Json& t : tolerations.as_array()) {
      if (FindString(t, "key") == key && FindString(t, "effect") == effect) return;
    }
    tolerations.as_array().push_back(
        JsonObject{{"key", key}, {"operator", "Exists"}, {"effect", effect}});
  };
  add("node.kubernetes.io/not-ready", "NoExecute");
  add("node.kubernetes.io/unreachable", "NoExecute");
  add("node.kubernetes.io/disk-pressure", "NoSchedule");
  add("node.kubernetes.io/memory-pressure", "NoSchedule");
  add("node.kubernetes.io/pid-pressure", "NoSchedule");
  add("node.kubernetes.io/unschedulable", "NoSchedule");
}

}  // namespace

DaemonSetController::DaemonSetController(ObjectRegistry* registry, const Clock* clock)
    : registry_(registry), clock_(clock) {}

std::vector<std::string> DaemonSetController::AllKeys() {
  std::vector<std::string> keys;
  Result<Json> list = registry_->List(DaemonSetsType(), "", {});
  if (list.ok()) {
    for (const Json& ds : list->at("items").as_array()) keys.push_back(KeyOf(ds));
  }
  return keys;
}

Status DaemonSetController::Start() {
  loop_ = std::make_unique<ControllerLoop>(ControllerLoopOptions{
      .name = "daemonset-controller",
      .workers = 2,
      .resync = Duration(30000),
      .list_keys = [this] { return AllKeys(); },
      .reconcile = [this](const std::string& key) { return Reconcile(key); },
  });
  loop_->Start();
  return Status::Ok();
}

void DaemonSetController::Stop() {
  if (loop_) loop_->Stop();
}

void DaemonSetController::Enqueue(const std::string& key) {
  if (loop_) loop_->Enqueue(key);
}

void DaemonSetController::NodesChanged() {
  if (!loop_) return;
  for (const std::string& key : AllKeys()) loop_->Enqueue(key);
}

Result<ReconcileResult> DaemonSetController::Reconcile(const std::string& key) {
  auto [ns, name] = SplitKey(key);
  Result<Json> got = registry_->Get(DaemonSetsType(), ns, name);
  if (got.status().reason() == Reason::kNotFound) return ReconcileResult{};
  if (!got.ok()) return got.status();
  const Json& ds = *got;
  if (At(ds, {"metadata", "deletionTimestamp"}) != nullptr) return ReconcileResult{};
  const Json* selector_json = At(ds, {"spec", "selector"});
  const Json* tmpl = At(ds, {"spec", "template"});
  if (selector_json == nullptr || tmpl == nullptr) return ReconcileResult{};
  Result<machinery::LabelSelector> selector = machinery::LabelSelector::FromJson(*selector_json);
  if (!selector.ok() || selector->empty()) return ReconcileResult{};

  KSTACK_ASSIGN_OR_RETURN(RevisionRef revision,
                          EnsureRevision(registry_, ds, "apps/v1", "DaemonSet"));
  std::string hash = revision.name.substr(std::string(name).size() + 1);
  KSTACK_ASSIGN_OR_RETURN(Json nodes, registry_->List(NodesType(), "", {}));
  KSTACK_ASSIGN_OR_RETURN(
      Json pods, registry_->List(PodsType(), ns, {.label_selector = selector->ToString()}));
  std::string uid(Meta(ds, "uid"));
  // The pods of each node: where they are bound, or where their affinity pins them.
  std::map<std::string, std::vector<Json>> by_node;
  for (Json& pod : pods.at("items").as_array()) {
    if (!ControlledBy(pod, "DaemonSet", uid) || !IsActive(pod)) continue;
    std::string node(FindString(pod.at("spec"), "nodeName"));
    if (node.empty()) {
      const Json* fields =
          At(pod, {"spec", "affinity", "nodeAffinity",
                   "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms"});
      if (fields && fields->is_array() && !fields->as_array().empty()) {
        const Json* values = At(fields->as_array()[0], {"matchFields"});
        if (values && values->is_array() && !values->as_array().empty()) {
          const JsonArray* v = FindArray(values->as_array()[0], "values");
          if (v && !v->empty() && (*v)[0].is_string()) node = (*v)[0].get_string();
        }
      }
    }
    by_node[node].push_back(std::move(pod));
  }
  const Json* strategy_type = At(ds, {"spec", "updateStrategy", "type"});
  bool on_delete =
      strategy_type && strategy_type->is_string() && strategy_type->get_string() == "OnDelete";
  int64_t desired = 0, current = 0, misscheduled = 0, ready = 0, updated = 0;
  std::vector<std::string> to_create;
  std::vector<std::pair<std::string, bool>> to_delete;  // pod name, is an outdated one
  std::vector<std::string> outdated;
  std::set<std::string> eligible;
  for (const Json& node : nodes.at("items").as_array()) {
    const Json* tmpl_spec = FindMember(*tmpl, "spec");
    Json probe = JsonObject{{"spec", tmpl_spec ? *tmpl_spec : Json(JsonObject{})}};
    if (NodeMatches(probe, node)) eligible.insert(std::string(Meta(node, "name")));
  }
  for (const std::string& node : eligible) {
    ++desired;
    auto it = by_node.find(node);
    if (it == by_node.end() || it->second.empty()) {
      to_create.push_back(node);
      continue;
    }
    ++current;
    std::vector<Json>& list = it->second;
    for (size_t i = 1; i < list.size(); ++i)
      to_delete.push_back({std::string(Meta(list[i], "name")), false});
    const Json& pod = list[0];
    if (IsReady(pod)) ++ready;
    if (RevisionOf(pod) == hash) {
      ++updated;
    } else {
      outdated.push_back(std::string(Meta(pod, "name")));
    }
  }
  for (const auto& [node, list] : by_node) {
    if (eligible.contains(node)) continue;
    for (const Json& pod : list) {
      ++misscheduled;
      to_delete.push_back({std::string(Meta(pod, "name")), false});
    }
  }
  // Rolling update: replace outdated pods while no more than maxUnavailable are unavailable.
  if (!on_delete && !outdated.empty()) {
    int64_t max_unavailable = ScaledValue(
        At(ds, {"spec", "updateStrategy", "rollingUpdate", "maxUnavailable"}), desired, true, 1);
    if (max_unavailable < 1) max_unavailable = 1;
    int64_t unavailable = desired - ready;
    for (const std::string& pod : outdated) {
      if (unavailable >= max_unavailable) break;
      to_delete.push_back({pod, true});
      ++unavailable;
    }
  }
  for (const auto& [pod, outdated_pod] : to_delete) {
    Result<Json> d = registry_->Delete(PodsType(), ns, pod);
    if (!d.ok() && d.status().reason() != Reason::kNotFound) return d.status();
  }
  Json base = *tmpl;
  EnsureObject(EnsureObject(base.as_object(), "metadata"), "labels")[kRevisionLabel] = hash;
  for (const std::string& node : to_create) {
    Json pod = PodFromTemplate(base, ds, "apps/v1", "DaemonSet");
    JsonObject& spec = pod.as_object()["spec"].as_object();
    AddDaemonTolerations(spec);
    spec["affinity"] = JsonObject{
        {"nodeAffinity",
         JsonObject{
             {"requiredDuringSchedulingIgnoredDuringExecution",
              JsonObject{{"nodeSelectorTerms",
                          JsonArray{JsonObject{
                              {"matchFields",
                               JsonArray{JsonObject{{"key", "metadata.name"},
                                                    {"operator", "In"},
                                                    {"values", JsonArray{Json(node)}}}}}}}}}}}}};
    Result<Json> c = registry_->Create(PodsType(), ns, std::move(pod));
    if (!c.ok()) return c.status();
  }
  Json next = ds;
  JsonObject& status = EnsureObject(next.as_object(), "status");
  status["currentNumberScheduled"] = current;
  status["desiredNumberScheduled"] = desired;
  status["numberMisscheduled"] = misscheduled;
  status["numberReady"] = ready;
  status["numberAvailable"] = ready;
  status["updatedNumberScheduled"] = updated;
  status["observedGeneration"] = IntAt(ds, {"metadata", "generation"}, 1);
  if (desired - ready > 0) {
    status["numberUnavailable"] = desired - ready;
  } else {
    status.erase("numberUnavailable");
  }
  if (ready == 0) status.erase("numberAvailable");
  if (next != ds) {
    Result<Json> written = registry_->UpdateStatus(DaemonSetsType(), ns, name, next);
    if (!written.ok() && written.status().reason() != Reason::kNotFound) return written.status();
  }
  return ReconcileResult{};
}

}  // namespace kstack::server::workloads
