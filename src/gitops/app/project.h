#pragma once

// What an AppProject permits, read as Argo CD reads `spec`:
//   sourceRepos: ["*", "https://git.example.com/*", "!https://git.example.com/secret*"]
//   destinations: [{server: "*", name: "in-cluster", namespace: "team-*"}, {server: "!https://x",
//                  namespace: "*"}]
//   clusterResourceWhitelist / clusterResourceBlacklist: [{group: "*", kind: Namespace}]
//   namespaceResourceWhitelist / namespaceResourceBlacklist: [{group: apps, kind: "*"}]
// Patterns are globs ("*" matches any run, "/" included; {a,b}, [a-z], ?); a leading "!" denies.
// Repository URLs compare in Argo CD's normal form (lower case, no ".git", scp-like SSH URLs
// as paths). Cluster-scoped kinds are refused unless the cluster whitelist names them;
// namespaced kinds are permitted unless a non-empty namespace whitelist leaves them out or the
// blacklist names them. The messages are Argo CD's.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "core/result.h"

namespace kstack::gitops::app {

struct GroupKindPattern {
  std::string group, kind;
};

struct DestinationPattern {
  std::string server, name, ns;
};

struct Project {
  std::string name;
  std::vector<std::string> source_repos;
  std::vector<DestinationPattern> destinations;
  std::vector<GroupKindPattern> cluster_whitelist, cluster_blacklist;
  std::vector<GroupKindPattern> namespace_whitelist, namespace_blacklist;

  bool IsSourcePermitted(std::string_view repo_url) const;
  // `server` and `name` as the Application names its destination cluster (either may be "").
  bool IsDestinationPermitted(std::string_view server, std::string_view name,
                              std::string_view ns) const;
  bool IsGroupKindPermitted(std::string_view group, std::string_view kind, bool namespaced) const;

  // InvalidSpecError messages for an Application's spec: each source whose repository is not
  // permitted, and the destination when it is not.
  std::vector<std::string> CheckApplication(const Json& spec) const;
  // Why a resource of the app may not be synced, nullopt when it may: its kind, or (namespaced)
  // its namespace at the app's destination cluster.
  std::optional<std::string> CheckResource(std::string_view group, std::string_view kind,
                                           bool namespaced, std::string_view ns,
                                           std::string_view server, std::string_view name) const;
};

// Reads an AppProject object. Errors: kInvalid naming the field ("spec.destinations[1]: must be
// an object").
Result<Project> ParseProject(const Json& app_project);

// A Git URL in Argo CD's normal form, for comparisons.
std::string NormalizeGitUrl(std::string_view url);

}  // namespace kstack::gitops::app
