#pragma once

// ControllerRevisions, the history of a StatefulSet's or DaemonSet's pod template, as
// Kubernetes keeps it: one per distinct template, named "<owner>-<hash>", labelled with the
// owner's selector labels and controller-revision-hash, owned by the owner, with
// `data.spec.template` and a revision number one above the highest (a template that returns
// gets its old ControllerRevision back with a new number).
//
// Thread safety: as the registry's.

#include <string>

#include "server/object_registry.h"

namespace kstack::server::workloads {

struct RevisionRef {
  std::string name;  // "<owner>-<hash>", the pods' controller-revision-hash
  int64_t revision = 0;
};

// The ControllerRevision of `owner`'s current spec.template, created or renumbered as needed.
// `api_version`/`kind` name the owner's type ("apps/v1", "StatefulSet").
Result<RevisionRef> EnsureRevision(ObjectRegistry* registry, const Json& owner,
                                   std::string_view api_version, std::string_view kind);

}  // namespace kstack::server::workloads
