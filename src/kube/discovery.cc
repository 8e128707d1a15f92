#include "kube/discovery.h"

#include "core/json.h"
#include "kube/client.h"

namespace kstack::kube {
namespace {

constexpr std::string_view kAggregatedAccept =
    "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json";

std::vector<std::string> Strings(const Json& object, std::string_view key) {
  std::vector<std::string> out;
  if (const JsonArray* list = FindArray(object, key)) {
    for (const Json& v : *list) {
      if (v.is_string()) out.emplace_back(v.as_string());
    }
  }
  return out;
}

// Appends the resources of an APIGroupDiscoveryList (aggregated discovery).
void ReadAggregated(const Json& list, std::vector<ApiResource>* out) {
  const JsonArray* items = FindArray(list, "items");
  if (items == nullptr) return;
  for (const Json& group : *items) {
    const Json* metadata = FindMember(group, "metadata");
    std::string group_name(metadata ? FindString(*metadata, "name") : "");
    const JsonArray* versions = FindArray(group, "versions");
    if (versions == nullptr) continue;
    for (const Json& version : *versions) {
      std::string version_name(FindString(version, "version"));
      const JsonArray* resources = FindArray(version, "resources");
      if (resources == nullptr) continue;
      for (const Json& r : *resources) {
        ApiResource a;
        a.group = group_name;
        a.version = version_name;
        a.resource = std::string(FindString(r, "resource"));
        if (const Json* kind = FindMember(r, "responseKind")) {
          a.kind = std::string(FindString(*kind, "kind"));
        }
        a.singular = std::string(FindString(r, "singularResource"));
        a.namespaced = FindString(r, "scope") != "Cluster";
        a.verbs = Strings(r, "verbs");
        a.short_names = Strings(r, "shortNames");
        if (const JsonArray* subs = FindArray(r, "subresources")) {
          for (const Json& s : *subs) a.subresources.emplace_back(FindString(s, "subresource"));
        }
        out->push_back(std::move(a));
      }
    }
  }
}

// Appends the resources of an APIResourceList of one group version.
void ReadResourceList(const Json& list, std::string_view group, std::string_view version,
                      std::vector<ApiResource>* out) {
  const JsonArray* resources = FindArray(list, "resources");
  if (resources == nullptr) return;
  size_t first = out->size();
  for (const Json& r : *resources) {
    std::string_view name = FindString(r, "name");
    size_t slash = name.find('/');
    if (slash != std::string_view::npos) continue;  // subresources: below
    ApiResource a;
    a.group = std::string(group);
    a.version = std::string(version);
    a.resource = std::string(name);
    a.kind = std::string(FindString(r, "kind"));
    a.singular = std::string(FindString(r, "singularName"));
    const Json* namespaced = FindMember(r, "namespaced");
    a.namespaced = namespaced && namespaced->is_bool() && namespaced->as_bool();
    a.verbs = Strings(r, "verbs");
    a.short_names = Strings(r, "shortNames");
    out->push_back(std::move(a));
  }
  for (const Json& r : *resources) {
    std::string_view name = FindString(r, "name");
    size_t slash = name.find('/');
    if (slash == std::string_view::npos) continue;
    for (size_t i = first; i < out->size(); ++i) {
      if ((*out)[i].resource == name.substr(0, slash)) {
        (*out)[i].subresources.emplace_back(name.substr(slash + 1));
      }
    }
  }
}

}  // namespace

Status Discovery::RefreshLocked() {
  std::vector<ApiResource> resources;
  bool aggregated = true;
  for (std::string path : {"/api", "/apis"}) {
    KSTACK_ASSIGN_OR_RETURN(
        Json doc, client_->GetPath(path, options_.aggregated ? std::string(kAggregatedAccept)
                                                             : std::string("application/json")));
    if (FindString(doc, "kind") == "APIGroupDiscoveryList") {
      ReadAggregated(doc, &resources);
      continue;
    }
    aggregated = false;
    if (path == "/api") {
      for (const std::string& version : Strings(doc, "versions")) {
        KSTACK_ASSIGN_OR_RETURN(Json list, client_->GetPath("/api/" + version));
        ReadResourceList(list, "", version, &resources);
      }
      continue;
    }
    const JsonArray* groups = FindArray(doc, "groups");
    if (groups == nullptr) continue;
    for (const Json& group : *groups) {
      const JsonArray* versions = FindArray(group, "versions");
      if (versions == nullptr) continue;
      for (const Json& v : *versions) {
        std::string group_version(FindString(v, "groupVersion"));
        Result<Json> list = client_->GetPath("/apis/" + group_version);
        // A group version being removed (its CRD deleted) may vanish between the two reads.
        if (!list.ok() && list.status().reason() == Reason::kNotFound) continue;
        if (!list.ok()) return list.status();
        ReadResourceList(*list, FindString(group, "name"), FindString(v, "version"), &resources);
      }
    }
  }
  resources_ = std::move(resources);
  aggregated_ = aggregated;
  loaded_ = true;
  return Status::Ok();
}

std::optional<ApiResource> Discovery::FindLocked(std::string_view group, std::string_view version,
                                                 std::string_view kind,
                                                 std::string_view resource) const {
  for (const ApiResource& r : resources_) {
    if (r.group != group || r.version != version) continue;
    if (!kind.empty() ? r.kind == kind : r.resource == resource) return r;
  }
  return std::nullopt;
}

Result<ApiResource> Discovery::ForKind(std::string_view group, std::string_view version,
                                       std::string_view kind) {
  std::lock_guard lock(mu_);
  bool refreshed = false;
  if (!loaded_) {
    KSTACK_RETURN_IF_ERROR(RefreshLocked());
    refreshed = true;
  }
  if (auto found = FindLocked(group, version, kind, "")) return *found;
  if (!refreshed) {
    KSTACK_RETURN_IF_ERROR(RefreshLocked());
    if (auto found = FindLocked(group, version, kind, "")) return *found;
  }
  std::string gv =
      group.empty() ? std::string(version) : std::string(group) + "/" + std::string(version);
  return NotFoundError("no resource of kind " + std::string(kind) + " in " + gv + " is served");
}

Result<ApiResource> Discovery::ForResource(std::string_view group, std::string_view version,
                                           std::string_view resource) {
  std::lock_guard lock(mu_);
  bool refreshed = false;
  if (!loaded_) {
    KSTACK_RETURN_IF_ERROR(RefreshLocked());
    refreshed = true;
  }
  if (auto found = FindLocked(group, version, "", resource)) return *found;
  if (!refreshed) {
    KSTACK_RETURN_IF_ERROR(RefreshLocked());
    if (auto found = FindLocked(group, version, "", resource)) return *found;
  }
  std::string gv =
      group.empty() ? std::string(version) : std::string(group) + "/" + std::string(version);
  return NotFoundError("the server does not serve " + std::string(resource) + " in " + gv);
}

Result<std::vector<ApiResource>> Discovery::All() {
  std::lock_guard lock(mu_);
  if (!loaded_) KSTACK_RETURN_IF_ERROR(RefreshLocked());
  return resources_;
}

Status Discovery::Refresh() {
  std::lock_guard lock(mu_);
  return RefreshLocked();
}

bool Discovery::aggregated() const {
  std::lock_guard lock(mu_);
  return aggregated_;
}

}  // namespace kstack::kube
