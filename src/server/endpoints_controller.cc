#include "server/endpoints_controller.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <utility>
#include <vector>

#include "core/log.h"

namespace kstack::server {
namespace {

constexpr auto kRetry = std::chrono::milliseconds(200);

const ResourceType& Core(std::string_view resource) {
  return *machinery::FindBuiltinResource("", "v1", resource);
}

const ResourceType& Slices() {
  return *machinery::FindBuiltinResource("discovery.k8s.io", "v1", "endpointslices");
}

std::string_view MetaString(const Json& object, std::string_view key) {
  const Json* m = FindMember(object, "metadata");
  return m ? FindString(*m, key) : std::string_view();
}

bool IsCore(const ResourceType& type, std::string_view kind) {
  return type.group.empty() && type.kind == kind;
}

// spec.selector as a map; empty when the service has none.
std::map<std::string, std::string> SelectorOf(const Json& service) {
  std::map<std::string, std::string> selector;
  const Json* spec = FindMember(service, "spec");
  const JsonObject* s = spec ? FindObject(*spec, "selector") : nullptr;
  if (s == nullptr) return selector;
  for (const auto& kv : *s) {
    if (kv.value().is_string())
      selector[std::string(kv.key())] = std::string(kv.value().get_string());
  }
  return selector;
}

bool Matches(const std::map<std::string, std::string>& selector, const Json& pod) {
  const Json* meta = FindMember(pod, "metadata");
  const JsonObject* labels = meta ? FindObject(*meta, "labels") : nullptr;
  for (const auto& [k, v] : selector) {
    const Json* value = labels ? labels->if_contains(k) : nullptr;
    if (value == nullptr || !value->is_string() || value->get_string() != v) return false;
  }
  return true;
}

bool PodReady(const Json& pod) {
  const Json* status = FindMember(pod, "status");
  const JsonArray* conditions = status ? FindArray(*status, "conditions") : nullptr;
  if (conditions == nullptr) return false;
  for (const Json& c : *conditions) {
    if (FindString(c, "type") == "Ready") return FindString(c, "status") == "True";
  }
  return false;
}

// The pod's port for a service port's targetPort: a number as it is, a name looked up in the
// containers' ports of the same protocol; nullopt when the pod has no such port.
std::optional<int64_t> ResolvePort(const Json& service_port, const Json& pod) {
  const Json* target = FindMember(service_port, "targetPort");
  if (target == nullptr) target = FindMember(service_port, "port");
  if (target == nullptr) return std::nullopt;
  if (target->is_int64()) return target->get_int64();
  if (!target->is_string()) return std::nullopt;
  std::string_view protocol = FindString(service_port, "protocol");
  if (protocol.empty()) protocol = "TCP";
  const Json* spec = FindMember(pod, "spec");
  const JsonArray* containers = spec ? FindArray(*spec, "containers") : nullptr;
  if (containers == nullptr) return std::nullopt;
  for (const Json& container : *containers) {
    const JsonArray* ports = FindArray(container, "ports");
    if (ports == nullptr) continue;
    for (const Json& p : *ports) {
      std::string_view p_protocol = FindString(p, "protocol");
      if (p_protocol.empty()) p_protocol = "TCP";
      const Json* number = FindMember(p, "containerPort");
      if (FindString(p, "name") == target->get_string() && p_protocol == protocol && number &&
          number->is_int64()) {
        return number->get_int64();
      }
    }
  }
  return std::nullopt;
}

struct PodEndpoint {
  std::string ip;
  const Json* pod = nullptr;
  bool ready = false;
  bool terminating = false;
};

// Endpoints grouped by the ports they resolve to (the JSON text of the port list is the key).
struct Group {
  JsonArray ports;        // Endpoints form: name (when set), port, protocol
  JsonArray slice_ports;  // EndpointSlice form: name always
  std::vector<PodEndpoint> endpoints;
};

Json TargetRef(const Json& pod) {
  return JsonObject{{"kind", "Pod"},
                    {"namespace", MetaString(pod, "namespace")},
                    {"name", MetaString(pod, "name")},
                    {"uid", MetaString(pod, "uid")}};
}

std::string_view NodeName(const Json& pod) {
  const Json* spec = FindMember(pod, "spec");
  return spec ? FindString(*spec, "nodeName") : std::string_view();
}

std::map<std::string, Group> GroupEndpoints(const Json& service, const JsonArray& pods) {
  const Json& spec = service.at("spec");
  const JsonArray* service_ports = FindArray(spec, "ports");
  const Json* publish = FindMember(spec, "publishNotReadyAddresses");
  bool publish_not_ready = publish && publish->is_bool() && publish->get_bool();
  std::map<std::string, Group> groups;
  for (const Json& pod : pods) {
    const Json* status = FindMember(pod, "status");
    std::string_view ip = status ? FindString(*status, "podIP") : std::string_view();
    std::string_view phase = status ? FindString(*status, "phase") : std::string_view();
    if (ip.empty() || phase == "Succeeded" || phase == "Failed") continue;
    Group candidate;
    if (service_ports != nullptr) {
      for (const Json& sp : *service_ports) {
        std::optional<int64_t> port = ResolvePort(sp, pod);
        if (!port) continue;
        std::string_view protocol = FindString(sp, "protocol");
        JsonObject p;
        std::string_view name = FindString(sp, "name");
        if (!name.empty()) p["name"] = name;
        p["port"] = *port;
        p["protocol"] = protocol.empty() ? "TCP" : protocol;
        JsonObject s = p;
        s["name"] = name;
        candidate.ports.push_back(std::move(p));
        candidate.slice_ports.push_back(std::move(s));
      }
    }
    // A pod that offers none of the service's ports is no endpoint of it.
    if (service_ports != nullptr && !service_ports->empty() && candidate.ports.empty()) continue;
    std::string key = WriteJson(Json(candidate.ports));
    Group& group = groups[key];
    if (group.endpoints.empty()) {
      group.ports = std::move(candidate.ports);
      group.slice_ports = std::move(candidate.slice_ports);
    }
    const Json* meta = FindMember(pod, "metadata");
    bool terminating = meta && FindMember(*meta, "deletionTimestamp") != nullptr;
    group.endpoints.push_back({.ip = std::string(ip),
                               .pod = &pod,
                               .ready = PodReady(pod) || publish_not_ready,
                               .terminating = terminating});
  }
  for (auto& [key, group] : groups) {
    std::sort(group.endpoints.begin(), group.endpoints.end(),
              [](const PodEndpoint& a, const PodEndpoint& b) {
                if (a.ip != b.ip) return a.ip < b.ip;
                return MetaString(*a.pod, "name") < MetaString(*b.pod, "name");
              });
  }
  return groups;
}

JsonArray Subsets(const std::map<std::string, Group>& groups) {
  JsonArray subsets;
  for (const auto& [key, group] : groups) {
    JsonArray ready, not_ready;
    for (const PodEndpoint& e : group.endpoints) {
      if (e.terminating) continue;
      JsonObject address{{"ip", e.ip}};
      if (std::string_view node = NodeName(*e.pod); !node.empty()) address["nodeName"] = node;
      address["targetRef"] = TargetRef(*e.pod);
      (e.ready ? ready : not_ready).push_back(std::move(address));
    }
    if (ready.empty() && not_ready.empty()) continue;
    JsonObject subset;
    if (!ready.empty()) subset["addresses"] = std::move(ready);
    if (!not_ready.empty()) subset["notReadyAddresses"] = std::move(not_ready);
    if (!group.ports.empty()) subset["ports"] = group.ports;
    subsets.push_back(std::move(subset));
  }
  return subsets;
}

JsonObject Labels(const Json& service) {
  const Json* meta = FindMember(service, "metadata");
  const JsonObject* labels = meta ? FindObject(*meta, "labels") : nullptr;
  return labels ? *labels : JsonObject();
}

}  // namespace

EndpointsController::EndpointsController(ObjectRegistry* registry) : registry_(registry) {}

EndpointsController::~EndpointsController() { Stop(); }

Status EndpointsController::Start() {
  {
    std::lock_guard lock(mu_);
    stopping_ = false;
  }
  KSTACK_ASSIGN_OR_RETURN(Json list, registry_->List(Core("services"), "", {}));
  for (const Json& service : list.at("items").as_array()) {
    Written(Core("services"), service, false);
  }
  worker_ = std::thread([this] { Run(); });
  return Status::Ok();
}

void EndpointsController::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (worker_.joinable()) worker_.join();
}

