#pragma once

// metadata.managedFields: who owns which fields of an object. One entry per manager identity —
// (manager, operation, subresource) for Apply, and also the apiVersion for Update — each with
// the time of its last change and its field set in the FieldsV1 encoding. Pure functions.

#include <string>
#include <vector>

#include "core/json.h"
#include "core/result.h"
#include "machinery/field_set.h"

namespace kstack::machinery {

struct ManagedFieldsEntry {
  std::string manager;      // "kubectl", "kubectl-client-side-apply"
  std::string operation;    // "Apply" or "Update"
  std::string api_version;  // "apps/v1"
  std::string time;         // RFC 3339, seconds
  std::string subresource;  // "" or "status"
  FieldSet fields;

  // Whether both entries are the same manager identity.
  bool SameIdentity(const ManagedFieldsEntry& other) const;
  // The manager as Kubernetes names it in a conflict: "\"kubectl\"", "\"kubectl-edit\" using
  // apps/v1", "\"x\" with subresource \"status\" using v1".
  std::string Describe() const;
};

using ManagedFields = std::vector<ManagedFieldsEntry>;

// The entries of `object`'s metadata.managedFields (none when absent or null).
// Errors: kInvalid naming metadata.managedFields[i] and what is wrong (not an object, an
// operation other than Apply or Update, a fieldsType other than FieldsV1, bad fieldsV1).
Result<ManagedFields> DecodeManagedFields(const Json& object);

// Whether the object's managedFields is Kubernetes' request to clear them: a list of one empty
// object.
bool IsManagedFieldsReset(const Json& object);

// Writes `managed` into metadata.managedFields, ordered as Kubernetes orders them (operation,
// time, manager, apiVersion, subresource); empty entries are dropped and an empty list removes
// the key.
void EncodeManagedFields(Json& object, ManagedFields managed);

}  // namespace kstack::machinery
