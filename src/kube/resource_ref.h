#pragma once

// Which objects a request is about: a type (group, version and either the resource, as in
// URLs, or the kind, mapped through discovery), an optional namespace and an optional name.

#include <string>

#include "core/json.h"
#include "core/result.h"

namespace kstack::kube {

struct ResourceRef {
  std::string group;           // "" for the core group
  std::string version;         // "v1"
  std::string resource;        // "deployments"; may be empty when kind is set
  std::string kind;            // "Deployment"; used when resource is empty
  std::string namespace_name;  // empty: cluster-scoped, or all namespaces for a list or watch
  std::string name;            // empty for list, watch and create
};

// "group/version" or "version" for the core group.
inline std::string GroupVersion(const ResourceRef& ref) {
  return ref.group.empty() ? ref.version : ref.group + "/" + ref.version;
}

// The reference of a manifest's object: group and version from apiVersion, its kind,
// metadata.namespace and metadata.name. Errors: kInvalid naming the missing or malformed field
// ("apiVersion: required", "kind: required", "apiVersion: \"a/b/c\" is not group/version").
Result<ResourceRef> RefOf(const Json& object);

}  // namespace kstack::kube