void EndpointsController::Written(const ResourceType& type, const Json& object, bool deleted) {
  std::string ns(MetaString(object, "namespace"));
  std::string name(MetaString(object, "name"));
  if (IsCore(type, "Service")) {
    {
      std::lock_guard lock(mu_);
      std::map<std::string, std::string> selector = SelectorOf(object);
      if (deleted || selector.empty()) {
        auto found = services_.find(ns);
        // Known services leave; their endpoints are removed by the reconcile below.
        if (found == services_.end() || found->second.find(name) == found->second.end()) return;
        found->second.erase(name);
      } else {
        services_[ns][name].selector = std::move(selector);
      }
    }
    Enqueue(ns + "/" + name);
    return;
  }
  if (!IsCore(type, "Pod")) return;
  std::vector<std::string> affected;
  {
    std::lock_guard lock(mu_);
    auto found = services_.find(ns);
    if (found == services_.end()) return;
    for (const auto& [service, watched] : found->second) {
      if ((!deleted && Matches(watched.selector, object)) || watched.pods.contains(name)) {
        affected.push_back(ns + "/" + service);
      }
    }
  }
  for (const std::string& key : affected) Enqueue(key);
}

void EndpointsController::Enqueue(const std::string& key) {
  {
    std::lock_guard lock(mu_);
    if (!queued_.insert(key).second) return;
    queue_.push_back(key);
  }
  cv_.notify_all();
}

