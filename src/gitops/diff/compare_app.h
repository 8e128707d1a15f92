#pragma once

// A whole Application: its desired objects against the live objects, matched by
// group/kind/namespace/name. Each resource is Synced or OutOfSync (diff.h), Missing (desired,
// not live) or Extraneous (live and the Application's by its tracking, not desired); the
// Application is Synced when every resource that counts is.
//
// As Argo CD does it:
//  - desired objects of namespaced kinds without a namespace take the destination namespace;
//    those of cluster-scoped kinds lose any namespace they name;
//  - desired objects are marked with the Application's tracking label/annotation before they
//    are compared (a sync writes them), and a live object still tracked by label under
//    annotation tracking is read as if already moved (tracking.h);
//  - a live object with ownerReferences is a child of another object, never Extraneous;
//  - resource hooks (argocd.argoproj.io/hook, helm.sh/hook) are compared but never count, and
//    a live hook no longer desired is left out;
//  - an Extraneous object annotated argocd.argoproj.io/compare-options: IgnoreExtraneous does
//    not count;
//  - a resource desired twice is compared once, with its last definition, and a warning.

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "core/result.h"
#include "gitops/diff/diff.h"
#include "gitops/diff/resource_key.h"
#include "gitops/diff/tracking.h"

namespace kstack::gitops::diff {

enum class ResourceStatus { kSynced, kOutOfSync, kMissing, kExtraneous };
std::string_view ResourceStatusName(ResourceStatus status);  // "Synced", ..., "Extraneous"

struct ResourceComparison {
  ResourceKey key;
  ResourceStatus status = ResourceStatus::kSynced;
  bool hook = false;               // a resource hook: shown, never counted
  bool ignore_extraneous = false;  // Extraneous but marked IgnoreExtraneous: never counted
  ResourceDiff diff;

  // Whether this resource decides the Application's status.
  bool Counts() const {
    return !hook && !(status == ResourceStatus::kExtraneous && ignore_extraneous);
  }
};

struct AppComparison {
  SyncStatus status = SyncStatus::kSynced;
  std::vector<ResourceComparison> resources;  // ordered by key
  std::vector<std::string> warnings;          // "apps/Deployment default/web appeared 2 times"

  // The unified diffs of the resources that count and differ, each under a
  // "===== <group>/<kind> <namespace>/<name> ======" line as `argocd app diff` prints them,
  // separated by blank lines; "" when in sync. Texts not rendered during the comparison
  // (DiffOptions::render_text) are rendered here, with three lines of context.
  std::string DiffText() const;
};

// Whether kind group/kind is namespaced; nullopt when the caller does not know it either.
using ScopeLookup =
    std::function<std::optional<bool>(std::string_view group, std::string_view kind)>;

struct AppCompareOptions {
  // The Application's tracking. An empty `tracking.app` means that the live objects passed in are
  // exactly the Application's: every one not desired is Extraneous, and nothing is marked.
  Tracking tracking;
  // Namespaced or not, for kinds that are not built in (CRDs); null: guessed from the live
  // objects (a live object of that kind and name without a namespace makes it cluster-scoped).
  ScopeLookup namespaced;
  DiffOptions diff;
};

// Compares the desired objects with the live ones (all the cluster's objects that may be the
// Application's; those neither desired nor tracked are left out). Thread-safe; the inputs are
// not modified. Resources are compared on several threads when there are many. The JSON values
// of the result live in a few arenas, freed with the last value of each (keeping one
// ResourceDiff keeps the memory of its neighbours); a value that grows allocates from its arena,
// so the values of one result are modified from one thread at a time (reading is free).
// Errors: kBadRequest naming the object when a desired or live value is not an object with a
// kind and a metadata.name.
Result<AppComparison> CompareApp(std::span<const Json> desired, std::span<const Json> live,
                                 const AppCompareOptions& options);

}  // namespace kstack::gitops::diff
