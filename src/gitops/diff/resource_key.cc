#include "gitops/diff/resource_key.h"

#include "gitops/diff/internal/json_util.h"

namespace kstack::gitops::diff {

ResourceKey ResourceKey::Of(const Json& object) {
  ResourceKey key;
  key.group = std::string(internal::GroupOf(FindString(object, "apiVersion")));
  key.kind = std::string(FindString(object, "kind"));
  if (const Json* metadata = FindMember(object, "metadata")) {
    key.ns = std::string(FindString(*metadata, "namespace"));
    key.name = std::string(FindString(*metadata, "name"));
  }
  return key;
}

std::string ResourceKey::ToString() const { return group + "/" + kind + " " + ns + "/" + name; }

}  // namespace kstack::gitops::diff