void EndpointsController::Run() {
  using Clock = std::chrono::steady_clock;
  std::vector<std::pair<Clock::time_point, std::string>> later;
  std::unique_lock lock(mu_);
  while (!stopping_) {
    auto now = Clock::now();
    for (auto it = later.begin(); it != later.end();) {
      if (it->first <= now) {
        if (queued_.insert(it->second).second) queue_.push_back(it->second);
        it = later.erase(it);
      } else {
        ++it;
      }
    }
    if (queue_.empty()) {
      if (later.empty()) {
        cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      } else {
        auto next = std::min_element(later.begin(), later.end())->first;
        cv_.wait_until(lock, next, [this] { return stopping_ || !queue_.empty(); });
      }
      continue;
    }
    std::string key = queue_.front();
    queue_.pop_front();
    queued_.erase(key);
    lock.unlock();
    size_t slash = key.find('/');
    bool done = Reconcile(key.substr(0, slash), key.substr(slash + 1));
    lock.lock();
    if (!done) later.emplace_back(Clock::now() + kRetry, key);
  }
}

bool EndpointsController::Reconcile(const std::string& ns, const std::string& name) {
  Result<Json> service = registry_->Get(Core("services"), ns, name);
  if (!service.ok() && service.status().reason() != Reason::kNotFound) return false;
  std::map<std::string, std::string> selector;
  if (service.ok()) selector = SelectorOf(*service);
  if (!service.ok() || selector.empty()) {
    // Gone, or its endpoints are its users' now: the Endpoints this controller wrote go (the
    // garbage collector takes the slices of a deleted service).
    if (!service.ok()) {
      Result<Json> gone = registry_->Delete(Core("endpoints"), ns, name);
      if (!gone.ok() && gone.status().reason() != Reason::kNotFound) return false;
    }
    return true;
  }
  std::string query;
  for (const auto& [k, v] : selector) {
    query += (query.empty() ? "" : ",") + k + "=" + v;
  }
  Result<Json> pods = registry_->List(Core("pods"), ns, {.label_selector = query});
  if (!pods.ok()) {
    log::Error("endpoints {}/{}: listing pods: {}", ns, name, pods.status().ToString());
    return false;
  }
  const JsonArray& items = pods->at("items").as_array();
  std::map<std::string, Group> groups = GroupEndpoints(*service, items);
  {
    std::lock_guard lock(mu_);
    auto found = services_.find(ns);
    if (found != services_.end()) {
      auto watched = found->second.find(name);
      if (watched != found->second.end()) {
        watched->second.pods.clear();
        for (const Json& pod : items)
          watched->second.pods.insert(std::string(MetaString(pod, "name")));
      }
    }
  }
  JsonObject labels = Labels(*service);
  const Json& spec = service->at("spec");
  if (FindString(spec, "clusterIP") == "None") labels["service.kubernetes.io/headless"] = "";
  JsonObject endpoints{{"apiVersion", "v1"},
                       {"kind", "Endpoints"},
                       {"metadata", JsonObject{{"name", name}, {"labels", labels}}}};
  JsonArray subsets = Subsets(groups);
  if (!subsets.empty()) endpoints["subsets"] = std::move(subsets);
  Status written = WriteEndpoints(*service, endpoints);
  if (!written.ok()) {
    log::Error("endpoints {}/{}: {}", ns, name, written.ToString());
    return false;
  }

  JsonObject slice_labels = Labels(*service);
  slice_labels[kServiceNameLabel] = name;
  slice_labels[kManagedByLabel] = kEndpointSliceController;
  if (FindString(spec, "clusterIP") == "None") slice_labels["service.kubernetes.io/headless"] = "";
  JsonArray slices;
  for (const auto& [key, group] : groups) {
    JsonArray list;
    for (const PodEndpoint& e : group.endpoints) {
      JsonObject endpoint{{"addresses", JsonArray({Json(e.ip)})},
                          {"conditions", JsonObject{{"ready", e.ready && !e.terminating},
                                                    {"serving", e.ready},
                                                    {"terminating", e.terminating}}}};
      if (std::string_view node = NodeName(*e.pod); !node.empty()) endpoint["nodeName"] = node;
      endpoint["targetRef"] = TargetRef(*e.pod);
      list.push_back(std::move(endpoint));
    }
    JsonObject slice{{"addressType", "IPv4"}, {"endpoints", std::move(list)}};
    if (!group.slice_ports.empty()) slice["ports"] = group.slice_ports;
    slices.push_back(std::move(slice));
  }
  if (slices.empty()) slices.push_back(JsonObject{{"addressType", "IPv4"}, {"endpoints", nullptr}});
  for (Json& slice : slices) slice.as_object()["labels"] = slice_labels;
  written = WriteSlices(*service, slices);
  if (!written.ok()) {
    log::Error("endpointslices of {}/{}: {}", ns, name, written.ToString());
    return false;
  }
  return true;
}

