// Tables of the core group's cluster and configuration objects: namespaces, nodes, events,
// config maps, secrets, service accounts and resource quotas.

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "server/internal/table_printer.h"

namespace kstack::server::internal {
namespace {

std::string Name(const Json& o) { return Str(o, {"metadata", "name"}); }

JsonArray ConfigMapRow(const RowInput& in) {
  return JsonArray{Name(in.object), Count(in.object, {"data"}) + Count(in.object, {"binaryData"}),
                   in.age};
}

JsonArray SecretRow(const RowInput& in) {
  // The API server folds stringData into data; count the keys of both once.
  std::set<std::string, std::less<>> keys;
  for (std::string_view field : {"data", "stringData"}) {
    if (const JsonObject* map = FindObject(in.object, field)) {
      for (const auto& kv : *map) keys.emplace(kv.key());
    }
  }
  // A secret without a type is Opaque.
  return JsonArray{Name(in.object), Str(in.object, {"type"}, "Opaque"),
                   static_cast<int64_t>(keys.size()), in.age};
}

JsonArray NamespaceRow(const RowInput& in) {
  return JsonArray{Name(in.object), Str(in.object, {"status", "phase"}), in.age};
}

JsonArray ServiceAccountRow(const RowInput& in) {
  return JsonArray{Name(in.object), Count(in.object, {"secrets"}), in.age};
}

std::string NodeStatus(const Json& node) {
  std::string status = "Unknown";
  for (const Json& c : Items(node, {"status", "conditions"})) {
    if (FindString(c, "type") == "Ready") {
      status = FindString(c, "status") == "True" ? "Ready" : "NotReady";
    }
  }
  if (IsTrue(node, {"spec", "unschedulable"})) status += ",SchedulingDisabled";
  return status;
}

// Roles from node-role.kubernetes.io/<role> labels and the kubernetes.io/role label, sorted.
std::string NodeRoles(const Json& node) {
  constexpr std::string_view kPrefix = "node-role.kubernetes.io/";
  std::set<std::string, std::less<>> roles;
  if (const JsonObject* labels = FindObject(At(node, {"metadata"}), "labels")) {
    for (const auto& kv : *labels) {
      std::string_view key = kv.key();
      if (key.starts_with(kPrefix)) {
        if (key.size() > kPrefix.size()) roles.emplace(key.substr(kPrefix.size()));
      } else if (key == "kubernetes.io/role" && kv.value().is_string() &&
                 !kv.value().get_string().empty()) {
        roles.emplace(kv.value().get_string());
      }
    }
  }
  if (roles.empty()) return "<none>";
  return Join(std::vector<std::string>(roles.begin(), roles.end()), ",");
}

std::string NodeAddress(const Json& node, std::string_view type) {
  for (const Json& a : Items(node, {"status", "addresses"})) {
    if (FindString(a, "type") == type) return std::string(FindString(a, "address"));
  }
  return "<none>";
}

JsonArray NodeRow(const RowInput& in) {
  const Json& node = in.object;
  return JsonArray{Name(node),
                   NodeStatus(node),
                   NodeRoles(node),
                   in.age,
                   Str(node, {"status", "nodeInfo", "kubeletVersion"}),
                   NodeAddress(node, "InternalIP"),
                   NodeAddress(node, "ExternalIP"),
                   Str(node, {"status", "nodeInfo", "osImage"}, "<unknown>"),
                   Str(node, {"status", "nodeInfo", "kernelVersion"}, "<unknown>"),
                   Str(node, {"status", "nodeInfo", "containerRuntimeVersion"}, "<unknown>")};
}

// The age of a set time, nothing for an absent or unreadable one.
std::optional<std::string> SinceIfSet(const Json& time, Clock::WallTime now) {
  if (!time.is_string() || !ParseTime(time.get_string())) return std::nullopt;
  return Since(time, now);
}

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return out;
}

std::string TrimSpace(std::string_view s) {
  constexpr std::string_view kSpace = " \t\n\r\v\f";
  size_t begin = s.find_first_not_of(kSpace);
  if (begin == std::string_view::npos) return "";
  return std::string(s.substr(begin, s.find_last_not_of(kSpace) - begin + 1));
}

JsonArray EventRow(const RowInput& in) {
  const Json& ev = in.object;
  std::string first =
      SinceIfSet(At(ev, {"firstTimestamp"}), in.now).value_or(Since(At(ev, {"eventTime"}), in.now));
  std::string last = SinceIfSet(At(ev, {"lastTimestamp"}), in.now).value_or(first);
  int64_t count = Int(ev, {"count"});
  if (At(ev, {"series"}).is_object()) {
    last = Since(At(ev, {"series", "lastObservedTime"}), in.now);
    count = Int(ev, {"series", "count"});
  } else if (count == 0) {
    count = 1;  // a singleton event of the events.k8s.io API has no count
  }
  std::string kind = Lower(Str(ev, {"involvedObject", "kind"}));
  std::string involved = Str(ev, {"involvedObject", "name"});
  std::string component = Str(ev, {"source", "component"}, Str(ev, {"reportingComponent"}));
  std::string instance = Str(ev, {"source", "host"}, Str(ev, {"reportingInstance"}));
  return JsonArray{last,
                   Str(ev, {"type"}),
                   Str(ev, {"reason"}),
                   involved.empty() ? kind : kind + "/" + involved,
                   Str(ev, {"involvedObject", "fieldPath"}),
                   instance.empty() ? component : component + ", " + instance,
                   TrimSpace(Str(ev, {"message"})),
                   first,
                   count,
                   Name(ev)};
}

// "resource: used/hard" for each hard limit, split into the Request and Limit columns
// (resources named limits.*), in resource name order.
JsonArray ResourceQuotaRow(const RowInput& in) {
  const Json& quota = in.object;
  std::vector<std::string> resources;
  if (const JsonObject* hard = FindObject(At(quota, {"status"}), "hard")) {
    for (const auto& kv : *hard) resources.emplace_back(kv.key());
  }
  std::sort(resources.begin(), resources.end());
  std::vector<std::string> requests, limits;
  for (const std::string& r : resources) {
    std::string text = fmt::format("{}: {}/{}", r, QuantityText(At(quota, {"status", "used", r})),
                                   QuantityText(At(quota, {"status", "hard", r})));
    size_t dot = r.find('.');
    (dot != std::string::npos && r.substr(0, dot) == "limits" ? limits : requests)
        .push_back(std::move(text));
  }
  return JsonArray{Name(quota), Join(requests, ", "), Join(limits, ", "), in.age};
}

}  // namespace

