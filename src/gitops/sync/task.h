#pragma once

// One step of a sync plan, and the key that orders the steps.
//
// The order is a sort key compared field by field, never control flow: phase (PreSync, Sync,
// PostSync, SyncFail), wave (lower first), kind (Namespace, NetworkPolicy, ..., then kinds not
// on the list; see kind_order.h), name; then kind, group, namespace and action only to make
// the order total. An executor runs the tasks of one (phase, wave) together: within it, prunes
// first, then deletions of hooks to be recreated, then the rest in order, one kind after the
// other; it waits for a wave to be healthy before the next.

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "gitops/sync/hooks.h"
#include "gitops/sync/sync_options.h"

namespace kstack::gitops::sync {

// A resource as Argo CD identifies it: group, kind, namespace ("" for cluster-scoped) and name.
// The version is not part of it (apps/v1 and apps/v1beta2 Deployments are the same object).
struct ResourceKey {
  std::string group;
  std::string kind;
  std::string namespace_;
  std::string name;

  friend auto operator<=>(const ResourceKey&, const ResourceKey&) = default;
  // "apps/Deployment/default/web"; "/Namespace//team-a" (the core group and no namespace).
  std::string ToString() const;
};

enum class Action {
  // Apply the target (server-side when options.server_side_apply).
  kApply,
  // Replace=true and nothing live: create.
  kCreate,
  // Replace=true over a live object: replace (with Force=true: delete and create).
  kReplace,
  // Replace=true over a live CRD or Namespace: update, since replacing either would delete
  // what it holds.
  kUpdate,
  // A hook with a live copy and BeforeHookCreation: delete the copy, wait until it is gone,
  // then apply.
  kDeleteHookBeforeCreate,
  // Delete the live object (with Prune=confirm: once the deletion is approved).
  kPrune,
  // Would be pruned, but Prune=false: keep it, report "ignored (no prune)".
  kPruneDisabled,
  // Would be pruned, but the sync does not prune: report "ignored (requires pruning)".
  kRequiresPruning,
  // Application deletion: delete the live object.
  kDelete,
  // Application deletion: keep it (Delete=false, a CRD, helm.sh/resource-policy: keep).
  kKeep,
};
// "apply", "create", "replace", "update", "delete-hook-before-create", "prune",
// "prune-disabled", "requires-pruning", "delete", "keep".
std::string_view ActionName(Action action);

struct SortKey {
  int phase = 0;  // PhaseRank
  int64_t wave = 0;
  int kind_order = 0;  // KindOrder
  std::string name;
  std::string kind;
  std::string group;
  std::string namespace_;
  int action = 0;

  friend auto operator<=>(const SortKey&, const SortKey&) = default;
};

struct Task {
  Phase phase = Phase::kSync;
  // The wave the task runs in. For prune tasks the waves are mirrored (see plan.h), and a
  // Namespace or CRD may be moved earlier than its own annotation says.
  int64_t wave = 0;
  ResourceKey resource;
  Action action = Action::kApply;
  bool hook = false;
  std::vector<HookDeletePolicy> hook_delete_policies;  // hooks only, never empty for them
  // What to apply: the desired object with its namespace filled in and, for hooks, the name
  // made from generateName and the hook finalizer. Null for prune and delete tasks.
  Json target;
  Json live;  // the live object; null when there is none
  TaskOptions options;
  SortKey key;  // the position of the task in its plan
};

// One line: "<phase> <wave> <kind> <namespace>/<name> <action>", the name alone for
// cluster-scoped objects, then for hooks "hook=<policy>[,<policy>]" and the options that
// differ from the defaults ("ServerSideApply=true"), space-separated.
std::string FormatTask(const Task& task);
// FormatTask of each task, one a line, each ending with a newline.
std::string FormatTasks(const std::vector<Task>& tasks);

}  // namespace kstack::gitops::sync