Status EndpointsController::WriteEndpoints(const Json& service, const Json& endpoints) {
  std::string_view ns = MetaString(service, "namespace");
  std::string_view name = MetaString(service, "name");
  const ResourceType& type = Core("endpoints");
  Result<Json> current = registry_->Get(type, ns, name);
  if (current.status().reason() == Reason::kNotFound) {
    Result<Json> created = registry_->Create(type, ns, endpoints);
    if (created.status().reason() == Reason::kForbidden) return Status::Ok();  // ns terminating
    return created.status();
  }
  KSTACK_RETURN_IF_ERROR(current.status());
  Json updated = *current;
  JsonObject& obj = updated.as_object();
  obj["metadata"].as_object()["labels"] = endpoints.at("metadata").at("labels");
  if (const Json* subsets = FindMember(endpoints, "subsets")) {
    obj["subsets"] = *subsets;
  } else {
    obj.erase("subsets");
  }
  Result<Json> written = registry_->Update(type, ns, name, std::move(updated));
  if (written.status().reason() == Reason::kNotFound) return Status::Ok();
  return written.status();  // a conflict retries
}

Status EndpointsController::WriteSlices(const Json& service, const JsonArray& wanted) {
  std::string_view ns = MetaString(service, "namespace");
  std::string_view name = MetaString(service, "name");
  const ResourceType& type = Slices();
  KSTACK_ASSIGN_OR_RETURN(
      Json existing,
      registry_->List(type, ns,
                      {.label_selector = fmt::format("{}={},{}={}", kServiceNameLabel, name,
                                                     kManagedByLabel, kEndpointSliceController)}));
  JsonArray current = existing.at("items").as_array();
  Json owner = JsonObject{{"apiVersion", "v1"}, {"kind", "Service"},
                          {"name", name},       {"uid", MetaString(service, "uid")},
                          {"controller", true}, {"blockOwnerDeletion", true}};
  std::vector<bool> used(current.size(), false);
  for (const Json& slice : wanted) {
    // The stored slice with the same ports is updated; otherwise one with no match is reused.
    const Json* ports = FindMember(slice, "ports");
    int match = -1;
    for (size_t i = 0; i < current.size() && match < 0; ++i) {
      const Json* p = FindMember(current[i], "ports");
      bool same = (p == nullptr && ports == nullptr) || (p && ports && *p == *ports);
      if (!used[i] && same) match = static_cast<int>(i);
    }
    if (match < 0) {
      JsonObject created{{"apiVersion", "discovery.k8s.io/v1"},
                         {"kind", "EndpointSlice"},
                         {"metadata", JsonObject{{"generateName", std::string(name) + "-"},
                                                 {"labels", slice.at("labels")},
                                                 {"ownerReferences", JsonArray({owner})}}},
                         {"addressType", slice.at("addressType")},
                         {"endpoints", slice.at("endpoints")}};
      if (ports) created["ports"] = *ports;
      Result<Json> made = registry_->Create(type, ns, Json(std::move(created)));
      if (!made.ok() && made.status().reason() != Reason::kForbidden) return made.status();
      continue;
    }
    used[match] = true;
    Json updated = current[match];
    JsonObject& obj = updated.as_object();
    JsonObject& meta = obj["metadata"].as_object();
    meta["labels"] = slice.at("labels");
    meta["ownerReferences"] = JsonArray({owner});
    obj["endpoints"] = slice.at("endpoints");
    if (ports) {
      obj["ports"] = *ports;
    } else {
      obj.erase("ports");
    }
    Result<Json> written =
        registry_->Update(type, ns, MetaString(current[match], "name"), std::move(updated));
    if (!written.ok() && written.status().reason() != Reason::kNotFound) return written.status();
  }
  for (size_t i = 0; i < current.size(); ++i) {
    if (used[i]) continue;
    Result<Json> gone = registry_->Delete(type, ns, MetaString(current[i], "name"));
    if (!gone.ok() && gone.status().reason() != Reason::kNotFound) return gone.status();
  }
  return Status::Ok();
}

}  // namespace kstack::server
