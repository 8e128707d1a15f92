// Tables of the objects that route traffic: services, endpoints, endpoint slices, ingresses,
// ingress classes and network policies.

#include <fmt/format.h>

#include <set>

#include "server/internal/table_printer.h"

namespace kstack::server::internal {
namespace {

std::string Name(const Json& o) { return Str(o, {"metadata", "name"}); }

std::vector<std::string> Strings(const JsonArray& items) {
  std::vector<std::string> out;
  for (const Json& s : items) {
    if (s.is_string()) out.emplace_back(s.get_string());
  }
  return out;
}

// The IPs (or else host names) of load balancer ingress points, sorted and unique.
std::string LoadBalancerText(const JsonArray& ingress) {
  std::set<std::string> points;
  for (const Json& point : ingress) {
    std::string ip = Str(point, {"ip"});
    std::string host = Str(point, {"hostname"});
    if (!ip.empty()) {
      points.insert(ip);
    } else if (!host.empty()) {
      points.insert(host);
    }
  }
  return Join(std::vector<std::string>(points.begin(), points.end()), ",");
}

std::string ServiceExternalIP(const Json& svc, std::string_view type) {
  std::vector<std::string> external = Strings(Items(svc, {"spec", "externalIPs"}));
  if (type == "ClusterIP" || type == "NodePort") {
    return external.empty() ? "<none>" : Join(external, ",");
  }
  if (type == "LoadBalancer") {
    std::string balancers = LoadBalancerText(Items(svc, {"status", "loadBalancer", "ingress"}));
    if (!external.empty()) {
      return balancers.empty() ? Join(external, ",")
                               : fmt::format("{},{}", balancers, Join(external, ","));
    }
    return balancers.empty() ? "<pending>" : balancers;
  }
  if (type == "ExternalName") return Str(svc, {"spec", "externalName"});
  return "<unknown>";
}

JsonArray ServiceRow(const RowInput& in) {
  const Json& svc = in.object;
  // The API server defaults the type to ClusterIP and clusterIPs from clusterIP.
  std::string type = Str(svc, {"spec", "type"}, "ClusterIP");
  std::string cluster_ip = Str(svc, {"spec", "clusterIP"}, "<none>");
  if (const JsonArray& ips = Items(svc, {"spec", "clusterIPs"}); !ips.empty()) {
    cluster_ip = ips[0].is_string() ? std::string(ips[0].get_string()) : "";
  }
  std::vector<std::string> ports;
  for (const Json& p : Items(svc, {"spec", "ports"})) {
    std::string protocol = Str(p, {"protocol"}, "TCP");
    int64_t node_port = Int(p, {"nodePort"});
    ports.push_back(node_port > 0 ? fmt::format("{}:{}/{}", Int(p, {"port"}), node_port, protocol)
                                  : fmt::format("{}/{}", Int(p, {"port"}), protocol));
  }
  return JsonArray{Name(svc),
                   type,
                   cluster_ip,
                   ServiceExternalIP(svc, type),
                   ports.empty() ? "<none>" : Join(ports, ","),
                   in.age,
                   LabelsText(At(svc, {"spec", "selector"}))};
}

// host:port of the first three addresses of every port ("+ N more..." for the rest), the bare
// addresses of subsets without ports.
std::string EndpointsText(const Json& endpoints) {
  const JsonArray& subsets = Items(endpoints, {"subsets"});
  if (subsets.empty()) return "<none>";
  constexpr size_t kShown = 3;
  std::vector<std::string> list;
  bool more = false;
  size_t count = 0;
  for (const Json& subset : subsets) {
    const JsonArray& addresses = Items(subset, {"addresses"});
    const JsonArray& ports = Items(subset, {"ports"});
    if (ports.empty()) {
      count += addresses.size();
      for (const Json& a : addresses) {
        if (list.size() == kShown) {
          more = true;
          break;
        }
        list.push_back(Str(a, {"ip"}));
      }
      continue;
    }
    for (const Json& port : ports) {
      count += addresses.size();
      for (const Json& a : addresses) {
        if (list.size() == kShown) {
          more = true;
          break;
        }
        std::string ip = Str(a, {"ip"});
        if (ip.find(':') != std::string::npos) ip = fmt::format("[{}]", ip);
        list.push_back(fmt::format("{}:{}", ip, Int(port, {"port"})));
      }
    }
  }
  std::string text = Join(list, ",");
  if (more) text += fmt::format(" + {} more...", count - kShown);
  return text;
}

JsonArray EndpointsRow(const RowInput& in) {
  return JsonArray{Name(in.object), EndpointsText(in.object), in.age};
}

// Up to three entries, "+ N more..." for the rest, "<unset>" for none.
std::string ListWithMore(const std::vector<std::string>& all) {
  constexpr size_t kShown = 3;
  if (all.empty()) return "<unset>";
  std::vector<std::string> shown(all.begin(), all.begin() + std::min(all.size(), kShown));
  std::string text = Join(shown, ",");
  if (all.size() > kShown) text += fmt::format(" + {} more...", all.size() - kShown);
  return text;
}

JsonArray EndpointSliceRow(const RowInput& in) {
  const Json& slice = in.object;
  std::vector<std::string> ports, addresses;
  for (const Json& p : Items(slice, {"ports"})) {
    if (std::optional<int64_t> port = OptInt(p, {"port"})) {
      ports.push_back(std::to_string(*port));
    } else if (At(p, {"name"}).is_string()) {
      ports.emplace_back(At(p, {"name"}).get_string());
    } else {
      ports.emplace_back("*");
    }
  }
  for (const Json& e : Items(slice, {"endpoints"})) {
    for (const Json& a : Items(e, {"addresses"})) {
      addresses.emplace_back(a.is_string() ? std::string(a.get_string()) : "");
    }
  }
  return JsonArray{Name(slice), Str(slice, {"addressType"}), ListWithMore(ports),
                   ListWithMore(addresses), in.age};
}

// The first three rule hosts ("+ N more..." counting all further rules), "*" for none.
std::string IngressHosts(const Json& ingress) {
  const JsonArray& rules = Items(ingress, {"spec", "rules"});
  constexpr size_t kShown = 3;
  std::vector<std::string> hosts;
  bool more = false;
  for (const Json& rule : rules) {
    if (hosts.size() == kShown) more = true;
    std::string host = Str(rule, {"host"});
    if (!more && !host.empty()) hosts.push_back(host);
  }
  if (hosts.empty()) return "*";
  std::string text = Join(hosts, ",");
  if (more) text += fmt::format(" + {} more...", rules.size() - kShown);
  return text;
}

JsonArray IngressRow(const RowInput& in) {
  const Json& ing = in.object;
  return JsonArray{Name(ing),
                   Str(ing, {"spec", "ingressClassName"}, "<none>"),
                   IngressHosts(ing),
                   LoadBalancerText(Items(ing, {"status", "loadBalancer", "ingress"})),
                   Items(ing, {"spec", "tls"}).empty() ? "80" : "80, 443",
                   in.age};
}

JsonArray IngressClassRow(const RowInput& in) {
  const Json& ic = in.object;
  std::string parameters = "<none>";
  if (const Json& p = At(ic, {"spec", "parameters"}); p.is_object()) {
    parameters = Str(p, {"kind"});
    if (At(p, {"apiGroup"}).is_string()) {
      parameters = fmt::format("{}.{}", parameters, FindString(p, "apiGroup"));
    }
    parameters = fmt::format("{}/{}", parameters, Str(p, {"name"}));
  }
  return JsonArray{Name(ic), Str(ic, {"spec", "controller"}), parameters, in.age};
}

JsonArray NetworkPolicyRow(const RowInput& in) {
  // spec.podSelector is a value, not a pointer: a missing one selects every pod.
  const Json& selector = At(in.object, {"spec", "podSelector"});
  return JsonArray{Name(in.object),
                   SelectorText(selector.is_null() ? Json(JsonObject()) : selector), in.age};
}

}  // namespace

void AddNetworkingPrinters(PrinterMap* printers) {
  PrinterMap& p = *printers;
  p["/services"] =
      Printer{{kNameColumn,
               {"Type", "string", "How the service is exposed."},
               {"Cluster-IP", "string", "The service's address inside the cluster."},
               {"External-IP", "string", "Addresses the service is reachable at from outside."},
               {"Port(s)", "string", "The service's ports, with node ports, and protocols."},
               kAgeColumn,
               {"Selector", "string", "Labels of the pods the service routes to.", 1}},
              ServiceRow};
  p["/endpoints"] = Printer{
      {kNameColumn, {"Endpoints", "string", "Addresses and ports of the endpoints."}, kAgeColumn},
      EndpointsRow};
  p["discovery.k8s.io/endpointslices"] =
      Printer{{kNameColumn,
               {"AddressType", "string", "The kind of addresses of the slice."},
               {"Ports", "string", "The ports of the slice's endpoints."},
               {"Endpoints", "string", "The addresses of the slice's endpoints."},
               kAgeColumn},
              EndpointSliceRow};
  p["networking.k8s.io/ingresses"] =
      Printer{{kNameColumn,
               {"Class", "string", "The ingress class that implements the ingress."},
               {"Hosts", "string", "Hosts the ingress's rules match."},
               {"Address", "string", "Addresses of the load balancer serving the ingress."},
               {"Ports", "string", "Ports the ingress opens."},
               kAgeColumn},
              IngressRow};
  p["networking.k8s.io/ingressclasses"] =
      Printer{{kNameColumn,
               {"Controller", "string", "The controller that implements the class."},
               {"Parameters", "string", "The object holding the class's parameters."},
               kAgeColumn},
              IngressClassRow};
  p["networking.k8s.io/networkpolicies"] =
      Printer{{kNameColumn,
               {"Pod-Selector", "string", "Labels of the pods the policy applies to."},
               kAgeColumn},
              NetworkPolicyRow};
}

}  // namespace kstack::server::internal
