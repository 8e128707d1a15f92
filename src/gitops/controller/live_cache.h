#pragma once

// The live objects of the kinds the controller's applications manage, kept by one informer
// per kind (all namespaces), started the first time an application needs the kind (CRDs
// included, found through discovery). Every change of a cached object is reported to
// `on_change`, which is how drift reaches its application within milliseconds.
//
// Thread safety: every method may be called from any thread. `on_change` runs on an
// informer's thread, one call at a time per kind.

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kube/client.h"
#include "kube/discovery.h"
#include "kube/informer.h"

namespace kstack::gitops::controller {

class LiveCache {
 public:
  // `client` and `discovery` are not owned and must outlive the cache.
  LiveCache(kube::Client* client, kube::Discovery* discovery,
            std::function<void(const Json& object)> on_change);
  ~LiveCache();

  // Starts watching group/kind (served at `version`, or the first version discovery lists
  // when empty) unless it is watched already, and waits for its first list.
  // Errors: NotFound when the server serves no such kind; Timeout when the list does not come.
  Result<kube::ApiResource> Watch(std::string_view group, std::string_view version,
                                  std::string_view kind);
  // The kinds watched so far.
  std::vector<kube::ApiResource> Kinds() const;
  // The cached objects of a watched group/kind (none when it is not watched).
  std::vector<kube::ObjectPtr> Objects(std::string_view group, std::string_view kind) const;
  // Whether group/kind is namespaced, when the server serves it.
  std::optional<bool> Namespaced(std::string_view group, std::string_view kind);

  void Stop();

 private:
  struct Watched {
    kube::ApiResource resource;
    std::unique_ptr<kube::Informer> informer;
  };
  using Key = std::pair<std::string, std::string>;  // group, kind

  kube::Client* client_;
  kube::Discovery* discovery_;
  std::function<void(const Json&)> on_change_;
  mutable std::mutex mu_;
  std::map<Key, std::shared_ptr<Watched>> watched_;
};

}  // namespace kstack::gitops::controller
