#include "server/table.h"

#include <fmt/format.h>

#include <ctime>
#include <functional>

namespace kstack::server {
namespace {

using machinery::ResourceType;

struct Column {
  std::string_view name;
  std::string_view type;  // string, integer, date
  std::string_view format;
  std::string_view description;
  int priority = 0;  // 1: shown only with -o wide
};

using RowFn = std::function<JsonArray(const Json& object, const std::string& age)>;

struct Printer {
  std::vector<Column> columns;
  RowFn row;
};

const Json kNull = nullptr;

const Json& At(const Json& v, std::initializer_list<std::string_view> path) {
  const Json* at = &v;
  for (std::string_view step : path) {
    at = FindMember(*at, step);
    if (at == nullptr) return kNull;
  }
  return *at;
}

std::string Str(const Json& v, std::initializer_list<std::string_view> path,
                std::string_view fallback = "") {
  const Json& x = At(v, path);
  return x.is_string() ? std::string(x.get_string()) : std::string(fallback);
}

int64_t Int(const Json& v, std::initializer_list<std::string_view> path) {
  const Json& x = At(v, path);
  return x.is_int64() ? x.get_int64() : 0;
}

size_t Size(const Json& v, std::initializer_list<std::string_view> path) {
  const Json& x = At(v, path);
  if (x.is_object()) return x.get_object().size();
  if (x.is_array()) return x.get_array().size();
  return 0;
}

std::string Join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (const std::string& p : parts) {
    if (!out.empty()) out += sep;
    out += p;
  }
  return out;
}

std::string ContainerField(const Json& pod_spec, std::string_view field) {
  std::vector<std::string> values;
  if (const JsonArray* containers = FindArray(pod_spec, "containers")) {
    for (const Json& c : *containers) values.emplace_back(FindString(c, field));
  }
  return Join(values, ",");
}

// A map of strings as "k=v,k2=v2", or "<none>" when it is absent or empty.
std::string MapText(const JsonObject* map) {
  std::vector<std::string> parts;
  if (map != nullptr) {
    for (const auto& kv : *map) {
      if (kv.value().is_string()) {
        parts.push_back(std::string(kv.key()) + "=" + std::string(kv.value().get_string()));
      }
    }
  }
  return parts.empty() ? "<none>" : Join(parts, ",");
}

std::string SelectorText(const Json& selector) {
  return MapText(FindObject(selector, "matchLabels"));
}

const Column kName{"Name", "string", "name", "The object's name, unique in its namespace."};
const Column kContainers{"Containers", "string", "", "The containers of the pod template.", 1};
const Column kImages{"Images", "string", "", "The images of the pod template's containers.", 1};
const Column kSelector{"Selector", "string", "", "The label selector of the pods concerned.", 1};
const Column kAge{"Age", "string", "", "Time since the object was created."};

std::string PodStatus(const Json& pod) {
  if (At(pod, {"metadata", "deletionTimestamp"}).is_string()) return "Terminating";
  std::string reason = Str(pod, {"status", "reason"}, Str(pod, {"status", "phase"}, "Pending"));
  if (const JsonArray* statuses = FindArray(At(pod, {"status"}), "containerStatuses")) {
    for (const Json& s : *statuses) {
      std::string waiting = Str(s, {"state", "waiting", "reason"});
      std::string terminated = Str(s, {"state", "terminated", "reason"});
      if (!waiting.empty()) reason = waiting;
      if (!terminated.empty() && reason == Str(pod, {"status", "phase"})) reason = terminated;
    }
  }
  return reason;
}

const std::vector<std::pair<std::string_view, Printer>>& Printers() {
  static const auto* printers = new std::vector<std::pair<std::string_view, Printer>>{
      {"/pods",
       {{kName,
         {"Ready", "string", "", "Ready containers or replicas out of those wanted."},
         {"Status", "string", "", "What state the object is in."},
         {"Restarts", "string", "", "How often the pod's containers have restarted."},
         kAge,
         {"IP", "string", "", "The pod's IP address.", 1},
         {"Node", "string", "", "The node the pod runs on.", 1},
         {"Nominated Node", "string", "", "The node the scheduler nominated after preemption.", 1},
         {"Readiness Gates", "string", "", "Extra conditions the pod's readiness waits for.", 1}},
        [](const Json& pod, const std::string& age) {
          size_t total = Size(pod, {"spec", "containers"});
          int64_t ready = 0, restarts = 0;
          if (const JsonArray* statuses = FindArray(At(pod, {"status"}), "containerStatuses")) {
            for (const Json& s : *statuses) {
              if (At(s, {"ready"}).is_bool() && At(s, {"ready"}).get_bool()) ++ready;
              restarts += Int(s, {"restartCount"});
            }
          }
          return JsonArray{Str(pod, {"metadata", "name"}),
                           fmt::format("{}/{}", ready, total),
                           PodStatus(pod),
                           std::to_string(restarts),
                           age,
                           Str(pod, {"status", "podIP"}, "<none>"),
                           Str(pod, {"spec", "nodeName"}, "<none>"),
                           Str(pod, {"status", "nominatedNodeName"}, "<none>"),
                           "<none>"};
        }}},
      {"apps/deployments",
       {{kName,
         {"Ready", "string", "", "Ready containers or replicas out of those wanted."},
         {"Up-to-date", "integer", "", "Replicas running the current pod template."},
         {"Available", "integer", "", "Replicas available to serve."},
         kAge,
         kContainers,
         kImages,
         kSelector},
        [](const Json& d, const std::string& age) {
          const Json& replicas = At(d, {"spec", "replicas"});
          int64_t desired = replicas.is_int64() ? replicas.get_int64() : 1;
          const Json& pod_spec = At(d, {"spec", "template", "spec"});
          return JsonArray{Str(d, {"metadata", "name"}),
                           fmt::format("{}/{}", Int(d, {"status", "readyReplicas"}), desired),
                           Int(d, {"status", "updatedReplicas"}),
                           Int(d, {"status", "availableReplicas"}),
                           age,
                           ContainerField(pod_spec, "name"),
                           ContainerField(pod_spec, "image"),
                           SelectorText(At(d, {"spec", "selector"}))};
        }}},
      {"apps/replicasets",
       {{kName,
         {"Desired", "integer", "", "Replicas wanted."},
         {"Current", "integer", "", "Replicas created."},
         {"Ready", "integer", "", "Replicas ready."},
         kAge,
         kContainers,
         kImages,
         kSelector},
        [](const Json& rs, const std::string& age) {
          const Json& replicas = At(rs, {"spec", "replicas"});
          const Json& pod_spec = At(rs, {"spec", "template", "spec"});
          return JsonArray{Str(rs, {"metadata", "name"}),
                           replicas.is_int64() ? replicas.get_int64() : 1,
                           Int(rs, {"status", "replicas"}),
                           Int(rs, {"status", "readyReplicas"}),
                           age,
                           ContainerField(pod_spec, "name"),
                           ContainerField(pod_spec, "image"),
                           SelectorText(At(rs, {"spec", "selector"}))};
        }}},
      {"apps/statefulsets",
       {{kName,
         {"Ready", "string", "", "Ready containers or replicas out of those wanted."},
         kAge,
         kContainers,
         kImages},
        [](const Json& sts, const std::string& age) {
          const Json& replicas = At(sts, {"spec", "replicas"});
          const Json& pod_spec = At(sts, {"spec", "template", "spec"});
          return JsonArray{Str(sts, {"metadata", "name"}),
                           fmt::format("{}/{}", Int(sts, {"status", "readyReplicas"}),
                                       replicas.is_int64() ? replicas.get_int64() : 1),
                           age, ContainerField(pod_spec, "name"),
                           ContainerField(pod_spec, "image")};
        }}},
      {"apps/daemonsets",
       {{kName,
         {"Desired", "integer", "", "Nodes that should run the daemon pod."},
         {"Current", "integer", "", "Nodes running at least one daemon pod."},
         {"Ready", "integer", "", "Nodes whose daemon pod is ready."},
         {"Up-to-date", "integer", "", "Nodes running the current pod template."},
         {"Available", "integer", "", "Nodes whose daemon pod is available."},
         {"Node Selector", "string", "", "The nodes the daemon pods may run on."},
         kAge,
         kContainers,
         kImages,
         kSelector},
        [](const Json& ds, const std::string& age) {
          const Json& pod_spec = At(ds, {"spec", "template", "spec"});
          return JsonArray{Str(ds, {"metadata", "name"}),
                           Int(ds, {"status", "desiredNumberScheduled"}),
                           Int(ds, {"status", "currentNumberScheduled"}),
                           Int(ds, {"status", "numberReady"}),
                           Int(ds, {"status", "updatedNumberScheduled"}),
                           Int(ds, {"status", "numberAvailable"}),
                           MapText(FindObject(pod_spec, "nodeSelector")),
                           age,
                           ContainerField(pod_spec, "name"),
                           ContainerField(pod_spec, "image"),
                           SelectorText(At(ds, {"spec", "selector"}))};
        }}},
      {"/serviceaccounts",
       {{kName, {"Secrets", "integer", "", "The number of secrets of the service account."}, kAge},
        [](const Json& sa, const std::string& age) {
          return JsonArray{Str(sa, {"metadata", "name"}),
                           static_cast<int64_t>(Size(sa, {"secrets"})), age};
        }}},
      {"/nodes",
       {{kName,
         {"Status", "string", "", "What state the object is in."},
         {"Roles", "string", "", "The roles of the node, from its node-role labels."},
         kAge,
         {"Version", "string", "", "The kubelet version of the node."},
         {"Internal-IP", "string", "", "The node's internal address.", 1},
         {"External-IP", "string", "", "The node's external address.", 1},
         {"OS-Image", "string", "", "The node's operating system image.", 1},
         {"Kernel-Version", "string", "", "The node's kernel version.", 1},
         {"Container-Runtime", "string", "", "The node's container runtime and version.", 1}},
        [](const Json& node, const std::string& age) {
          std::string status = "Unknown";
          if (const JsonArray* conditions = FindArray(At(node, {"status"}), "conditions")) {
            for (const Json& c : *conditions) {
              if (Str(c, {"type"}) == "Ready") {
                status = Str(c, {"status"}) == "True" ? "Ready" : "NotReady";
              }
            }
          }
          if (At(node, {"spec", "unschedulable"}).is_bool() &&
              At(node, {"spec", "unschedulable"}).get_bool()) {
            status += ",SchedulingDisabled";
          }
          std::vector<std::string> roles;
          if (const JsonObject* labels = FindObject(At(node, {"metadata"}), "labels")) {
            constexpr std::string_view kRole = "node-role.kubernetes.io/";
            for (const auto& kv : *labels) {
              std::string_view key = kv.key();
              if (key.starts_with(kRole) && key.size() > kRole.size()) {
                roles.emplace_back(key.substr(kRole.size()));
              }
            }
          }
          std::string internal = "<none>", external = "<none>";
          if (const JsonArray* addresses = FindArray(At(node, {"status"}), "addresses")) {
            for (const Json& a : *addresses) {
              if (Str(a, {"type"}) == "InternalIP" && internal == "<none>") {
                internal = Str(a, {"address"});
              }
              if (Str(a, {"type"}) == "ExternalIP" && external == "<none>") {
                external = Str(a, {"address"});
              }
            }
          }
          return JsonArray{
              Str(node, {"metadata", "name"}),
              status,
              roles.empty() ? "<none>" : Join(roles, ","),
              age,
              Str(node, {"status", "nodeInfo", "kubeletVersion"}),
              internal,
              external,
              Str(node, {"status", "nodeInfo", "osImage"}, "<unknown>"),
              Str(node, {"status", "nodeInfo", "kernelVersion"}, "<unknown>"),
              Str(node, {"status", "nodeInfo", "containerRuntimeVersion"}, "<unknown>")};
        }}},
      {"coordination.k8s.io/leases",
       {{kName, {"Holder", "string", "", "The identity of the lease's holder."}, kAge},
        [](const Json& lease, const std::string& age) {
          return JsonArray{Str(lease, {"metadata", "name"}), Str(lease, {"spec", "holderIdentity"}),
                           age};
        }}},
      {"/configmaps",
       {{kName, {"Data", "integer", "", "The number of data entries."}, kAge},
        [](const Json& cm, const std::string& age) {
          return JsonArray{Str(cm, {"metadata", "name"}),
                           static_cast<int64_t>(Size(cm, {"data"}) + Size(cm, {"binaryData"})),
                           age};
        }}},
      {"/secrets",
       {{kName,
         {"Type", "string", "", "The object's type."},
         {"Data", "integer", "", "The number of data entries."},
         kAge},
        [](const Json& s, const std::string& age) {
          return JsonArray{Str(s, {"metadata", "name"}), Str(s, {"type"}),
                           static_cast<int64_t>(Size(s, {"data"})), age};
        }}},
      {"/namespaces",
       {{kName, {"Status", "string", "", "What state the object is in."}, kAge},
        [](const Json& ns, const std::string& age) {
          return JsonArray{Str(ns, {"metadata", "name"}), Str(ns, {"status", "phase"}), age};
        }}},
      {"/services",
       {{kName,
         {"Type", "string", "", "The object's type."},
         {"Cluster-IP", "string", "", "The service's virtual IP in the cluster."},
         {"External-IP", "string", "", "Addresses outside the cluster the service answers on."},
         {"Port(s)", "string", "", "The ports the service exposes."},
         kAge,
         kSelector},
        [](const Json& svc, const std::string& age) {
          std::string type = Str(svc, {"spec", "type"}, "ClusterIP");
          std::vector<std::string> ports;
          if (const JsonArray* list = FindArray(At(svc, {"spec"}), "ports")) {
            for (const Json& p : *list) {
              std::string port = std::to_string(Int(p, {"port"}));
              if (int64_t node_port = Int(p, {"nodePort"}); node_port > 0) {
                port += ":" + std::to_string(node_port);
              }
              ports.push_back(port + "/" + Str(p, {"protocol"}, "TCP"));
            }
          }
          std::string external = type == "LoadBalancer" ? "<pending>" : "<none>";
          return JsonArray{Str(svc, {"metadata", "name"}),
                           type,
                           Str(svc, {"spec", "clusterIP"}, "<none>"),
                           external,
                           ports.empty() ? "<none>" : Join(ports, ","),
                           age,
                           MapText(FindObject(At(svc, {"spec"}), "selector"))};
        }}},
  };
  return *printers;
}

const Printer& DefaultPrinter() {
  static const Printer* printer =
      new Printer{{kName, {"Created At", "date", "", "When the object was created."}},
                  [](const Json& object, const std::string&) {
                    return JsonArray{Str(object, {"metadata", "name"}),
                                     Str(object, {"metadata", "creationTimestamp"})};
                  }};
  return *printer;
}

// Parses metav1.Time ("2024-01-01T00:00:00Z"); false when it is not in that form.
bool ParseTime(std::string_view text, Clock::WallTime* out) {
  std::tm tm{};
  if (text.size() < 20 ||
      sscanf(std::string(text).c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon,
             &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6) {
    return false;
  }
  using namespace std::chrono;
  sys_days day = year{tm.tm_year} / tm.tm_mon / tm.tm_mday;
  *out = day + hours(tm.tm_hour) + minutes(tm.tm_min) + seconds(tm.tm_sec);
  return true;
}

}  // namespace

std::string HumanDuration(std::chrono::seconds d) {
  int64_t s = d.count();
  if (s < -1) return "<invalid>";
  if (s < 0) return "0s";
  if (s < 120) return fmt::format("{}s", s);
  int64_t minutes = s / 60;
  if (minutes < 10)
    return s % 60 == 0 ? fmt::format("{}m", minutes) : fmt::format("{}m{}s", minutes, s % 60);
  if (minutes < 180) return fmt::format("{}m", minutes);
  int64_t hours = s / 3600;
  if (hours < 8)
    return minutes % 60 == 0 ? fmt::format("{}h", hours)
                             : fmt::format("{}h{}m", hours, minutes % 60);
  if (hours < 48) return fmt::format("{}h", hours);
  if (hours < 24 * 8)
    return hours % 24 == 0 ? fmt::format("{}d", hours / 24)
                           : fmt::format("{}d{}h", hours / 24, hours % 24);
  if (hours < 24 * 365 * 2) return fmt::format("{}d", hours / 24);
  if (hours < 24 * 365 * 8) {
    int64_t days = (hours / 24) % 365;
    return days == 0 ? fmt::format("{}y", hours / 24 / 365)
                     : fmt::format("{}y{}d", hours / 24 / 365, days);
  }
  return fmt::format("{}y", hours / 24 / 365);
}

Json ToTable(const ResourceType& type, std::span<const Json> objects, const Json& list_metadata,
             Clock::WallTime now) {
  std::string key = std::string(type.group) + "/" + std::string(type.resource);
  const Printer* printer = &DefaultPrinter();
  for (const auto& [name, p] : Printers()) {
    if (name == key) printer = &p;
  }
  JsonArray columns;
  for (const Column& c : printer->columns) {
    columns.push_back(JsonObject{{"name", c.name},
                                 {"type", c.type},
                                 {"format", c.format},
                                 {"description", c.description},
                                 {"priority", c.priority}});
  }
  JsonArray rows;
  for (const Json& object : objects) {
    std::string age = "<unknown>";
    Clock::WallTime created;
    if (ParseTime(Str(object, {"metadata", "creationTimestamp"}), &created)) {
      age = HumanDuration(std::chrono::duration_cast<std::chrono::seconds>(now - created));
    }
    Json metadata = At(object, {"metadata"});
    rows.push_back(JsonObject{
        {"cells", printer->row(object, age)},
        {"object",
         JsonObject{{"kind", "PartialObjectMetadata"},
                    {"apiVersion", "meta.k8s.io/v1"},
                    {"metadata", metadata.is_object() ? metadata : Json(JsonObject())}}}});
  }
  return JsonObject{{"kind", "Table"},
                    {"apiVersion", "meta.k8s.io/v1"},
                    {"metadata", list_metadata.is_object() ? list_metadata : Json(JsonObject())},
                    {"columnDefinitions", std::move(columns)},
                    {"rows", std::move(rows)}};
}

}  // namespace kstack::server
