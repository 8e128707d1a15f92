#pragma once

// Sync waves: `argocd.argoproj.io/sync-wave`, else Helm's `helm.sh/hook-weight` (read on any
// object, hook or not, as Argo CD reads it), else 0. Negative waves run first.

#include <cstdint>
#include <string_view>

#include "core/json.h"
#include "core/result.h"

namespace kstack::gitops::sync {

inline constexpr std::string_view kSyncWaveAnnotation = "argocd.argoproj.io/sync-wave";
inline constexpr std::string_view kHelmHookWeightAnnotation = "helm.sh/hook-weight";

// A wave written as Go's strconv.Atoi reads it: an optional sign and decimal digits, nothing
// else (no spaces), within int64. Errors: kInvalid "... is not an integer".
Result<int64_t> ParseWave(std::string_view text);

// The wave of `object`. Where Argo CD silently falls back to 0 on a value it cannot read,
// this refuses it: kInvalid naming the annotation and value (the caller adds the object).
Result<int64_t> WaveOf(const Json& object);

// The wave of a live object, read as Argo CD reads it: a sync-wave that is not an integer falls
// back to the hook weight, and that to 0. (A live object's annotations are not refused: Git
// cannot fix them before the sync that would re-apply them.)
int64_t LiveWaveOf(const Json& object);

}  // namespace kstack::gitops::sync
