#pragma once

// metadata.managedFields read as the comparison needs it. A manager's fieldsV1 is a tree of
// "f:<field>" (an object member), "k:<json>" (the element of a keyed list whose key fields have
// those values), "v:<json>" (the element of a set with that value), "i:<n>" (an element by
// index), and "." (the node itself).

#include <string>
#include <variant>
#include <vector>

#include "core/json.h"

namespace kstack::gitops::diff::internal {

struct ManagedStep {
  enum class Kind { kField, kKey, kValue, kIndex };
  Kind kind = Kind::kField;
  std::string field;  // kField
  Json value;         // kKey: an object of key fields; kValue: the element
  int64_t index = 0;  // kIndex
};
using ManagedPath = std::vector<ManagedStep>;

// The fieldsV1 trees of the entries of `managed_fields` (a metadata.managedFields list) whose
// manager is one of `managers` and, when `operation` is not empty, whose operation is that one.
std::vector<const Json*> FieldSetsOf(const Json& managed_fields,
                                     const std::vector<std::string>& managers,
                                     std::string_view operation = "");

// The leaves of a fieldsV1 tree: the values a manager set, not the maps and lists on the way.
std::vector<ManagedPath> LeafPaths(const Json& fields_v1);

// The value at `path` in `object`; null when there is none.
const Json* Resolve(const Json& object, const ManagedPath& path);

// Removes the value at `path` from `object` (a member, or a list element); false when absent.
bool Remove(Json& object, const ManagedPath& path);

// The member of a skeleton's keyed-list element that holds the element's key fields.
inline constexpr std::string_view kSkeletonKeys = "$keys";

// A skeleton of the object a manager applied, built from its fieldsV1: the same objects and
// lists, `true` at every leaf, set values filled in, and each element of a keyed list holding
// its key under kSkeletonKeys. It stands in for the last-applied configuration when objects are
// applied server-side: the comparison reads only which fields and elements it holds, never the
// leaves' values.
Json AppliedSkeleton(const Json& fields_v1);

}  // namespace kstack::gitops::diff::internal
