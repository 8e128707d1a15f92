#pragma once

// Resource hooks as the health assessment needs to recognise them (leniently, as Argo CD does:
// a name it does not know is ignored here, never an error).

#include <string_view>

#include "core/json.h"

namespace kstack::gitops::health::internal {

inline constexpr std::string_view kHookFinalizer = "argocd.argoproj.io/hook-finalizer";

// The value of annotation `key`, "" when absent or not a string.
std::string_view Annotation(const Json& object, std::string_view key);

// Whether `object` is a hook: it carries argocd.argoproj.io/hook and is not only a Skip hook,
// or it carries helm.sh/hook with a value other than crd-install.
bool IsHook(const Json& object);

// Whether the only hook type of `object` is Skip (the object takes no part in the sync).
bool IsSkipHook(const Json& object);

// Whether metadata.finalizers holds the hook finalizer.
bool HasHookFinalizer(const Json& object);

}  // namespace kstack::gitops::health::internal
