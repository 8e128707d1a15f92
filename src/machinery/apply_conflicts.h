#pragma once

// The error of a server-side apply that would change fields another manager owns, worded as
// Kubernetes words it: 409 Conflict with the message
//   Apply failed with 1 conflict: conflict with "kubectl-edit" using apps/v1: .spec.replicas
//   Apply failed with 2 conflicts: conflicts with "a":\n- .spec.replicas\n- .spec.paused
// and one StatusCause per field (type FieldManagerConflict, message `conflict with "a"`, field
// the path).

#include <string>
#include <vector>

#include "core/status.h"

namespace kstack::machinery {

struct FieldConflict {
  std::string manager;  // ManagedFieldsEntry::Describe()
  std::string path;     // ".spec.replicas"
};

// REQUIRES: !conflicts.empty().
Status ApplyConflictError(std::vector<FieldConflict> conflicts);

}  // namespace kstack::machinery
