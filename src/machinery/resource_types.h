#pragma once

// The built-in resource types kstack serves: one table, written once as data, that the server's
// routing, discovery and storage and the client's mapping read. The Kubernetes OpenAPI document
// is the fact source for groups, versions, kinds, scopes, verbs and subresources (a test checks
// the table against it type by type); short names and categories are those `kubectl
// api-resources` shows on a Kubernetes 1.32 cluster.

#include <span>
#include <string_view>

namespace kstack::machinery {

struct ResourceType {
  std::string_view group;     // "" for the core group
  std::string_view version;   // "v1"
  std::string_view group_version;  // "apps/v1", or "v1" for the core group
  std::string_view kind;      // "Deployment"
  std::string_view resource;  // the plural in URLs: "deployments"
  std::string_view singular;  // "deployment"
  bool namespaced = true;
  std::span<const std::string_view> short_names;
  std::span<const std::string_view> categories;
  std::span<const std::string_view> verbs;  // discovery verbs, sorted
  bool has_status = false;                  // the /status subresource
  bool has_scale = false;                   // the /scale subresource
  // metadata.generation is set on create and bumped when anything but metadata and status
  // changes (types whose controllers report status.observedGeneration).
  bool uses_generation = false;
};

// Every built-in type, grouped by group/version in the order discovery lists them.
std::span<const ResourceType> BuiltinResourceTypes();

// The type served at group/version/resource; null when there is none.
const ResourceType* FindBuiltinResource(std::string_view group, std::string_view version,
                                        std::string_view resource);

// The type of group/version/kind; null when there is none.
const ResourceType* FindBuiltinKind(std::string_view group, std::string_view version,
                                    std::string_view kind);

}  // namespace kstack::machinery
