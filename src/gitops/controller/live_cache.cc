#include "gitops/controller/live_cache.h"

#include <fmt/format.h>

namespace kstack::gitops::controller {

LiveCache::LiveCache(kube::Client* client, kube::Discovery* discovery,
                     std::function<void(const Json&)> on_change)
    : client_(client), discovery_(discovery), on_change_(std::move(on_change)) {}

LiveCache::~LiveCache() { Stop(); }

void LiveCache::Stop() {
  std::map<Key, std::shared_ptr<Watched>> watched;
  {
    std::lock_guard<std::mutex> hold(mu_);
    watched.swap(watched_);
  }
  for (auto& [key, w] : watched) w->informer->Stop();
}

Result<kube::ApiResource> LiveCache::Watch(std::string_view group, std::string_view version,
                                           std::string_view kind) {
  Key key{std::string(group), std::string(kind)};
  std::shared_ptr<Watched> w;
  {
    std::lock_guard<std::mutex> hold(mu_);
    auto it = watched_.find(key);
    if (it != watched_.end()) w = it->second;
  }
  if (w == nullptr) {
    Result<kube::ApiResource> resource = discovery_->ForKind(group, version, kind);
    if (!resource.ok() && version.empty()) {
      // No version given: any version the server serves of the kind.
      Result<std::vector<kube::ApiResource>> all = discovery_->All();
      if (all.ok()) {
        for (const kube::ApiResource& r : *all) {
          if (r.group == group && r.kind == kind) {
            resource = r;
            break;
          }
        }
      }
    }
    if (!resource.ok()) return resource.status();
    auto created = std::make_shared<Watched>();
    created->resource = *resource;
    kube::InformerHandlers handlers{
        .on_add = [this](const Json& o) { on_change_(o); },
        .on_update = [this](const Json&, const Json& o) { on_change_(o); },
        .on_delete = [this](const Json& o) { on_change_(o); }};
    created->informer = std::make_unique<kube::Informer>(
        client_,
        kube::InformerOptions{.type = {.group = resource->group,
                                       .version = resource->version,
                                       .resource = resource->resource}},
        std::move(handlers));
    {
      std::lock_guard<std::mutex> hold(mu_);
      auto [it, inserted] = watched_.emplace(key, created);
      w = it->second;
      if (inserted) created->informer->Start();
    }
  }
  if (!w->informer->WaitForSync(std::chrono::seconds(30))) {
    return TimeoutError(fmt::format("listing {} took too long: {}", w->resource.resource,
                                    w->informer->last_error().ToString()));
  }
  return w->resource;
}

std::vector<kube::ApiResource> LiveCache::Kinds() const {
  std::lock_guard<std::mutex> hold(mu_);
  std::vector<kube::ApiResource> out;
  for (const auto& [key, w] : watched_) out.push_back(w->resource);
  return out;
}

std::vector<kube::ObjectPtr> LiveCache::Objects(std::string_view group,
                                                std::string_view kind) const {
  std::shared_ptr<Watched> w;
  {
    std::lock_guard<std::mutex> hold(mu_);
    auto it = watched_.find(Key{std::string(group), std::string(kind)});
    if (it == watched_.end()) return {};
    w = it->second;
  }
  return w->informer->List();
}

std::optional<bool> LiveCache::Namespaced(std::string_view group, std::string_view kind) {
  {
    std::lock_guard<std::mutex> hold(mu_);
    auto it = watched_.find(Key{std::string(group), std::string(kind)});
    if (it != watched_.end()) return it->second->resource.namespaced;
  }
  Result<std::vector<kube::ApiResource>> all = discovery_->All();
  if (!all.ok()) return std::nullopt;
  for (const kube::ApiResource& r : *all) {
    if (r.group == group && r.kind == kind) return r.namespaced;
  }
  return std::nullopt;
}

}  // namespace kstack::gitops::controller
