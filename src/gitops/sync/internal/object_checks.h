#pragma once

// What planning reads from an object, after checking that it is there and has the right type:
// apiVersion, kind, metadata.name/generateName/namespace and string annotations. Errors name
// the object by its role and position ("desired object 3 (Job default/migrate)").

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "core/result.h"

namespace kstack::gitops::sync::internal {

struct ObjectHeader {
  std::string group;  // "" for the core group
  std::string kind;
  std::string name;  // may be empty when generate_name is set
  std::string generate_name;
  std::string namespace_;   // as written in the object
  std::string description;  // "desired object 3 (Job default/migrate)", for errors
};

// Checks `object` (an object with apiVersion, kind, metadata, and annotations that are all
// strings). `role` is "desired object" or "live object", `index` its 0-based position.
// Errors: kInvalid naming the object and the field. A missing name is not an error here: only
// hooks may go without one, which the caller knows.
Result<ObjectHeader> ReadHeader(const Json& object, std::string_view role, size_t index);

// The value of metadata.annotations[key], or nullopt. REQUIRES: ReadHeader accepted `object`.
std::optional<std::string_view> Annotation(const Json& object, std::string_view key);

// The group of an apiVersion: "apps" for "apps/v1", "" for "v1".
std::string_view GroupOfApiVersion(std::string_view api_version);

// A CustomResourceDefinition (apiextensions.k8s.io) and a Namespace (core group).
bool IsCrd(std::string_view group, std::string_view kind);
bool IsNamespace(std::string_view group, std::string_view kind);
// "group/kind" of the custom resources a CRD defines; nullopt when its spec does not say.
std::optional<std::string> CrdDefines(const Json& crd);

// A comma-separated annotation value as Argo CD reads it: items trimmed of spaces, empty items
// dropped, repeated items kept once (first position).
std::vector<std::string> SplitCommaList(std::string_view text);

}  // namespace kstack::gitops::sync::internal
