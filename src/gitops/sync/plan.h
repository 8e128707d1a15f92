#pragma once

// Sync planning: from the desired objects (rendered from Git), the live objects the
// application manages and the sync's options, the ordered list of tasks of one sync, as
// Argo CD's sync engine orders them. A pure function: no cluster, clock or disk.
//
// How the tasks are made:
// - Each desired object that is not a hook gives one Sync-phase task, paired with its live
//   object by group, kind, namespace and name (the destination namespace fills in a missing
//   namespace of a namespaced or unknown kind; cluster-scoped kinds have none). `Skip` objects
//   give none.
// - Each hook gives one task per sync phase it names (none with skip_hooks). A hook with only
//   generateName is named generateName + "<revision[:7]>-<phase>-<started_at>" in lower case.
// - Each live object that no desired object claims, and that is neither a hook nor `Skip`,
//   gives a prune task in the Sync phase. Their waves are mirrored (the lowest prune wave and
//   the highest swap, and so on inward) so that pruning runs in reverse wave order; with
//   PruneLast=true (application, or the live object's annotation) a prune task instead runs
//   in a wave of its own after every Sync-phase wave (the highest Sync-phase wave + 1, at
//   least 1).
// - CreateNamespace=true with a destination namespace that no desired Namespace declares adds
//   a PreSync task applying that Namespace (with managed_namespace_metadata), unless it is
//   among the live objects and there is no metadata to manage; it is never pruned.
// - A Namespace (core group) is moved into the phase and wave of the earliest task of an
//   object in it, and a CustomResourceDefinition into those of the earliest of its custom
//   resources, when those come earlier.
// - Then the tasks are sorted by their SortKey (task.h).
// - With ApplyOutOfSyncOnly=true, tasks of resources whose status is Synced are left out
//   (hooks and prunes never are).
//
// Differences from Argo CD: an unknown hook type or delete policy, a desired object's wave
// that is not an integer, an unknown sync option and the same object twice are errors here
// (Argo CD silently ignores or reinterprets them). A resource's ApplyOutOfSyncOnly annotation
// is honoured (Argo CD reads that option only from the application). A live object at a
// hook's name is the hook's, never pruned. Moving a Namespace or CRD forward gives it the
// phase and wave of what needs it and lets the sort key place it (first in that wave by kind
// order), where Argo CD inserts it just before the first task that needs it; both apply it
// before what needs it.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/json.h"
#include "core/result.h"
#include "gitops/sync/task.h"

namespace kstack::gitops::sync {

// A resource's comparison result, for ApplyOutOfSyncOnly.
enum class SyncStatus { kUnknown, kSynced, kOutOfSync };

struct PlanOptions {
  // The application's destination namespace: given to namespaced objects without one.
  std::string namespace_;
  // The sync's options (Application spec.syncPolicy.syncOptions or the operation's).
  std::vector<std::string> sync_options;
  // Delete what should be pruned (syncPolicy.automated.prune, or the operation's prune flag).
  bool prune = false;
  // The operation's force flag (syncStrategy.apply/hook.force).
  bool force = false;
  // No hook tasks (an apply-strategy or selective sync).
  bool skip_hooks = false;
  // The revision being synced and when the sync started (Unix seconds): they name hooks that
  // only have generateName, so that names are stable across the steps of one sync.
  std::string revision;
  int64_t started_at = 0;
  // Per resource (as ResourceKey, namespace filled in), for ApplyOutOfSyncOnly. Missing means
  // unknown: the resource is applied.
  std::map<ResourceKey, SyncStatus> sync_status;
  // Whether a group/kind is namespaced, as the cluster's discovery says; nullopt when it does
  // not know. Consulted first; then the built-in types and the CRDs among the objects decide.
  // A kind none of them knows has an unknown scope: a missing namespace is filled in, and its
  // live object is looked for with and without one.
  std::function<std::optional<bool>(std::string_view group, std::string_view kind)> is_namespaced;
  // spec.syncPolicy.managedNamespaceMetadata ({labels, annotations}) for CreateNamespace=true.
  Json managed_namespace_metadata;
};

struct Plan {
  std::vector<Task> tasks;  // in execution order
};

// The tasks of one sync. `desired` and `live` are Kubernetes objects; `live` holds the objects
// the application tracks (any of them may be pruned).
// Errors (kInvalid, naming the object as "desired object <index> (<kind> <ns>/<name>)" or
// "live object ..."): an object without apiVersion, kind or name (only hooks may have
// generateName alone), annotations that are not strings, an unknown hook type or delete
// policy, a wave that is not an integer, an unknown or contradictory sync option, the same
// object twice in `desired` or in `live`.
Result<Plan> PlanSync(std::span<const Json> desired, std::span<const Json> live,
                      const PlanOptions& options);

}  // namespace kstack::gitops::sync
