#include "server/service_allocator.h"

#include <arpa/inet.h>
#include <fmt/format.h>

#include <charconv>

#include "core/log.h"

namespace kstack::server {
namespace {

bool IsService(const ResourceType& type) { return type.group.empty() && type.kind == "Service"; }

std::string_view MetaString(const Json& object, std::string_view key) {
  const Json* m = FindMember(object, "metadata");
  return m ? FindString(*m, key) : std::string_view();
}

std::optional<uint32_t> ParseIpv4(std::string_view text) {
  in_addr addr{};
  std::string copy(text);
  if (inet_pton(AF_INET, copy.c_str(), &addr) != 1) return std::nullopt;
  return ntohl(addr.s_addr);
}

std::string FormatIpv4(uint32_t ip) {
  return fmt::format("{}.{}.{}.{}", ip >> 24, (ip >> 16) & 0xff, (ip >> 8) & 0xff, ip & 0xff);
}

// 422 for one field of a Service, worded as Kubernetes words it.
Status Invalid(std::string_view name, std::string_view field, std::string_view detail,
               std::string_view cause = "FieldValueInvalid") {
  StatusDetails details{.name = std::string(name), .kind = "Service"};
  details.causes.push_back(
      {.type = std::string(cause), .message = std::string(detail), .field = std::string(field)});
  return Status(Reason::kInvalid,
                fmt::format("Service \"{}\" is invalid: {}: {}", name, field, detail),
                std::move(details));
}

bool HasNodePorts(std::string_view type) { return type == "NodePort" || type == "LoadBalancer"; }

std::string_view TypeOf(const Json& spec) {
  std::string_view t = FindString(spec, "type");
  return t.empty() ? "ClusterIP" : t;
}

void SetDefault(JsonObject& obj, std::string_view key, Json value) {
  if (!obj.contains(key)) obj[key] = std::move(value);
}

void ApplyDefaults(JsonObject& spec) {
  SetDefault(spec, "type", "ClusterIP");
  std::string_view type = spec["type"].is_string() ? std::string_view(spec["type"].get_string())
                                                   : std::string_view("ClusterIP");
  if (type == "ExternalName") return;
  SetDefault(spec, "sessionAffinity", "None");
  SetDefault(spec, "internalTrafficPolicy", "Cluster");
  if (HasNodePorts(type)) SetDefault(spec, "externalTrafficPolicy", "Cluster");
  if (type == "LoadBalancer") SetDefault(spec, "allocateLoadBalancerNodePorts", true);
  if (Json* ports = spec.if_contains("ports"); ports && ports->is_array()) {
    for (Json& port : ports->get_array()) {
      if (!port.is_object()) continue;
      JsonObject& p = port.get_object();
      SetDefault(p, "protocol", "TCP");
      if (const Json* number = p.if_contains("port")) SetDefault(p, "targetPort", *number);
    }
  }
}

// Creates `object` or replaces the stored one's `fields` with its own.
Status CreateOrUpdate(ObjectRegistry* registry, const ResourceType& type, std::string_view ns,
                      const Json& object, std::initializer_list<std::string_view> fields) {
  std::string_view name = MetaString(object, "name");
  Result<Json> current = registry->Get(type, ns, name);
  if (current.status().reason() == Reason::kNotFound) {
    Result<Json> created = registry->Create(type, ns, object);
    if (created.ok() || created.status().reason() == Reason::kAlreadyExists) return Status::Ok();
    return created.status();
  }
  KSTACK_RETURN_IF_ERROR(current.status());
  Json updated = *current;
  for (std::string_view f : fields) {
    if (const Json* v = FindMember(object, f)) updated.as_object()[f] = *v;
  }
  return registry->Update(type, ns, name, std::move(updated)).status();
}

}  // namespace

Result<ServiceCidr> ServiceCidr::Parse(std::string_view text) {
  size_t slash = text.find('/');
  auto invalid = [&] {
    return InvalidError(
        fmt::format("--service-cidr: \"{}\" is not an IPv4 network such as 10.43.0.0/16", text));
  };
  if (slash == std::string_view::npos) return invalid();
  std::optional<uint32_t> ip = ParseIpv4(text.substr(0, slash));
  std::string_view bits = text.substr(slash + 1);
  int prefix = -1;
  auto r = std::from_chars(bits.data(), bits.data() + bits.size(), prefix);
  if (!ip || r.ec != std::errc() || r.ptr != bits.data() + bits.size() || prefix < 8 ||
      prefix > 30) {
    return invalid();
  }
  uint32_t mask = prefix == 0 ? 0 : ~uint32_t{0} << (32 - prefix);
  return ServiceCidr{.base = *ip & mask, .prefix = prefix};
}

bool ServiceCidr::Contains(uint32_t ip) const {
  // The network and broadcast addresses are not in the range, as in Kubernetes.
  return ip > base && uint64_t{ip} < uint64_t{base} + size() - 1;
}

std::string ServiceCidr::ToString() const { return fmt::format("{}/{}", FormatIpv4(base), prefix); }

ServiceAllocator::ServiceAllocator(ObjectRegistry* registry, ServiceCidr cidr)
    : registry_(registry), cidr_(cidr), random_(std::random_device{}()) {}

Status ServiceAllocator::Start() {
  const ResourceType* services = machinery::FindBuiltinResource("", "v1", "services");
  KSTACK_ASSIGN_OR_RETURN(Json list, registry_->List(*services, "", {}));
  for (const Json& item : list.at("items").as_array()) Written(*services, item, false);
  return Status::Ok();
}

void ServiceAllocator::Hold(const std::string& service, Holding holding) {
  std::lock_guard lock(mu_);
  Holding& held = held_[service];
  if (!held.ip.empty() && held.ip != holding.ip) {
    if (std::optional<uint32_t> ip = ParseIpv4(held.ip)) {
      auto it = ips_.find(*ip);
      if (it != ips_.end() && it->second == service) ips_.erase(it);
    }
  }
  for (int port : held.node_ports) {
    if (holding.node_ports.contains(port)) continue;
    auto it = node_ports_.find(port);
    if (it != node_ports_.end() && it->second == service) node_ports_.erase(it);
  }
  if (std::optional<uint32_t> ip = ParseIpv4(holding.ip)) ips_[*ip] = service;
  for (int port : holding.node_ports) node_ports_[port] = service;
  if (holding.ip.empty() && holding.node_ports.empty()) {
    held_.erase(service);
  } else {
    held = std::move(holding);
  }
}

void ServiceAllocator::Written(const ResourceType& type, const Json& object, bool deleted) {
  if (!IsService(type)) return;
  std::string service =
      fmt::format("{}/{}", MetaString(object, "namespace"), MetaString(object, "name"));
  Holding holding;
  const Json* spec = FindMember(object, "spec");
  if (!deleted && spec != nullptr) {
    std::string_view ip = FindString(*spec, "clusterIP");
    if (std::optional<uint32_t> parsed = ParseIpv4(ip); parsed && cidr_.Contains(*parsed)) {
      holding.ip = std::string(ip);
    }
    if (const JsonArray* ports = FindArray(*spec, "ports")) {
      for (const Json& port : *ports) {
        const Json* np = FindMember(port, "nodePort");
        if (np && np->is_int64()) holding.node_ports.insert(static_cast<int>(np->get_int64()));
      }
    }
  }
  Hold(service, std::move(holding));
}

Status ServiceAllocator::Admit(const ResourceType& type, const Json* old, Json& object,
                               const WriteOptions& options) {
  if (!IsService(type) || !object.is_object()) return Status::Ok();
  std::string_view ns = MetaString(object, "namespace");
  std::string name(MetaString(object, "name"));
  if (old == nullptr && registry_->Get(type, ns, name).ok()) {
    return Status::Ok();  // the create fails as AlreadyExists; nothing to allocate
  }
  if (old != nullptr && FindMember(old->at("metadata"), "deletionTimestamp") != nullptr) {
    return Status::Ok();  // going away: its allocations stay until it is gone
  }
  Json& spec = object.as_object()["spec"];
  if (!spec.is_object()) spec = JsonObject();
  ApplyDefaults(spec.get_object());
  const Json* old_spec = old ? FindMember(*old, "spec") : nullptr;
  std::string service = fmt::format("{}/{}", ns, name);
  KSTACK_RETURN_IF_ERROR(AllocateClusterIp(service, name, spec, old_spec, options.dry_run));
  return AllocateNodePorts(service, name, spec, old_spec, options.dry_run);
}

Status ServiceAllocator::AllocateClusterIp(const std::string& service, const std::string& name,
                                           Json& spec_json, const Json* old_spec, bool dry_run) {
  JsonObject& spec = spec_json.get_object();
  std::string_view type = TypeOf(spec_json);
  if (type == "ExternalName") {
    for (std::string_view k : {"clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy"}) {
      spec.erase(k);
    }
    return Status::Ok();
  }
  std::string requested(FindString(spec_json, "clusterIP"));
  const JsonArray* ips = FindArray(spec_json, "clusterIPs");
  std::string first = ips && !ips->empty() && ips->front().is_string()
                          ? std::string(ips->front().get_string())
                          : std::string();
  if (!requested.empty() && !first.empty() && requested != first) {
    return Invalid(name, "spec.clusterIPs[0]",
                   fmt::format("Invalid value: \"{}\": must match `clusterIP` when both are "
                               "specified",
                               first));
  }
  if (requested.empty()) requested = first;
  std::string old_ip = old_spec && TypeOf(*old_spec) != "ExternalName"
                           ? std::string(FindString(*old_spec, "clusterIP"))
                           : std::string();
  if (requested.empty()) requested = old_ip;  // an update that leaves it out keeps it
  if (!old_ip.empty() && requested != old_ip) {
    return Invalid(name, "spec.clusterIPs[0]",
                   fmt::format("Invalid value: \"{}\": field is immutable", requested));
  }
  std::string_view policy = FindString(spec_json, "ipFamilyPolicy");
  if (policy == "RequireDualStack" || policy == "PreferDualStack") {
    // Only RequireDualStack is refused by a single-stack cluster; PreferDualStack gets one.
    if (policy == "RequireDualStack" && requested != "None") {
      return Invalid(name, "spec.ipFamilyPolicy",
                     "Invalid value: \"RequireDualStack\": this cluster is not configured for "
                     "dual-stack services");
    }
  } else if (!policy.empty() && policy != "SingleStack") {
    return Invalid(name, "spec.ipFamilyPolicy",
                   fmt::format("Unsupported value: \"{}\": supported values: \"SingleStack\", "
                               "\"PreferDualStack\", \"RequireDualStack\"",
                               policy),
                   "FieldValueNotSupported");
  }
  if (const JsonArray* families = FindArray(spec_json, "ipFamilies")) {
    for (size_t i = 0; i < families->size(); ++i) {
      const Json& f = (*families)[i];
      if (!(f.is_string() && f.get_string() == "IPv4")) {
        return Invalid(name, fmt::format("spec.ipFamilies[{}]", i),
                       fmt::format("Invalid value: \"{}\": not configured on this cluster",
                                   f.is_string() ? std::string(f.get_string()) : WriteJson(f)));
      }
    }
  }
  if (requested == "None") {
    spec["clusterIP"] = "None";
    spec["clusterIPs"] = JsonArray({"None"});
    spec["ipFamilies"] = JsonArray({"IPv4"});
    // A headless service without a selector may serve any family.
    bool selector =
        FindObject(spec_json, "selector") != nullptr && !FindObject(spec_json, "selector")->empty();
    if (policy.empty()) spec["ipFamilyPolicy"] = selector ? "SingleStack" : "RequireDualStack";
    return Status::Ok();
  }
  std::string value_list = fmt::format("[]string{{\"{}\"}}", requested);
  std::lock_guard lock(mu_);
  uint32_t ip = 0;
  if (requested.empty()) {
    // Random in the upper part of the range, the lower one being for requested addresses
    // (Kubernetes' static subrange: size/16, at least 16, at most 256).
    uint64_t size = cidr_.size();
    uint64_t reserved = std::clamp<uint64_t>(size / 16, 16, 256);
    uint64_t usable = size - 2;
    bool found = false;
    for (int pass = 0; pass < 2 && !found; ++pass) {
      uint64_t lo = pass == 0 ? std::min(reserved, usable) : 0;
      uint64_t span = usable - lo;
      if (span == 0) continue;
      uint64_t start = std::uniform_int_distribution<uint64_t>(0, span - 1)(random_);
      for (uint64_t k = 0; k < span; ++k) {
        uint32_t candidate = cidr_.base + 1 + static_cast<uint32_t>(lo + (start + k) % span);
        auto it = ips_.find(candidate);
        if (it == ips_.end() || it->second == service) {
          ip = candidate;
          found = true;
          break;
        }
      }
    }
    if (!found) {
      return Invalid(name, "spec.clusterIPs",
                     fmt::format("Invalid value: []string(nil): failed "
                                 "to allocate a serviceIP: range is full"));
    }
  } else {
    std::optional<uint32_t> parsed = ParseIpv4(requested);
    if (!parsed) {
      return Invalid(name, "spec.clusterIPs[0]",
                     fmt::format("Invalid value: \"{}\": must be a valid IP address, (e.g. "
                                 "10.9.8.7 or 2001:db8::ffff)",
                                 requested));
    }
    if (!cidr_.Contains(*parsed)) {
      return Invalid(
          name, "spec.clusterIPs",
          fmt::format("Invalid value: {}: failed to allocate IP {}: the provided IP ({}) "
                      "is not in the valid range. The range of valid IPs is {}",
                      value_list, requested, requested, cidr_.ToString()));
    }
    auto it = ips_.find(*parsed);
    if (it != ips_.end() && it->second != service) {
      return Invalid(name, "spec.clusterIPs",
                     fmt::format("Invalid value: {}: failed to allocate IP {}: provided IP is "
                                 "already allocated",
                                 value_list, requested));
    }
    ip = *parsed;
  }
  std::string text = FormatIpv4(ip);
  spec["clusterIP"] = text;
  spec["clusterIPs"] = JsonArray({Json(text)});
  spec["ipFamilies"] = JsonArray({"IPv4"});
  if (policy.empty() || policy == "PreferDualStack") spec["ipFamilyPolicy"] = "SingleStack";
  if (!dry_run) {
    ips_[ip] = service;  // held from now; Written() settles what the service keeps
    held_[service].ip = text;
  }
  return Status::Ok();
}

Status ServiceAllocator::AllocateNodePorts(const std::string& service, const std::string& name,
                                           Json& spec_json, const Json* old_spec, bool dry_run) {
  std::string_view type = TypeOf(spec_json);
  Json* ports = spec_json.get_object().if_contains("ports");
  if (ports == nullptr || !ports->is_array()) return Status::Ok();
  JsonArray& list = ports->get_array();
  if (!HasNodePorts(type)) {
    bool had = old_spec != nullptr && HasNodePorts(TypeOf(*old_spec));
    for (size_t i = 0; i < list.size(); ++i) {
      if (!list[i].is_object() || !list[i].get_object().contains("nodePort")) continue;
      if (had) {
        list[i].get_object().erase("nodePort");  // the type no longer has node ports
        continue;
      }
      return Invalid(name, fmt::format("spec.ports[{}].nodePort", i),
                     fmt::format("Forbidden: may not be used when `type` is '{}'", type),
                     "FieldValueForbidden");
    }
    return Status::Ok();
  }
  const JsonArray* old_ports = old_spec ? FindArray(*old_spec, "ports") : nullptr;
  std::lock_guard lock(mu_);
  std::set<int> mine;
  for (size_t i = 0; i < list.size(); ++i) {
    if (!list[i].is_object()) continue;
    JsonObject& port = list[i].get_object();
    int wanted = 0;
    if (const Json* np = port.if_contains("nodePort"); np && np->is_int64()) {
      wanted = static_cast<int>(np->get_int64());
    }
    if (wanted == 0 && old_ports != nullptr && HasNodePorts(TypeOf(*old_spec))) {
      // An update that leaves a node port out keeps the one of the same port.
      for (const Json& o : *old_ports) {
        const Json* np = FindMember(o, "nodePort");
        const Json* number = FindMember(o, "port");
        if (np && np->is_int64() && number && port.if_contains("port") && *number == port["port"] &&
            FindString(o, "protocol") == FindString(list[i], "protocol")) {
          wanted = static_cast<int>(np->get_int64());
        }
      }
    }
    std::string field = fmt::format("spec.ports[{}].nodePort", i);
    if (wanted != 0) {
      if (wanted < kNodePortMin || wanted > kNodePortMax) {
        return Invalid(name, field,
                       fmt::format("Invalid value: {}: provided port is not in the valid range. "
                                   "The range of valid ports is {}-{}",
                                   wanted, kNodePortMin, kNodePortMax));
      }
      auto it = node_ports_.find(wanted);
      if ((it != node_ports_.end() && it->second != service) || mine.contains(wanted)) {
        return Invalid(
            name, field,
            fmt::format("Invalid value: {}: provided port is already allocated", wanted));
      }
    } else {
      int span = kNodePortMax - kNodePortMin + 1;
      int start = std::uniform_int_distribution<int>(0, span - 1)(random_);
      for (int k = 0; k < span && wanted == 0; ++k) {
        int candidate = kNodePortMin + (start + k) % span;
        auto it = node_ports_.find(candidate);
        if ((it == node_ports_.end() || it->second == service) && !mine.contains(candidate)) {
          wanted = candidate;
        }
      }
      if (wanted == 0) {
        return Invalid(name, field, "Invalid value: 0: range is full: no free node port");
      }
    }
    mine.insert(wanted);
    port["nodePort"] = wanted;
  }
  if (!dry_run) {
    for (int p : mine) node_ports_[p] = service;
    held_[service].node_ports.insert(mine.begin(), mine.end());
  }
  return Status::Ok();
}

Status ServiceAllocator::EnsureKubernetesService(const std::string& server_ip,
                                                 uint16_t server_port) {
  std::string ip = ParseIpv4(server_ip) ? server_ip : std::string("127.0.0.1");
  const ResourceType* services = machinery::FindBuiltinResource("", "v1", "services");
  Json service = JsonObject{
      {"metadata",
       JsonObject{{"name", "kubernetes"},
                  {"namespace", "default"},
                  {"labels", JsonObject{{"component", "apiserver"}, {"provider", "kubernetes"}}}}},
      {"spec", JsonObject{{"clusterIP", FormatIpv4(cidr_.base + 1)},
                          {"type", "ClusterIP"},
                          {"ports", JsonArray({JsonObject{{"name", "https"},
                                                          {"port", 443},
                                                          {"protocol", "TCP"},
                                                          {"targetPort", server_port}}})}}}};
  Result<Json> current = registry_->Get(*services, "default", "kubernetes");
  if (current.ok()) {
    // Keep its cluster IP (the range may have changed since); point its port at this server.
    Json& spec = service.as_object()["spec"];
    spec.as_object()["clusterIP"] = std::string(FindString(current->at("spec"), "clusterIP"));
    Json updated = *current;
    Json& stored_spec = updated.as_object()["spec"];
    if (!stored_spec.is_object()) stored_spec = JsonObject();
    stored_spec.as_object()["ports"] = spec.at("ports");
    KSTACK_RETURN_IF_ERROR(
        registry_->Update(*services, "default", "kubernetes", std::move(updated)).status());
  } else {
    KSTACK_RETURN_IF_ERROR(CreateOrUpdate(registry_, *services, "default", service, {"spec"}));
  }
  Json endpoints = JsonObject{
      {"metadata",
       JsonObject{{"name", "kubernetes"},
                  {"labels", JsonObject{{"endpointslice.kubernetes.io/skip-mirror", "true"}}}}},
      {"subsets",
       JsonArray({JsonObject{
           {"addresses", JsonArray({JsonObject{{"ip", ip}}})},
           {"ports", JsonArray({JsonObject{
                         {"name", "https"}, {"port", server_port}, {"protocol", "TCP"}}})}}})}};
  KSTACK_RETURN_IF_ERROR(CreateOrUpdate(registry_,
                                        *machinery::FindBuiltinResource("", "v1", "endpoints"),
                                        "default", endpoints, {"subsets"}));
  Json slice = JsonObject{
      {"metadata",
       JsonObject{{"name", "kubernetes"},
                  {"labels", JsonObject{{"kubernetes.io/service-name", "kubernetes"}}}}},
      {"addressType", "IPv4"},
      {"endpoints", JsonArray({JsonObject{{"addresses", JsonArray({Json(ip)})},
                                          {"conditions", JsonObject{{"ready", true}}}}})},
      {"ports",
       JsonArray({JsonObject{{"name", "https"}, {"port", server_port}, {"protocol", "TCP"}}})}};
  const ResourceType* slices =
      machinery::FindBuiltinResource("discovery.k8s.io", "v1", "endpointslices");
  if (slices == nullptr) return InternalError("discovery.k8s.io/v1 endpointslices not served");
  return CreateOrUpdate(registry_, *slices, "default", slice, {"endpoints", "ports"});
}

}  // namespace kstack::server
