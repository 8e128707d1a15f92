#include "server/discovery.h"

#include <algorithm>
#include <string>
#include <vector>

namespace kstack::server {
namespace {

using machinery::ResourceType;

JsonArray Strings(std::span<const std::string_view> values) {
  JsonArray out;
  for (std::string_view v : values) out.emplace_back(v);
  return out;
}

const JsonArray& SubresourceVerbs() {
  static const JsonArray* verbs = new JsonArray({"get", "patch", "update"});
  return *verbs;
}

// Named groups and their versions in the order of the table (first version preferred).
std::vector<std::pair<std::string_view, std::vector<std::string_view>>> Groups(
    std::span<const ResourceType> types, bool core) {
  std::vector<std::pair<std::string_view, std::vector<std::string_view>>> groups;
  for (const ResourceType& t : types) {
    if (t.group.empty() != core) continue;
    auto it = std::find_if(groups.begin(), groups.end(),
                           [&](const auto& g) { return g.first == t.group; });
    if (it == groups.end()) {
      groups.push_back({t.group, {}});
      it = std::prev(groups.end());
    }
    if (std::find(it->second.begin(), it->second.end(), t.version) == it->second.end()) {
      it->second.push_back(t.version);
    }
  }
  return groups;
}

std::string GroupVersion(std::string_view group, std::string_view version) {
  return group.empty() ? std::string(version) : std::string(group) + "/" + std::string(version);
}

}  // namespace

Json CoreApiVersions(std::string_view server_address) {
  return JsonObject{
      {"kind", "APIVersions"},
      {"versions", JsonArray({"v1"})},
      {"serverAddressByClientCIDRs",
       JsonArray({JsonObject{{"clientCIDR", "0.0.0.0/0"}, {"serverAddress", server_address}}})}};
}

Json ApiGroupList(std::span<const ResourceType> types) {
  JsonArray groups;
  for (const auto& [group, versions] : Groups(types, false)) {
    JsonArray list;
    for (std::string_view v : versions) {
      list.push_back(JsonObject{{"groupVersion", GroupVersion(group, v)}, {"version", v}});
    }
    Json preferred = list.front();
    groups.push_back(JsonObject{{"name", group},
                                {"versions", std::move(list)},
                                {"preferredVersion", std::move(preferred)}});
  }
  return JsonObject{{"kind", "APIGroupList"}, {"apiVersion", "v1"}, {"groups", std::move(groups)}};
}

Json ApiResourceList(std::span<const ResourceType> types, std::string_view group,
                     std::string_view version) {
  JsonArray resources;
  for (const ResourceType& t : types) {
    if (t.group != group || t.version != version) continue;
    JsonObject r{{"name", t.resource},
                 {"singularName", t.singular},
                 {"namespaced", t.namespaced},
                 {"kind", t.kind},
                 {"verbs", Strings(t.verbs)}};
    if (!t.short_names.empty()) r["shortNames"] = Strings(t.short_names);
    if (!t.categories.empty()) r["categories"] = Strings(t.categories);
    resources.push_back(std::move(r));
    if (t.has_status) {
      resources.push_back(JsonObject{{"name", std::string(t.resource) + "/status"},
                                     {"singularName", ""},
                                     {"namespaced", t.namespaced},
                                     {"kind", t.kind},
                                     {"verbs", SubresourceVerbs()}});
    }
    if (t.has_scale) {
      resources.push_back(JsonObject{{"name", std::string(t.resource) + "/scale"},
                                     {"singularName", ""},
                                     {"namespaced", t.namespaced},
                                     {"group", "autoscaling"},
                                     {"version", "v1"},
                                     {"kind", "Scale"},
                                     {"verbs", SubresourceVerbs()}});
    }
  }
  if (resources.empty()) return nullptr;
  return JsonObject{{"kind", "APIResourceList"},
                    {"apiVersion", "v1"},
                    {"groupVersion", GroupVersion(group, version)},
                    {"resources", std::move(resources)}};
}

Json AggregatedDiscovery(std::span<const ResourceType> types, bool core) {
  JsonArray items;
  for (const auto& [group, versions] : Groups(types, core)) {
    JsonArray version_list;
    for (std::string_view v : versions) {
      JsonArray resources;
      for (const ResourceType& t : types) {
        if (t.group != group || t.version != v) continue;
        JsonObject kind{{"group", t.group}, {"version", t.version}, {"kind", t.kind}};
        JsonObject r{{"resource", t.resource},
                     {"responseKind", kind},
                     {"scope", t.namespaced ? "Namespaced" : "Cluster"},
                     {"singularResource", t.singular},
                     {"verbs", Strings(t.verbs)}};
        if (!t.short_names.empty()) r["shortNames"] = Strings(t.short_names);
        if (!t.categories.empty()) r["categories"] = Strings(t.categories);
        JsonArray subresources;
        if (t.has_status) {
          subresources.push_back(JsonObject{
              {"subresource", "status"}, {"responseKind", kind}, {"verbs", SubresourceVerbs()}});
        }
        if (t.has_scale) {
          subresources.push_back(JsonObject{
              {"subresource", "scale"},
              {"responseKind",
               JsonObject{{"group", "autoscaling"}, {"version", "v1"}, {"kind", "Scale"}}},
              {"verbs", SubresourceVerbs()}});
        }
        if (!subresources.empty()) r["subresources"] = std::move(subresources);
        resources.push_back(std::move(r));
      }
      version_list.push_back(JsonObject{
          {"version", v}, {"resources", std::move(resources)}, {"freshness", "Current"}});
    }
    items.push_back(JsonObject{{"metadata", JsonObject{{"name", group}}},
                               {"versions", std::move(version_list)}});
  }
  return JsonObject{{"kind", "APIGroupDiscoveryList"},
                    {"apiVersion", "apidiscovery.k8s.io/v2"},
                    {"metadata", JsonObject()},
                    {"items", std::move(items)}};
}

}  // namespace kstack::server
