#pragma once

// What deleting an application (with its resources finalizer) does to the live objects it
// manages, as Argo CD does it: objects are deleted highest wave first, one wave at a time (the
// executor waits until a wave is gone before the next); an object is kept when it carries
// Delete=false (its annotation, else the application's syncOptions) or
// `helm.sh/resource-policy: keep`, when it is a CustomResourceDefinition (deleting it would
// delete every custom resource of its kind, in every application), or when it is the
// Application itself. Delete=confirm (or Prune=confirm) leaves the object in the plan with
// that option: the executor waits for `argocd.argoproj.io/deletion-approved`.

#include <span>
#include <string>
#include <vector>

#include "core/json.h"
#include "core/result.h"
#include "gitops/sync/task.h"

namespace kstack::gitops::sync {

inline constexpr std::string_view kHelmResourcePolicyAnnotation = "helm.sh/resource-policy";

struct DeletionOptions {
  // The application's spec.syncPolicy.syncOptions.
  std::vector<std::string> sync_options;
  // The Application being deleted, when it manages itself (an app of apps that holds its own
  // manifest): it is never deleted with its resources.
  ResourceKey application;
};

// Delete and keep tasks for `live`, in the order of deletion. Each task is in the Sync phase
// with the object's own wave; the key orders higher waves first. Errors: kInvalid for a live
// object without apiVersion, kind or name, the same object twice, or an unknown or
// contradictory application sync option.
Result<std::vector<Task>> PlanDeletion(std::span<const Json> live, const DeletionOptions& options);

}  // namespace kstack::gitops::sync
