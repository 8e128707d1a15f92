#pragma once

// Sync phases and resource hooks, read from annotations as Argo CD reads them.
//
// `argocd.argoproj.io/hook` names, comma-separated, the phases an object is a hook of:
// PreSync, Sync, PostSync, SyncFail; `Skip` alone leaves the object out of the sync (neither
// applied nor pruned); PreDelete and PostDelete hooks run on application deletion, never in a
// sync. An object without that annotation may carry Helm's `helm.sh/hook`: pre-install and
// pre-upgrade are PreSync, post-install and post-upgrade PostSync, the other Helm hooks
// (pre/post-delete, pre/post-rollback, test...) have no sync phase, and `crd-install` is not a
// hook at all. When both annotations are present, only Argo CD's names the phases.
//
// `argocd.argoproj.io/hook-delete-policy` and `helm.sh/hook-delete-policy` (before-hook-creation,
// hook-succeeded, hook-failed) together give the delete policies; a hook naming none gets
// BeforeHookCreation.
//
// Where Argo CD ignores a name it does not know, this refuses it (a misspelt phase would
// otherwise turn a hook into nothing at all).

#include <string_view>
#include <vector>

#include "core/json.h"
#include "core/result.h"

namespace kstack::gitops::sync {

inline constexpr std::string_view kHookAnnotation = "argocd.argoproj.io/hook";
inline constexpr std::string_view kHookDeletePolicyAnnotation =
    "argocd.argoproj.io/hook-delete-policy";
inline constexpr std::string_view kHelmHookAnnotation = "helm.sh/hook";
inline constexpr std::string_view kHelmHookDeletePolicyAnnotation = "helm.sh/hook-delete-policy";
// Added to every hook applied, so that the hook stays readable until its result is recorded;
// the executor removes it when the hook completes (and before deleting a hook).
inline constexpr std::string_view kHookFinalizer = "argocd.argoproj.io/hook-finalizer";

// In execution order.
enum class Phase { kPreSync, kSync, kPostSync, kSyncFail };
std::string_view PhaseName(Phase phase);  // "PreSync", ...
// The rank of the phase in the sort key: PreSync -1, Sync 0, PostSync 1, SyncFail 2.
int PhaseRank(Phase phase);

enum class HookDeletePolicy { kHookSucceeded, kHookFailed, kBeforeHookCreation };
std::string_view HookDeletePolicyName(HookDeletePolicy policy);  // "HookSucceeded", ...

struct HookInfo {
  // Applied in `phases` (with its own delete policies) and never pruned.
  bool is_hook = false;
  // `Skip` alone: the object takes no part in the sync, and its live copy is not pruned.
  bool skip = false;
  // The sync phases of a hook, in execution order, each once. Empty for a hook that only has
  // phases outside a sync (PreDelete, PostDelete, Helm's delete/rollback/test hooks): such an
  // object is neither applied nor pruned by a sync.
  std::vector<Phase> phases;
  // Only for hooks; never empty for them.
  std::vector<HookDeletePolicy> delete_policies;
};

// Reads the hook annotations of a desired object. Errors: kInvalid naming the annotation and
// the unknown or empty value (the caller adds which object).
Result<HookInfo> ReadHook(const Json& object);

// How a live object's annotations place it, read leniently as Argo CD does (an object in the
// cluster cannot be fixed by editing Git, so no value is refused here).
enum class LiveRole { kResource, kHook, kSkip };
LiveRole ReadLiveRole(const Json& object);

}  // namespace kstack::gitops::sync
