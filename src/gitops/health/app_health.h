#pragma once

// The health of an application: the worst health of its resources, in Argo CD's order
// (Healthy < Suspended < Progressing < Missing < Degraded < Unknown), with Argo CD's
// exceptions:
//   - hooks take no part: a desired object whose only hook type is Skip, a live object that is
//     a hook (argocd.argoproj.io/hook, or helm.sh/hook other than crd-install);
//   - a live object annotated argocd.argoproj.io/ignore-healthcheck: "true" is not assessed;
//   - the app's own Application object, when the app manages itself, is not assessed;
//   - a resource missing from the cluster is Missing but does not make the app Missing, unless
//     no resource at all exists live (then the app is Missing);
//   - a child Application that is Missing or Unknown does not affect its parent;
//   - objects without a health check do not count.
// The message names the resources behind a health worse than Healthy:
// "Caused by apps/Deployment:shop/web, Pod:shop/web-0 and 2 more" (at most three named).

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "gitops/health/assess.h"
#include "gitops/health/health_status.h"

namespace kstack::gitops::health {

// One resource an application manages, as the comparison pairs desired and live objects.
struct ManagedResource {
  std::string_view group;  // "" for the core group
  std::string_view kind;
  std::string_view namespace_name;  // "" for cluster-scoped objects
  std::string_view name;
  const Json* live = nullptr;    // the object in the cluster; null when it does not exist
  const Json* target = nullptr;  // the desired object; null when it is only live (to prune)
};

// The Application being assessed, so that an app that manages its own Application object
// does not count it. Empty fields match nothing.
struct AppIdentity {
  std::string_view namespace_name;
  std::string_view name;
  std::string_view uid;
};

struct AppHealthOptions {
  AssessOptions assess;
  AppIdentity self;
};

struct AppHealth {
  HealthCode status = HealthCode::kHealthy;
  std::string message;
  // Per resource, in the order given: its health (what Argo CD records in the resource's
  // status), or nullopt when it was skipped or has no health check.
  std::vector<std::optional<HealthStatus>> resources;
};

// REQUIRES: the pointers in `resources` stay valid during the call.
AppHealth AssessAppHealth(std::span<const ManagedResource> resources,
                          const AppHealthOptions& options = {});

// The worst of `codes` (Healthy for none).
HealthCode Worst(std::span<const HealthCode> codes);

}  // namespace kstack::gitops::health
