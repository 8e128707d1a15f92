#pragma once

// The controller's own settings from argocd-cm, as Argo CD 3 reads them (the comparison's are
// in gitops/diff/settings.h, health checks in gitops/health/lua_checks.h):
//   timeout.reconciliation          how often apps are compared with Git (default 120s; 0 turns
//                                   periodic refresh off)
//   timeout.reconciliation.jitter   up to this much is added at random (default 60s)
//   resource.exclusions             YAML list of {apiGroups, kinds, clusters} (globs; an empty
//   resource.inclusions             list matches everything) the controller neither watches nor
//                                   manages; with inclusions, only what they match
// Events (core and events.k8s.io) and metrics.k8s.io are always excluded, as in Argo CD.

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "core/result.h"

namespace kstack::gitops::app {

struct ResourceFilter {
  std::vector<std::string> api_groups, kinds, clusters;

  bool Match(std::string_view group, std::string_view kind, std::string_view cluster) const;
};

struct ControllerSettings {
  std::chrono::nanoseconds reconciliation = std::chrono::seconds(120);
  std::chrono::nanoseconds reconciliation_jitter = std::chrono::seconds(60);
  std::vector<ResourceFilter> exclusions, inclusions;

  // Whether resources of group/kind on the cluster with URL `cluster` are left alone.
  bool IsExcluded(std::string_view group, std::string_view kind, std::string_view cluster) const;
};

// Reads an argocd-cm ConfigMap (the whole object or its `data`); null reads as the defaults.
// Errors: kInvalid naming `source` and the key ("argocd-cm: timeout.reconciliation: invalid
// duration \"2x\"").
Result<ControllerSettings> ParseControllerSettings(const Json* config_map,
                                                   std::string_view source = "argocd-cm");

}  // namespace kstack::gitops::app
