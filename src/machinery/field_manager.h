#pragma once

// Managed fields as the Kubernetes API server keeps them on every write (pure functions over
// the objects; the server supplies the time and the manager's name).
//
// Update (create, update, patch, status): the fields the write changed or added become the
// manager's (operation Update, with its apiVersion and subresource) and are taken from every
// other manager; no other manager keeps a field the write removed. Apply (server-side apply): the
// applied configuration is merged into the live object (apply_merge.h); the manager's Apply entry
// becomes the configuration's field set; a field the manager applied before, applies no longer and
// nobody else owns is removed; a field whose value the apply changes and that another manager owns
// is a conflict, unless `force` takes it from them; no other manager keeps a field the apply
// removed.
//
// Kubernetes' special cases are kept: no manager owns apiVersion, kind, metadata.name,
// namespace, uid, resourceVersion, generation, creationTimestamp, selfLink or managedFields;
// with a status subresource the main resource never owns (nor applies) status and the status
// subresource never owns spec (and applies only the status). An Update whose object carries
// managedFields different from the stored ones sets them (how kubectl moves client-side apply
// ownership to server-side apply; `[{}]` clears them). When the manager is "kubectl" and the live
// object carries the kubectl.kubernetes.io/last-applied-configuration annotation of client-side
// apply, conflicts on fields whose live value is still the last-applied one are taken over (the
// upgrade from client-side apply), and the annotation is rewritten to the new configuration.

#include <string>

#include "core/json.h"
#include "core/result.h"
#include "machinery/managed_fields.h"
#include "machinery/schema.h"

namespace kstack::machinery {

struct ManagerOptions {
  std::string manager;             // REQUIRES: not empty
  std::string api_version;         // the apiVersion the request speaks
  std::string subresource;         // "" or "status"
  std::string now;                 // RFC 3339 time of the write
  const Schema* schema = nullptr;  // the object's schema; null: none
  bool has_status = false;         // the type has a status subresource
};

// Sets metadata.managedFields of `after`, written over `before` (null for a create) by an
// Update. Managed fields that cannot be read are dropped, as Kubernetes drops them; a field set
// that cannot be computed (a list item without its key) leaves them as they were.
void RecordUpdate(const Json& before, Json& after, const ManagerOptions& options);

// Server-side apply of `applied` (an object) over `live` (null when the object does not exist).
// Returns the object to store with its managedFields; equal to `live` (but for managedFields)
// when the apply changes nothing.
// Errors: kBadRequest when `applied` carries managedFields; kInvalid naming a list item without
// its keys or with a duplicate key; kConflict (apply_conflicts.h) naming every conflicting field
// and its manager.
Result<Json> ServerSideApply(const Json& live, const Json& applied, const ManagerOptions& options,
                             bool force);

}  // namespace kstack::machinery
