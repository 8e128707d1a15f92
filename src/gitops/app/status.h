#pragma once

// The part of Application.status that a comparison decides, in exactly Argo CD's shape so that
// the argocd CLI, the UI and scripts that read it keep working:
//
//   sync:        {status: Synced|OutOfSync|Unknown, revision (or revisions),
//                 comparedTo: {source (or sources), destination, ignoreDifferences}}
//   health:      {status, message}  (the message only when there is one)
//   resources:   [{group, version, kind, namespace, name, status, health: {status, message},
//                  hook, requiresPruning, syncWave}]   (empty and false fields left out)
//   summary:     {images: [...]}   (the images of the live workloads, sorted, each once)
//   sourceType:  Directory | Helm | Kustomize | Plugin
//   reconciledAt, conditions: [{type, message, lastTransitionTime}]
//
// operationState and history belong to the sync and are left to it.

#include <string>
#include <vector>

#include "core/clock.h"
#include "core/json.h"
#include "gitops/diff/compare_app.h"
#include "gitops/health/app_health.h"

namespace kstack::gitops::app {

struct Condition {
  std::string type;  // ComparisonError, InvalidSpecError, SyncError, OrphanedResourceWarning...
  std::string message;
};

struct StatusInput {
  const Json* app = nullptr;  // the Application (spec, and status for earlier conditions)
  // The comparison and the health of its resources (health->resources in the same order);
  // both null when the app could not be compared (then sync.status is Unknown).
  const diff::AppComparison* comparison = nullptr;
  const health::AppHealth* health = nullptr;
  std::vector<std::string> revisions;  // resolved, one per source
  std::string source_type = "Directory";
  std::vector<Condition> conditions;
  Clock::WallTime now;
};

// REQUIRES: input.app is an object; when given, health->resources has one entry per
// comparison->resources.
Json BuildStatus(const StatusInput& input);

// The container images of a workload, a pod or a pod template (containers, initContainers and
// ephemeralContainers), in order of appearance.
std::vector<std::string> ImagesOf(const Json& object);

}  // namespace kstack::gitops::app
