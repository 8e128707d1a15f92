#pragma once

// The identity of a resource in a comparison: group, kind, namespace and name (the version is
// not part of it: one object read at two versions is one resource).

#include <compare>
#include <string>

#include "core/json.h"

namespace kstack::gitops::diff {

struct ResourceKey {
  std::string group;  // "" for the core group
  std::string kind;
  std::string ns;  // "" for cluster-scoped resources
  std::string name;

  // The key of an object from its apiVersion, kind, metadata.namespace and metadata.name.
  static ResourceKey Of(const Json& object);

  // "apps/Deployment default/web", "/Namespace /team-a": the layout `argocd app diff` titles
  // resources with.
  std::string ToString() const;

  auto operator<=>(const ResourceKey&) const = default;
};

}  // namespace kstack::gitops::diff
