#include "server/workloads/scheduler.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "core/log.h"
#include "machinery/selector.h"
#include "server/workloads/objects.h"

namespace kstack::server::workloads {
namespace {

const ResourceType& PodsType() { return *machinery::FindBuiltinResource("", "v1", "pods"); }
const ResourceType& NodesType() { return *machinery::FindBuiltinResource("", "v1", "nodes"); }

constexpr std::string_view kSelectorMismatch = "node(s) didn't match Pod's node affinity/selector";
constexpr std::string_view kUnschedulableNode = "node(s) were unschedulable";
constexpr std::string_view kNotReady =
    "node(s) had untolerated taint {node.kubernetes.io/not-ready: }";
constexpr std::string_view kTooManyPods = "Too many pods";
constexpr std::string_view kInsufficientCpu = "Insufficient cpu";
constexpr std::string_view kInsufficientMemory = "Insufficient memory";

int64_t Allocatable(const Json& node, std::string_view resource) {
  const Json* value = At(node, {"status", "allocatable", resource});
  if (value == nullptr) return 0;
  return MilliValueOf(*value).value_or(0);
}

std::string_view Label(const Json& node, std::string_view key) {
  const Json* labels = At(node, {"metadata", "labels"});
  return labels ? FindString(*labels, key) : std::string_view();
}

bool HasLabel(const Json& node, std::string_view key) {
  const Json* labels = At(node, {"metadata", "labels"});
  return labels && FindMember(*labels, key) != nullptr;
}

// One NodeSelectorRequirement against a value (present or not).
bool RequirementMatches(const Json& req, bool present, std::string_view value) {
  std::string_view op = FindString(req, "operator");
  const JsonArray* values = FindArray(req, "values");
  auto contains = [&] {
    if (values == nullptr) return false;
    for (const Json& v : *values) {
      if (v.is_string() && v.get_string() == value) return true;
    }
    return false;
  };
  auto number = [&](std::string_view text, int64_t* out) {
    if (text.empty()) return false;
    int64_t v = 0;
    for (char c : text) {
      if (c < '0' || c > '9') return false;
      v = v * 10 + (c - '0');
    }
    *out = v;
    return true;
  };
  if (op == "In") return present && contains();
  if (op == "NotIn") return !present || !contains();
  if (op == "Exists") return present;
  if (op == "DoesNotExist") return !present;
  if (op == "Gt" || op == "Lt") {
    int64_t have = 0, want = 0;
    if (!present || values == nullptr || values->size() != 1 || !(*values)[0].is_string() ||
        !number(value, &have) || !number((*values)[0].get_string(), &want)) {
      return false;
    }
    return op == "Gt" ? have > want : have < want;
  }
  return false;
}

bool TermMatches(const Json& term, const Json& node) {
  const JsonArray* expressions = FindArray(term, "matchExpressions");
  const JsonArray* fields = FindArray(term, "matchFields");
  if ((expressions == nullptr || expressions->empty()) && (fields == nullptr || fields->empty())) {
    return false;  // an empty term matches no node
  }
  if (expressions != nullptr) {
    for (const Json& req : *expressions) {
      std::string_view key = FindString(req, "key");
      if (!RequirementMatches(req, HasLabel(node, key), Label(node, key))) return false;
    }
  }
  if (fields != nullptr) {
    for (const Json& req : *fields) {
      if (FindString(req, "key") != "metadata.name") return false;
      if (!RequirementMatches(req, true, Meta(node, "name"))) return false;
    }
  }
  return true;
}

bool SelectorMatches(const Json& pod, const Json& node) {
  if (const JsonObject* selector =
          FindObject(FindMember(pod, "spec") ? pod.at("spec") : pod, "nodeSelector")) {
    for (const auto& kv : *selector) {
      if (!kv.value().is_string() || !HasLabel(node, kv.key()) ||
          Label(node, kv.key()) != kv.value().get_string()) {
        return false;
      }
    }
  }
  const Json* terms =
      At(pod, {"spec", "affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution",
               "nodeSelectorTerms"});
  if (terms != nullptr && terms->is_array()) {
    bool any = false;
    for (const Json& term : terms->get_array()) any = any || TermMatches(term, node);
    if (!any) return false;
  }
  return true;
}

}  // namespace

bool NodeMatches(const Json& pod, const Json& node) { return SelectorMatches(pod, node); }

namespace {

bool Tolerates(const Json& pod, std::string_view key) {
  const Json* tolerations = At(pod, {"spec", "tolerations"});
  if (tolerations == nullptr || !tolerations->is_array()) return false;
  for (const Json& t : tolerations->get_array()) {
    std::string_view k = FindString(t, "key");
    if ((k.empty() && FindString(t, "operator") == "Exists") || k == key) return true;
  }
  return false;
}

std::pair<int64_t, int64_t> ContainerRequests(const Json& container) {
  int64_t cpu = 0, memory = 0;
  for (const char* kind : {"limits", "requests"}) {  // requests win over limits
    const Json* resources = At(container, {"resources", kind});
    if (resources == nullptr) continue;
    if (const Json* c = FindMember(*resources, "cpu")) cpu = MilliValueOf(*c).value_or(cpu);
    if (const Json* m = FindMember(*resources, "memory")) {
      memory = MilliValueOf(*m).value_or(memory);
    }
  }
  return {cpu, memory};
}

}  // namespace

std::pair<int64_t, int64_t> PodRequests(const Json& pod) {
  int64_t cpu = 0, memory = 0;
  if (const Json* containers = At(pod, {"spec", "containers"});
      containers && containers->is_array()) {
    for (const Json& c : containers->get_array()) {
      auto [cc, cm] = ContainerRequests(c);
      cpu += cc;
      memory += cm;
    }
  }
  if (const Json* init = At(pod, {"spec", "initContainers"}); init && init->is_array()) {
    for (const Json& c : init->get_array()) {
      auto [cc, cm] = ContainerRequests(c);
      cpu = std::max(cpu, cc);
      memory = std::max(memory, cm);
    }
  }
  return {cpu, memory};
}

Scheduler::Scheduler(ObjectRegistry* registry, const Clock* clock)
    : registry_(registry), clock_(clock) {}

Status Scheduler::Start() {
  KSTACK_ASSIGN_OR_RETURN(Json nodes, registry_->List(NodesType(), "", {}));
  for (const Json& node : nodes.at("items").as_array()) ObserveNode(node, false);
  loop_ = std::make_unique<ControllerLoop>(ControllerLoopOptions{
      .name = "scheduler",
      .workers = 4,
      .resync = Duration(5000),
      .list_keys =
          [this] {
            std::lock_guard lock(mu_);
            return std::vector<std::string>(unschedulable_.begin(), unschedulable_.end());
          },
      .reconcile = [this](const std::string& key) { return Reconcile(key); },
  });
  KSTACK_ASSIGN_OR_RETURN(Json pods, registry_->List(PodsType(), "", {}));
  for (const Json& pod : pods.at("items").as_array()) ObservePod(pod, false);
  loop_->Start();
  return Status::Ok();
}

void Scheduler::Stop() {
  if (loop_) loop_->Stop();
}

void Scheduler::Observe(const ResourceType& type, const Json& object, bool deleted) {
  if (!type.group.empty()) return;
  if (type.kind == "Pod") ObservePod(object, deleted);
  if (type.kind == "Node") ObserveNode(object, deleted);
}

void Scheduler::ObserveNode(const Json& node, bool deleted) {
  std::string name(Meta(node, "name"));
  std::vector<std::string> retry;
  {
    std::lock_guard lock(mu_);
    if (deleted) {
      nodes_.erase(name);
    } else {
      NodeInfo& info = nodes_[name];
      info.object = node;
      info.cpu = Allocatable(node, "cpu");
      info.memory = Allocatable(node, "memory");
      info.pods = Allocatable(node, "pods") / 1000;
      const Json* ready = FindCondition(node, "Ready");
      const Json* unschedulable = At(node, {"spec", "unschedulable"});
      info.schedulable = ready && FindString(*ready, "status") == "True" &&
                         !(unschedulable && unschedulable->is_bool() && unschedulable->get_bool());
    }
    retry.assign(unschedulable_.begin(), unschedulable_.end());
  }
  if (loop_) {
    for (const std::string& key : retry) loop_->Enqueue(key);
  }
}

void Scheduler::ReleaseLocked(const std::string& key) {
  auto it = assigned_.find(key);
  if (it == assigned_.end()) return;
  Usage& usage = usage_[it->second.node];
  usage.cpu -= it->second.cpu;
  usage.memory -= it->second.memory;
  usage.pods -= 1;
  assigned_.erase(it);
}

void Scheduler::ObservePod(const Json& pod, bool deleted) {
  std::string key = KeyOf(pod);
  std::string_view node = FindString(pod.at("spec"), "nodeName");
  bool pending = false;
  {
    std::lock_guard lock(mu_);
    if (deleted || IsTerminal(pod)) {
      ReleaseLocked(key);
      unschedulable_.erase(key);
    } else if (!node.empty()) {
      unschedulable_.erase(key);
      auto it = assigned_.find(key);
      if (it == assigned_.end() || it->second.node != node) {
        ReleaseLocked(key);
        auto [cpu, memory] = PodRequests(pod);
        assigned_[key] = Requests{.node = std::string(node), .cpu = cpu, .memory = memory};
        Usage& usage = usage_[std::string(node)];
        usage.cpu += cpu;
        usage.memory += memory;
        usage.pods += 1;
      }
    } else if (At(pod, {"metadata", "deletionTimestamp"}) == nullptr) {
      pending = true;
    }
  }
  if (pending && loop_) loop_->Enqueue(key);
}

std::string Scheduler::Choose(const std::string& key, const Json& pod, std::string* why) {
  auto [cpu, memory] = PodRequests(pod);
  std::lock_guard lock(mu_);
  std::map<std::string_view, int> reasons;
  std::set<std::string_view> not_helpful = {kSelectorMismatch, kUnschedulableNode, kNotReady};
  const NodeInfo* best = nullptr;
  const std::string* best_name = nullptr;
  double best_score = 0;
  for (const auto& [name, info] : nodes_) {
    if (!SelectorMatches(pod, info.object)) {
      ++reasons[kSelectorMismatch];
      continue;
    }
    const Json* unschedulable = At(info.object, {"spec", "unschedulable"});
    if (unschedulable && unschedulable->is_bool() && unschedulable->get_bool() &&
        !Tolerates(pod, "node.kubernetes.io/unschedulable")) {
      ++reasons[kUnschedulableNode];
      continue;
    }
    if (!info.schedulable && !Tolerates(pod, "node.kubernetes.io/not-ready")) {
      ++reasons[kNotReady];
      continue;
    }
    const Usage& usage = usage_[name];
    bool fits = true;
    if (usage.pods + 1 > info.pods) ++reasons[kTooManyPods], fits = false;
    if (cpu > 0 && usage.cpu + cpu > info.cpu) ++reasons[kInsufficientCpu], fits = false;
    if (memory > 0 && usage.memory + memory > info.memory) {
      ++reasons[kInsufficientMemory], fits = false;
    }
    if (!fits) continue;
    // Least requested: the mean free fraction of cpu and memory, then of pod slots.
    double score = (info.cpu ? 1.0 - double(usage.cpu + cpu) / info.cpu : 0) +
                   (info.memory ? 1.0 - double(usage.memory + memory) / info.memory : 0) +
                   (info.pods ? 1.0 - double(usage.pods + 1) / info.pods : 0);
    if (best == nullptr || score > best_score) {
      best = &info, best_name = &name, best_score = score;
    }
  }
  if (best != nullptr) {
    ReleaseLocked(key);
    assigned_[key] = Requests{.node = *best_name, .cpu = cpu, .memory = memory};
    Usage& usage = usage_[*best_name];
    usage.cpu += cpu;
    usage.memory += memory;
    usage.pods += 1;
    return *best_name;
  }
  size_t total = nodes_.size();
  if (total == 0) {
    *why = "no nodes available to schedule pods";
    return "";
  }
  std::vector<std::string> fit, preemption;
  std::map<std::string_view, int> victims;
  for (const auto& [reason, count] : reasons) {
    fit.push_back(fmt::format("{} {}", count, reason));
  }
  // A node counts once in the preemption summary, by its first failing reason.
  int helpless = 0, no_victims = 0;
  for (const auto& [reason, count] : reasons) {
    (not_helpful.contains(reason) ? helpless : no_victims) += count;
  }
  helpless = std::min<int>(helpless, static_cast<int>(total));
  no_victims = std::min<int>(no_victims, static_cast<int>(total) - helpless);
  if (no_victims > 0)
    preemption.push_back(
        fmt::format("{} No preemption victims found for incoming pod", no_victims));
  if (helpless > 0)
    preemption.push_back(fmt::format("{} Preemption is not helpful for scheduling", helpless));
  std::sort(fit.begin(), fit.end());
  std::sort(preemption.begin(), preemption.end());
  *why = fmt::format("0/{} nodes are available: {}. preemption: 0/{} nodes are available: {}.",
                     total, fmt::join(fit, ", "), total, fmt::join(preemption, ", "));
  return "";
}

Result<ReconcileResult> Scheduler::Reconcile(const std::string& key) {
  auto [ns, name] = SplitKey(key);
  Result<Json> pod = registry_->Get(PodsType(), ns, name);
  if (pod.status().reason() == Reason::kNotFound) {
    std::lock_guard lock(mu_);
    unschedulable_.erase(key);
    return ReconcileResult{};
  }
  if (!pod.ok()) return pod.status();
  if (!FindString(pod->at("spec"), "nodeName").empty() || !IsActive(*pod)) return ReconcileResult{};
  std::string_view scheduler = FindString(pod->at("spec"), "schedulerName");
  if (!scheduler.empty() && scheduler != "default-scheduler") return ReconcileResult{};
  std::string why;
  std::string node = Choose(key, *pod, &why);
  if (!node.empty()) {
    Json bound = *pod;
    bound.as_object()["spec"].as_object()["nodeName"] = node;
    Result<Json> written = registry_->Update(PodsType(), ns, name, std::move(bound));
    if (!written.ok()) {
      std::lock_guard lock(mu_);
      ReleaseLocked(key);
      if (written.status().reason() == Reason::kNotFound) return ReconcileResult{};
      return written.status();
    }
    return ReconcileResult{};
  }
  {
    std::lock_guard lock(mu_);
    unschedulable_.insert(key);
  }
  Json updated = *pod;
  JsonObject& status = EnsureObject(updated.as_object(), "status");
  if (!status.contains("phase")) status["phase"] = "Pending";
  if (!SetCondition(status["conditions"], "PodScheduled", "False", "Unschedulable", why,
                    FormatRfc3339(clock_->Now()))) {
    return ReconcileResult{};
  }
  // lastProbeTime is part of a pod condition, null as the scheduler leaves it.
  for (Json& c : status["conditions"].as_array()) {
    if (!c.as_object().contains("lastProbeTime")) c.as_object()["lastProbeTime"] = nullptr;
  }
  Result<Json> written = registry_->UpdateStatus(PodsType(), ns, name, std::move(updated));
  if (!written.ok() && written.status().reason() != Reason::kNotFound) return written.status();
  return ReconcileResult{};
}

}  // namespace kstack::server::workloads