void AddCorePrinters(PrinterMap* printers) {
  PrinterMap& p = *printers;
  p["/configmaps"] =
      Printer{{kNameColumn, {"Data", "string", "Entries of data and binaryData."}, kAgeColumn},
              ConfigMapRow};
  p["/secrets"] = Printer{{kNameColumn,
                           {"Type", "string", "The type of the secret's content."},
                           {"Data", "string", "Entries of data."},
                           kAgeColumn},
                          SecretRow};
  p["/namespaces"] = Printer{
      {kNameColumn, {"Status", "string", "The phase of the namespace."}, kAgeColumn}, NamespaceRow};
  p["/serviceaccounts"] = Printer{
      {kNameColumn, {"Secrets", "string", "Secrets listed by the service account."}, kAgeColumn},
      ServiceAccountRow};
  p["/nodes"] =
      Printer{{kNameColumn,
               {"Status", "string", "Whether the node is ready, and schedulable."},
               {"Roles", "string", "The node's roles, from its node-role labels."},
               kAgeColumn,
               {"Version", "string", "The kubelet version of the node."},
               {"Internal-IP", "string", "The node's first internal address.", 1},
               {"External-IP", "string", "The node's first external address.", 1},
               {"OS-Image", "string", "The node's operating system image.", 1},
               {"Kernel-Version", "string", "The node's kernel version.", 1},
               {"Container-Runtime", "string", "The node's container runtime and its version.", 1}},
              NodeRow};
  p["/events"] =
      Printer{{{"Last Seen", "string", "Time since the event last occurred."},
               {"Type", "string", "Normal or Warning."},
               {"Reason", "string", "Why the event happened, in one word."},
               {"Object", "string", "The object the event is about, as kind/name."},
               {"Subobject", "string", "The part of the object the event is about.", 1},
               {"Source", "string", "The component that reported the event, and its host.", 1},
               {"Message", "string", "What happened, for people."},
               {"First Seen", "string", "Time since the event first occurred.", 1},
               {"Count", "string", "How often the event occurred.", 1},
               {"Name", "string", "Name of the event.", 1, "name"}},
              EventRow};
  p["/resourcequotas"] =
      Printer{{kNameColumn,
               {"Request", "string", "Used and hard amounts of the quota's resources but limits."},
               {"Limit", "string", "Used and hard amounts of the quota's limits.* resources."},
               kAgeColumn},
              ResourceQuotaRow};
}

}  // namespace kstack::server::internal
