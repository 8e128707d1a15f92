#pragma once

// Sync options, as Argo CD spells them: `Key=value` items in an Application's
// `spec.syncPolicy.syncOptions` (or a sync operation's) and, comma-separated, in a resource's
// `argocd.argoproj.io/sync-options` annotation. A resource's option overrides the
// application's for Prune, Delete, ServerSideApply=false and ApplyOutOfSyncOnly; Replace,
// Force, Validate=false, SkipDryRunOnMissingResource and PruneLast apply when either sets them.
//
// Every option Argo CD documents is known. An unknown key or value is an error rather than
// being ignored: a misspelt `Prune=false` would otherwise prune what it was meant to keep.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace kstack::gitops::sync {

inline constexpr std::string_view kSyncOptionsAnnotation = "argocd.argoproj.io/sync-options";

// Prune=... and Delete=...: true (the default), false, or confirm (wait for the application's
// `argocd.argoproj.io/deletion-approved` annotation).
enum class Permission { kAllow, kDisabled, kConfirm };

// One list of options as written; an option not in the list is nullopt.
struct SyncOptionList {
  std::optional<Permission> prune;
  std::optional<Permission> delete_;
  std::optional<bool> prune_last;
  std::optional<bool> replace;
  std::optional<bool> force;
  std::optional<bool> server_side_apply;
  std::optional<bool> skip_dry_run_on_missing_resource;
  std::optional<bool> apply_out_of_sync_only;
  std::optional<bool> validate;
  std::optional<bool> create_namespace;
  std::optional<bool> respect_ignore_differences;
  std::optional<bool> fail_on_shared_resource;
  std::optional<bool> client_side_apply_migration;
  std::optional<std::string> prune_propagation_policy;  // foreground, background, orphan
};

// Parses `Key=value` items (surrounding spaces allowed). Errors: kInvalid "<where>: ..."
// naming the item, for an unknown key, a value the key does not take, or the same key twice
// with different values.
Result<SyncOptionList> ParseSyncOptions(std::span<const std::string> items, std::string_view where);
// The annotation form: a comma-separated list.
Result<SyncOptionList> ParseSyncOptionsAnnotation(std::string_view text, std::string_view where);

// The annotation of an object already in the cluster, read as Argo CD reads it: items with an
// unknown key or value are passed over, and the first of two values wins. Git cannot fix a live
// object's annotations before the sync that would re-apply them, so nothing here is refused.
SyncOptionList ParseLiveSyncOptions(std::string_view text);

// The options in force for one task, after merging the resource's and the application's.
struct TaskOptions {
  bool server_side_apply = false;
  bool replace = false;
  bool force = false;
  bool validate = true;
  bool skip_dry_run_on_missing_resource = false;
  bool prune_last = false;                  // prune tasks only
  Permission prune = Permission::kAllow;    // prune tasks only
  Permission delete_ = Permission::kAllow;  // for the application's deletion
  bool apply_out_of_sync_only = false;

  // The options that differ from the defaults, in Argo CD's spelling and a fixed order:
  // "ServerSideApply=true", "Replace=true", ..., "Delete=false".
  std::vector<std::string> Describe() const;
};

}  // namespace kstack::gitops::sync
