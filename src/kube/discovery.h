#pragma once

// What an API server serves, as discovery documents tell: for each group/version, its
// resources with kind, scope, verbs and subresources. Read from the aggregated discovery
// documents (/api and /apis with apidiscovery.k8s.io/v2) when the server offers them, else
// from /api, /apis and one document per group version. Cached until Refresh(); a lookup that
// misses refreshes once (a CRD created since the last read becomes visible).
//
// Thread safety: every method may be called from any thread; a refresh is done by one caller
// while the others wait for it.

#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace kstack::kube {

class Client;

struct ApiResource {
  std::string group;
  std::string version;
  std::string resource;  // plural, as in URLs
  std::string kind;
  std::string singular;
  bool namespaced = true;
  std::vector<std::string> verbs;
  std::vector<std::string> short_names;
  std::vector<std::string> subresources;  // "status", "scale"
};

struct DiscoveryOptions {
  // Asks for aggregated discovery first; false reads the per-group documents only.
  bool aggregated = true;
};

class Discovery {
 public:
  // `client` is not owned and must outlive this object; only its GetPath is used.
  explicit Discovery(Client* client, DiscoveryOptions options = {})
      : client_(client), options_(options) {}

  // The resource of group/version/kind. Errors: kNotFound "no resource of kind K in G/V is
  // served" after one refresh; the discovery request's error when the server failed.
  Result<ApiResource> ForKind(std::string_view group, std::string_view version,
                              std::string_view kind);
  // The same by resource name (plural).
  Result<ApiResource> ForResource(std::string_view group, std::string_view version,
                                  std::string_view resource);
  // Everything served, reading discovery when nothing is cached yet.
  Result<std::vector<ApiResource>> All();
  // Reads discovery again.
  Status Refresh();
  // Whether the last refresh used aggregated discovery.
  bool aggregated() const;

 private:
  Status RefreshLocked();
  std::optional<ApiResource> FindLocked(std::string_view group, std::string_view version,
                                        std::string_view kind, std::string_view resource) const;

  Client* client_;
  DiscoveryOptions options_;
  mutable std::mutex mu_;
  bool loaded_ = false;
  bool aggregated_ = false;
  std::vector<ApiResource> resources_;
};

}  // namespace kstack::kube
