#include "gitops/sync/internal/scopes.h"

#include "gitops/sync/internal/object_checks.h"
#include "machinery/resource_types.h"

namespace kstack::gitops::sync::internal {

void Scopes::AddCrd(const Json& crd) {
  std::optional<std::string> defines = CrdDefines(crd);
  if (!defines) return;
  std::string_view scope = FindString(*FindMember(crd, "spec"), "scope");
  if (scope == "Namespaced") crds_[*defines] = Scope::kNamespaced;
  if (scope == "Cluster") crds_[*defines] = Scope::kCluster;
}

Scope Scopes::Of(std::string_view group, std::string_view kind) const {
  if (discovery_) {
    if (std::optional<bool> namespaced = discovery_(group, kind)) {
      return *namespaced ? Scope::kNamespaced : Scope::kCluster;
    }
  }
  for (const machinery::ResourceType& type : machinery::BuiltinResourceTypes()) {
    if (type.group == group && type.kind == kind) {
      return type.namespaced ? Scope::kNamespaced : Scope::kCluster;
    }
  }
  auto it = crds_.find(std::string(group) + "/" + std::string(kind));
  return it == crds_.end() ? Scope::kUnknown : it->second;
}

}  // namespace kstack::gitops::sync::internal
