#pragma once

// The health of one object, as Argo CD's controller assesses a live resource:
//
//   1. an object being deleted (metadata.deletionTimestamp set) that does not hold the hook
//      finalizer (argocd.argoproj.io/hook-finalizer) is Progressing, "Pending deletion";
//   2. a custom Lua check for its group/kind, when one is configured (lua_checks.h);
//   3. the built-in check of its group/kind (builtin_checks.h);
//   4. otherwise it has no health (nullopt): a ConfigMap, a CRD instance nobody wrote a
//      check for. Argo CD shows no health for it and leaves it out of the app's health.
//
// Pure: the result depends only on the object and the options (and, for a Lua check that
// reads the clock, on the time).

#include <optional>

#include "core/json.h"
#include "gitops/health/health_status.h"
#include "gitops/health/lua_checks.h"

namespace kstack::gitops::health {

struct AssessOptions {
  // Custom checks, which take precedence over the built-in ones. Not owned; may be null.
  const LuaHealthChecks* lua = nullptr;
  // Assess argoproj.io Applications by the health they report (what an app of apps needs to
  // wait for its children). Argo CD has done this only when configured with the Lua check its
  // documentation gives since 1.8; false gives its default, no health for Applications.
  bool applications = true;
};

// The health of `object` (a live object as read from the API), or nullopt when it has none.
std::optional<HealthStatus> Assess(const Json& object, const AssessOptions& options = {});

// Whether objects of `group` and `kind` have a built-in check under `options` (Lua checks
// not counted).
bool HasBuiltInCheck(std::string_view group, std::string_view kind,
                     const AssessOptions& options = {});

}  // namespace kstack::gitops::health
