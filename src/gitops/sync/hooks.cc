#include "gitops/sync/hooks.h"

#include <algorithm>
#include <optional>
#include <string>

#include "gitops/sync/internal/object_checks.h"

namespace kstack::gitops::sync {
namespace {

using internal::Annotation;
using internal::SplitCommaList;

// Argo CD's hook type names.
enum class HookType { kPreSync, kSync, kPostSync, kSyncFail, kSkip, kPreDelete, kPostDelete };

std::optional<HookType> ArgoHookType(std::string_view name) {
  if (name == "PreSync") return HookType::kPreSync;
  if (name == "Sync") return HookType::kSync;
  if (name == "PostSync") return HookType::kPostSync;
  if (name == "SyncFail") return HookType::kSyncFail;
  if (name == "Skip") return HookType::kSkip;
  if (name == "PreDelete") return HookType::kPreDelete;
  if (name == "PostDelete") return HookType::kPostDelete;
  return std::nullopt;
}

std::optional<Phase> PhaseOfType(HookType type) {
  switch (type) {
    case HookType::kPreSync:
      return Phase::kPreSync;
    case HookType::kSync:
      return Phase::kSync;
    case HookType::kPostSync:
      return Phase::kPostSync;
    case HookType::kSyncFail:
      return Phase::kSyncFail;
    default:
      return std::nullopt;
  }
}

// Helm's hook names: the sync phase Argo CD maps each to, or nullopt for the Helm hooks that
// have none. `found` is false for a name Helm does not have.
std::optional<Phase> HelmHookPhase(std::string_view name, bool* found) {
  *found = true;
  if (name == "pre-install" || name == "pre-upgrade") return Phase::kPreSync;
  if (name == "post-install" || name == "post-upgrade") return Phase::kPostSync;
  for (std::string_view other : {"pre-delete", "post-delete", "pre-rollback", "post-rollback",
                                 "test", "test-success", "test-failure", "crd-install"}) {
    if (name == other) return std::nullopt;
  }
  *found = false;
  return std::nullopt;
}

std::optional<HookDeletePolicy> ArgoDeletePolicy(std::string_view name) {
  if (name == "HookSucceeded") return HookDeletePolicy::kHookSucceeded;
  if (name == "HookFailed") return HookDeletePolicy::kHookFailed;
  if (name == "BeforeHookCreation") return HookDeletePolicy::kBeforeHookCreation;
  return std::nullopt;
}

std::optional<HookDeletePolicy> HelmDeletePolicy(std::string_view name) {
  if (name == "hook-succeeded") return HookDeletePolicy::kHookSucceeded;
  if (name == "hook-failed") return HookDeletePolicy::kHookFailed;
  if (name == "before-hook-creation") return HookDeletePolicy::kBeforeHookCreation;
  return std::nullopt;
}

void AddPhase(std::vector<Phase>* phases, Phase phase) {
  if (std::find(phases->begin(), phases->end(), phase) == phases->end()) {
    phases->push_back(phase);
  }
}

Status ReadDeletePolicies(const Json& object, std::vector<HookDeletePolicy>* policies) {
  auto add = [&](HookDeletePolicy p) {
    if (std::find(policies->begin(), policies->end(), p) == policies->end()) {
      policies->push_back(p);
    }
  };
  if (auto text = Annotation(object, kHookDeletePolicyAnnotation)) {
    for (const std::string& name : SplitCommaList(*text)) {
      std::optional<HookDeletePolicy> p = ArgoDeletePolicy(name);
      if (!p) {
        return InvalidError(std::string(kHookDeletePolicyAnnotation) +
                            ": unknown hook delete policy \"" + name +
                            "\" (known: HookSucceeded, HookFailed, BeforeHookCreation)");
      }
      add(*p);
    }
  }
  if (auto text = Annotation(object, kHelmHookDeletePolicyAnnotation)) {
    for (const std::string& name : SplitCommaList(*text)) {
      std::optional<HookDeletePolicy> p = HelmDeletePolicy(name);
      if (!p) {
        return InvalidError(std::string(kHelmHookDeletePolicyAnnotation) +
                            ": unknown hook delete policy \"" + name +
                            "\" (known: before-hook-creation, hook-succeeded, hook-failed)");
      }
      add(*p);
    }
  }
  if (policies->empty()) policies->push_back(HookDeletePolicy::kBeforeHookCreation);
  return Status::Ok();
}

}  // namespace

std::string_view PhaseName(Phase phase) {
  switch (phase) {
    case Phase::kPreSync:
      return "PreSync";
    case Phase::kSync:
      return "Sync";
    case Phase::kPostSync:
      return "PostSync";
    case Phase::kSyncFail:
      return "SyncFail";
  }
  return "";
}

int PhaseRank(Phase phase) {
  switch (phase) {
    case Phase::kPreSync:
      return -1;
    case Phase::kSync:
      return 0;
    case Phase::kPostSync:
      return 1;
    case Phase::kSyncFail:
      return 2;
  }
  return 0;
}

std::string_view HookDeletePolicyName(HookDeletePolicy policy) {
  switch (policy) {
    case HookDeletePolicy::kHookSucceeded:
      return "HookSucceeded";
    case HookDeletePolicy::kHookFailed:
      return "HookFailed";
    case HookDeletePolicy::kBeforeHookCreation:
      return "BeforeHookCreation";
  }
  return "";
}

Result<HookInfo> ReadHook(const Json& object) {
  HookInfo info;
  if (auto text = Annotation(object, kHookAnnotation)) {
    std::vector<std::string> names = SplitCommaList(*text);
    if (names.empty()) {
      return InvalidError(std::string(kHookAnnotation) + ": names no hook type");
    }
    bool only_skip = true;
    for (const std::string& name : names) {
      std::optional<HookType> type = ArgoHookType(name);
      if (!type) {
        return InvalidError(std::string(kHookAnnotation) + ": unknown hook type \"" + name +
                            "\" (known: PreSync, Sync, PostSync, SyncFail, Skip, PreDelete, "
                            "PostDelete)");
      }
      if (*type != HookType::kSkip) only_skip = false;
      if (std::optional<Phase> phase = PhaseOfType(*type)) AddPhase(&info.phases, *phase);
    }
    if (only_skip) {
      info.skip = true;
      return info;
    }
    info.is_hook = true;
  } else if (auto helm = Annotation(object, kHelmHookAnnotation)) {
    std::vector<std::string> names = SplitCommaList(*helm);
    if (names.empty()) {
      return InvalidError(std::string(kHelmHookAnnotation) + ": names no hook");
    }
    for (const std::string& name : names) {
      bool found = false;
      std::optional<Phase> phase = HelmHookPhase(name, &found);
      if (!found) {
        return InvalidError(std::string(kHelmHookAnnotation) + ": unknown Helm hook \"" + name +
                            "\"");
      }
      if (phase) AddPhase(&info.phases, *phase);
    }
    // Helm marks CRDs with this value, and they are ordinary resources.
    if (*helm == "crd-install") return HookInfo{};
    info.is_hook = true;
  } else {
    return info;
  }
  std::sort(info.phases.begin(), info.phases.end(),
            [](Phase a, Phase b) { return PhaseRank(a) < PhaseRank(b); });
  KSTACK_RETURN_IF_ERROR(ReadDeletePolicies(object, &info.delete_policies));
  return info;
}

LiveRole ReadLiveRole(const Json& object) {
  if (auto text = Annotation(object, kHookAnnotation)) {
    std::vector<std::string> known;
    for (const std::string& name : SplitCommaList(*text)) {
      std::optional<HookType> type = ArgoHookType(name);
      // PreDelete and PostDelete are hooks of the application's deletion, not of a sync.
      if (type && *type != HookType::kPreDelete && *type != HookType::kPostDelete) {
        known.push_back(name);
      }
    }
    if (known.size() == 1 && known[0] == "Skip") return LiveRole::kSkip;
    return LiveRole::kHook;
  }
  if (auto helm = Annotation(object, kHelmHookAnnotation)) {
    return *helm == "crd-install" ? LiveRole::kResource : LiveRole::kHook;
  }
  return LiveRole::kResource;
}

}  // namespace kstack::gitops::sync
