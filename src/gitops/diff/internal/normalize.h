#pragma once

// The first step of a comparison: each object (desired, live, last applied) is brought to one
// form, so that what the server fills in or spells differently is not taken for a difference.

#include "core/json.h"
#include "gitops/diff/settings.h"
#include "machinery/schema.h"

namespace kstack::gitops::diff::internal {

struct NormalizeOptions {
  IgnoreStatusField ignore_status_field = IgnoreStatusField::kAll;
  bool ignore_aggregated_roles = false;
  // Fold quantities and int-or-string numbers (not needed for a last applied configuration,
  // whose values are never compared, only its fields and list keys).
  bool typed_values = true;
};

// In place, on an object of the given group and kind whose schema is `schema` (null: unknown):
//  - members set to null are removed (null means "not set" in a manifest);
//  - metadata the server manages is removed: uid, resourceVersion, generation,
//    creationTimestamp, deletionTimestamp, deletionGracePeriodSeconds, selfLink, managedFields,
//    the kubectl.kubernetes.io/last-applied-configuration annotation, and labels or
//    annotations left empty;
//  - status, for every resource or only CustomResourceDefinitions as the option says;
//  - Secrets: stringData is folded into data as base64 (stringData wins a shared key, as the
//    API server does) and data values are re-encoded in canonical base64;
//  - Roles and ClusterRoles: empty rules are removed, and with ignore_aggregated_roles the rules
//    of an aggregated role (the aggregation controller writes them);
//  - fields the schema types as resource.Quantity take their canonical text, and int-or-string
//    fields holding a string of decimal digits ("80") take the integer, so "80" and 80 compare
//    equal.
void Normalize(Json& object, std::string_view group, std::string_view kind,
               const machinery::Schema* schema, const NormalizeOptions& options);

// Whether Normalize removes `status` from objects of group/kind.
bool DropsStatus(IgnoreStatusField option, std::string_view group, std::string_view kind);

// A copy of `object` in `sp` without what Normalize would remove first anyway: `status` when
// `drop_status`, the metadata the server manages and the last-applied annotation. Cheaper than
// copying them only to remove them (on live objects they are most of the bytes).
Json CopyWithoutServerFields(const Json& object, bool drop_status, boost::json::storage_ptr sp);

// Only the schema-typed part of Normalize (quantities, int-or-string) under `schema`.
void NormalizeTypedValues(Json& value, const machinery::Schema* schema);

}  // namespace kstack::gitops::diff::internal
