#pragma once

// Whether a kind is namespaced, for filling in the destination namespace and finding live
// objects: the caller's discovery first, then kstack's built-in type table, then the CRDs among
// the objects. Anything else (a custom resource whose CRD is only in the cluster) has an
// unknown scope.

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/json.h"

namespace kstack::gitops::sync::internal {

enum class Scope { kNamespaced, kCluster, kUnknown };

class Scopes {
 public:
  using Discovery =
      std::function<std::optional<bool>(std::string_view group, std::string_view kind)>;

  // `discovery` may be empty. It must outlive this object.
  explicit Scopes(const Discovery& discovery) : discovery_(discovery) {}

  // Learns the scope of the kind a CustomResourceDefinition defines (spec.scope).
  void AddCrd(const Json& crd);

  Scope Of(std::string_view group, std::string_view kind) const;

 private:
  const Discovery& discovery_;
  std::map<std::string, Scope, std::less<>> crds_;  // "group/kind"
};

}  // namespace kstack::gitops::sync::internal
