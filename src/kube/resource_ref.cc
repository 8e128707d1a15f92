#include "kube/resource_ref.h"

namespace kstack::kube {

Result<ResourceRef> RefOf(const Json& object) {
  if (!object.is_object()) return InvalidError("object: must be a mapping");
  std::string_view api_version = FindString(object, "apiVersion");
  if (api_version.empty()) return InvalidError("apiVersion: required");
  ResourceRef ref;
  size_t slash = api_version.find('/');
  if (slash == std::string_view::npos) {
    ref.version = std::string(api_version);
  } else {
    ref.group = std::string(api_version.substr(0, slash));
    ref.version = std::string(api_version.substr(slash + 1));
    if (ref.group.empty() || ref.version.empty() || ref.version.find('/') != std::string::npos) {
      return InvalidError("apiVersion: \"" + std::string(api_version) + "\" is not group/version");
    }
  }
  ref.kind = std::string(FindString(object, "kind"));
  if (ref.kind.empty()) return InvalidError("kind: required");
  if (const Json* metadata = FindMember(object, "metadata")) {
    ref.namespace_name = std::string(FindString(*metadata, "namespace"));
    ref.name = std::string(FindString(*metadata, "name"));
  }
  return ref;
}

}  // namespace kstack::kube
