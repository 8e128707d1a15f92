#pragma once

// Small readers of objects shared by the controller's files.

#include <string>
#include <string_view>

#include "core/json.h"
#include "kube/resource_ref.h"

namespace kstack::gitops::controller::internal {

// The member `key` of `object` when both are there and it is not null; else null.
inline const Json* Member(const Json* object, std::string_view key) {
  if (object == nullptr || !object->is_object()) return nullptr;
  const Json* value = FindMember(*object, key);
  return value == nullptr || value->is_null() ? nullptr : value;
}

// "apps" and "v1" of "apps/v1"; "" and "v1" of "v1".
inline std::string_view GroupOf(std::string_view api_version) {
  size_t slash = api_version.find('/');
  return slash == std::string_view::npos ? "" : api_version.substr(0, slash);
}
inline std::string_view VersionOf(std::string_view api_version) {
  size_t slash = api_version.find('/');
  return slash == std::string_view::npos ? api_version : api_version.substr(slash + 1);
}

// The Applications of `ns`, or the one named `name`.
inline kube::ResourceRef Applications(std::string ns, std::string name = "") {
  return {.group = "argoproj.io",
          .version = "v1alpha1",
          .resource = "applications",
          .namespace_name = std::move(ns),
          .name = std::move(name)};
}

}  // namespace kstack::gitops::controller::internal
