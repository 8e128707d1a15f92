#include "server/workloads/kubelet.h"

#include <fmt/format.h>

#include <vector>

#include "core/log.h"
#include "server/workloads/objects.h"

namespace kstack::server::workloads {
namespace {

const ResourceType& PodsType() { return *machinery::FindBuiltinResource("", "v1", "pods"); }

constexpr std::string_view kExitCodeAnnotation = "kstack.dev/simulated-exit-code";

// The image reference as containerd reports it: registry and repository spelled out, the tag
// `latest` when none is given.
std::string QualifiedImage(std::string_view image) {
  std::string out(image);
  size_t slash = out.find('/');
  std::string_view first = slash == std::string::npos ? "" : std::string_view(out).substr(0, slash);
  if (slash == std::string::npos) {
    out = "docker.io/library/" + out;
  } else if (first.find('.') == std::string_view::npos &&
             first.find(':') == std::string_view::npos && first != "localhost") {
    out = "docker.io/" + out;
  }
  size_t last_slash = out.rfind('/');
  if (out.find('@') == std::string::npos && out.find(':', last_slash) == std::string::npos) {
    out += ":latest";
  }
  return out;
}

// 64 hex digits derived from `text`: stands in for digests and container ids.
std::string Hex64(std::string_view text) {
  std::string out;
  uint64_t h = 1469598103934665603ull;
  for (int round = 0; round < 4; ++round) {
    for (unsigned char c : text) {
      h ^= c;
      h *= 1099511628211ull;
    }
    h ^= static_cast<uint64_t>(round + 1) * 0x9e3779b97f4a7c15ull;
    out += fmt::format("{:016x}", h);
  }
  return out;
}

std::string ImageId(std::string_view image) {
  std::string qualified = QualifiedImage(image);
  size_t at = qualified.find('@');
  if (at != std::string::npos) return qualified;
  size_t colon = qualified.find(':', qualified.rfind('/'));
  return fmt::format("{}@sha256:{}", qualified.substr(0, colon), Hex64(qualified));
}

Json PodCondition(std::string_view type, std::string_view status, const std::string& now,
                  std::string_view reason = "", std::string_view message = "") {
  JsonObject c{
      {"type", type}, {"status", status}, {"lastProbeTime", nullptr}, {"lastTransitionTime", now}};
  if (!reason.empty()) c["reason"] = reason;
  if (!message.empty()) c["message"] = message;
  return c;
}

// Keeps the transition time of conditions whose status did not change.
void KeepTransitions(const Json& old_status, JsonArray& conditions) {
  const JsonArray* old = FindArray(old_status, "conditions");
  if (old == nullptr) return;
  for (Json& c : conditions) {
    for (const Json& o : *old) {
      if (FindString(o, "type") == FindString(c, "type") &&
          FindString(o, "status") == FindString(c, "status")) {
        c.as_object()["lastTransitionTime"] = FindString(o, "lastTransitionTime");
      }
    }
  }
}

std::vector<const Json*> Containers(const Json& pod, std::string_view field) {
  std::vector<const Json*> out;
  if (const Json* list = At(pod, {"spec", field}); list && list->is_array()) {
    for (const Json& c : list->get_array()) out.push_back(&c);
  }
  return out;
}

std::string ContainerNames(const Json& pod) {
  std::vector<std::string> names;
  for (const Json* c : Containers(pod, "containers")) names.emplace_back(FindString(*c, "name"));
  return fmt::format("[{}]", fmt::join(names, " "));
}

std::string HostIp(int node) { return fmt::format("172.30.{}.{}", node / 250, node % 250 + 2); }

}  // namespace

Kubelet::Kubelet(ObjectRegistry* registry, const Clock* clock, SimulationOptions options)
    : registry_(registry), clock_(clock), options_(options) {}

Status Kubelet::Start() {
  loop_ = std::make_unique<ControllerLoop>(ControllerLoopOptions{
      .name = "kubelet",
      .workers = 4,
      .reconcile = [this](const std::string& key) { return Reconcile(key); },
  });
  KSTACK_ASSIGN_OR_RETURN(Json pods, registry_->List(PodsType(), "", {}));
  for (const Json& pod : pods.at("items").as_array()) {
    std::string_view ip = FindString(pod.at("status"), "podIP");
    int node = NodeIndex(FindString(pod.at("spec"), "nodeName"));
    unsigned a = 0, b = 0, c = 0, d = 0;
    std::string text(ip);
    if (node >= 0 && !IsTerminal(pod) &&
        std::sscanf(text.c_str(), "%u.%u.%u.%u", &a, &b, &c, &d) == 4 && a == 10 && b == 42 &&
        static_cast<int>(c) == node % 256) {
      std::lock_guard lock(mu_);
      ips_[KeyOf(pod)] = {node, static_cast<int>(d)};
      used_[node].insert(static_cast<int>(d));
    }
  }
  loop_->Start();
  for (const Json& pod : pods.at("items").as_array()) Observe(PodsType(), pod, false);
  return Status::Ok();
}

void Kubelet::Stop() {
  if (loop_) loop_->Stop();
}

void Kubelet::Observe(const ResourceType& type, const Json& object, bool deleted) {
  if (!type.group.empty() || type.kind != "Pod") return;
  std::string key = KeyOf(object);
  if (deleted || IsTerminal(object)) {
    std::lock_guard lock(mu_);
    ReleaseIpLocked(key);
    due_.erase(key);
    return;
  }
  int node = NodeIndex(FindString(object.at("spec"), "nodeName"));
  if (node < 0 || node >= options_.nodes) return;
  if (loop_) loop_->Enqueue(key);
}

void Kubelet::ReleaseIpLocked(const std::string& key) {
  auto it = ips_.find(key);
  if (it == ips_.end()) return;
  used_[it->second.first].erase(it->second.second);
  ips_.erase(it);
}

std::string Kubelet::AllocateIp(const std::string& key, int node) {
  std::lock_guard lock(mu_);
  auto it = ips_.find(key);
  if (it == ips_.end() || it->second.first != node) {
    if (it != ips_.end()) ReleaseIpLocked(key);
    std::set<int>& used = used_[node];
    int host = 2;
    while (used.contains(host)) ++host;
    if (host > 254) return "";
    used.insert(host);
    it = ips_.emplace(key, std::make_pair(node, host)).first;
  }
  return fmt::format("10.42.{}.{}", node % 256, it->second.second);
}

Result<ReconcileResult> Kubelet::Reconcile(const std::string& key) {
  auto [ns, name] = SplitKey(key);
  Result<Json> got = registry_->Get(PodsType(), ns, name);
  if (got.status().reason() == Reason::kNotFound) return ReconcileResult{};
  if (!got.ok()) return got.status();
  Json pod = std::move(*got);
  int node = NodeIndex(FindString(pod.at("spec"), "nodeName"));
  if (node < 0 || node >= options_.nodes) return ReconcileResult{};
  if (At(pod, {"metadata", "deletionTimestamp"}) != nullptr) {
    // Deleted with a grace period: the containers stop (taking `delay`), then the pod goes.
    const Json* grace = At(pod, {"metadata", "deletionGracePeriodSeconds"});
    if (grace == nullptr || !grace->is_int64() || grace->get_int64() == 0) {
      return ReconcileResult{};  // held by finalizers of its own
    }
    {
      std::lock_guard lock(mu_);
      auto [due, fresh] = due_.try_emplace(
          key, std::chrono::steady_clock::now() +
                   std::min<Duration>(options_.delay, std::chrono::seconds(grace->get_int64())));
      auto left =
          std::chrono::duration_cast<Duration>(due->second - std::chrono::steady_clock::now());
      if (left.count() > 0) return ReconcileResult{.requeue_after = left};
      due_.erase(due);
    }
    Result<Json> gone = registry_->Delete(PodsType(), ns, name, {.grace_period_seconds = 0});
    if (!gone.ok() && gone.status().reason() != Reason::kNotFound) return gone.status();
    return ReconcileResult{};
  }
  if (!IsActive(pod)) return ReconcileResult{};

  Clock::WallTime now_time = clock_->Now();
  std::string now = FormatRfc3339(now_time);
  JsonObject& status = EnsureObject(pod.as_object(), "status");
  Json old_status = status;
  std::string_view phase = FindString(old_status, "phase");
  std::string_view restart = FindString(pod.at("spec"), "restartPolicy");
  bool runs_to_completion = restart == "Never" || restart == "OnFailure";
  std::string_view since = FindString(old_status, "startTime");

  const Json* host_network = At(pod, {"spec", "hostNetwork"});
  std::string host_ip = HostIp(node);
  std::string pod_ip = host_network && host_network->is_bool() && host_network->get_bool()
                           ? host_ip
                           : AllocateIp(key, node);
  if (pod_ip.empty()) {
    return UnavailableError(
        fmt::format("node {}: no pod IP left in 10.42.{}.0/24", NodeName(node), node % 256));
  }
  auto set_addresses = [&] {
    status["hostIP"] = host_ip;
    status["hostIPs"] = JsonArray{JsonObject{{"ip", host_ip}}};
    status["podIP"] = pod_ip;
    status["podIPs"] = JsonArray{JsonObject{{"ip", pod_ip}}};
  };
  std::string names = ContainerNames(pod);

  JsonArray conditions;
  JsonArray statuses;
  JsonArray init_statuses;
  // A transition waits for the one before it to be `delay` old.
  {
    std::lock_guard lock(mu_);
    auto due = due_.find(key);
    if (due != due_.end()) {
      auto left =
          std::chrono::duration_cast<Duration>(due->second - std::chrono::steady_clock::now());
      if (left.count() > 0) return ReconcileResult{.requeue_after = left};
      due_.erase(due);
    }
  }
  if (phase != "Running" && since.empty() && options_.delay.count() > 0) {
    // Containers being created.
    status["phase"] = "Pending";
    set_addresses();
    status["startTime"] = now;
    conditions = {PodCondition("PodReadyToStartContainers", "False", now),
                  PodCondition("Initialized", "True", now),
                  PodCondition("Ready", "False", now, "ContainersNotReady",
                               "containers with unready status: " + names),
                  PodCondition("ContainersReady", "False", now, "ContainersNotReady",
                               "containers with unready status: " + names),
                  PodCondition("PodScheduled", "True", now)};
    for (const Json* c : Containers(pod, "containers")) {
      statuses.push_back(JsonObject{
          {"image", QualifiedImage(FindString(*c, "image"))},
          {"imageID", ""},
          {"lastState", JsonObject{}},
          {"name", FindString(*c, "name")},
          {"ready", false},
          {"restartCount", 0},
          {"started", false},
          {"state", JsonObject{{"waiting", JsonObject{{"reason", "ContainerCreating"}}}}}});
    }
  } else if (phase != "Running") {
    status["phase"] = "Running";
    set_addresses();
    if (since.empty()) status["startTime"] = now;
    conditions = {PodCondition("PodReadyToStartContainers", "True", now),
                  PodCondition("Initialized", "True", now), PodCondition("Ready", "True", now),
                  PodCondition("ContainersReady", "True", now),
                  PodCondition("PodScheduled", "True", now)};
    for (const Json* c : Containers(pod, "initContainers")) {
      std::string_view cname = FindString(*c, "name");
      std::string id = "containerd://" + Hex64(key + "/" + std::string(cname));
      init_statuses.push_back(
          JsonObject{{"containerID", id},
                     {"image", QualifiedImage(FindString(*c, "image"))},
                     {"imageID", ImageId(FindString(*c, "image"))},
                     {"lastState", JsonObject{}},
                     {"name", cname},
                     {"ready", true},
                     {"restartCount", 0},
                     {"started", false},
                     {"state", JsonObject{{"terminated", JsonObject{{"containerID", id},
                                                                    {"exitCode", 0},
                                                                    {"finishedAt", now},
                                                                    {"reason", "Completed"},
                                                                    {"startedAt", now}}}}}});
    }
    for (const Json* c : Containers(pod, "containers")) {
      std::string_view cname = FindString(*c, "name");
      statuses.push_back(
          JsonObject{{"containerID", "containerd://" + Hex64(key + "/" + std::string(cname))},
                     {"image", QualifiedImage(FindString(*c, "image"))},
                     {"imageID", ImageId(FindString(*c, "image"))},
                     {"lastState", JsonObject{}},
                     {"name", cname},
                     {"ready", true},
                     {"restartCount", 0},
                     {"started", true},
                     {"state", JsonObject{{"running", JsonObject{{"startedAt", now}}}}}});
    }
  } else if (runs_to_completion) {
    // Running to completion: done `delay` after the containers started.
    int64_t exit_code = 0;
    if (const Json* annotations = At(pod, {"metadata", "annotations"})) {
      std::string text(FindString(*annotations, kExitCodeAnnotation));
      if (!text.empty()) exit_code = std::atoll(text.c_str());
    }
    bool failed = exit_code != 0;
    std::string_view reason = failed ? "PodFailed" : "PodCompleted";
    status["phase"] = failed ? "Failed" : "Succeeded";
    conditions = {PodCondition("PodReadyToStartContainers", "False", now),
                  PodCondition("Initialized", "True", now, reason),
                  PodCondition("Ready", "False", now, reason),
                  PodCondition("ContainersReady", "False", now, reason),
                  PodCondition("PodScheduled", "True", now)};
    if (const JsonArray* cs = FindArray(old_status, "containerStatuses")) {
      for (const Json& c : *cs) {
        Json s = c;
        const Json* started_at = At(c, {"state", "running", "startedAt"});
        s.as_object()["ready"] = false;
        s.as_object()["started"] = false;
        s.as_object()["state"] = JsonObject{
            {"terminated", JsonObject{{"containerID", FindString(c, "containerID")},
                                      {"exitCode", exit_code},
                                      {"finishedAt", now},
                                      {"reason", failed ? "Error" : "Completed"},
                                      {"startedAt", started_at ? *started_at : Json(now)}}}};
        statuses.push_back(std::move(s));
      }
    }
    if (const JsonArray* is = FindArray(old_status, "initContainerStatuses")) init_statuses = *is;
  } else {
    return ReconcileResult{};  // running, as it stays
  }
  KeepTransitions(old_status, conditions);
  status["conditions"] = std::move(conditions);
  status["containerStatuses"] = std::move(statuses);
  if (!init_statuses.empty()) status["initContainerStatuses"] = std::move(init_statuses);
  if (Json(status) == old_status) return ReconcileResult{};
  Result<Json> written = registry_->UpdateStatus(PodsType(), ns, name, pod);
  if (!written.ok()) {
    if (written.status().reason() == Reason::kNotFound) return ReconcileResult{};
    return written.status();
  }
  std::string_view new_phase = FindString(written->at("status"), "phase");
  if (new_phase == "Pending" || (new_phase == "Running" && runs_to_completion)) {
    std::lock_guard lock(mu_);
    due_[key] = std::chrono::steady_clock::now() + options_.delay;
    return ReconcileResult{.requeue_after = std::max(options_.delay, Duration(1))};
  }
  return ReconcileResult{};
}

}  // namespace kstack::server::workloads
