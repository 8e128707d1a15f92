#include "server/namespace_lifecycle.h"

#include <algorithm>
#include <chrono>
#include <utility>

#include "core/log.h"

namespace kstack::server {
namespace {

const ResourceType& Builtin(std::string_view resource) {
  return *machinery::FindBuiltinResource("", "v1", resource);
}

bool IsNamespace(const ResourceType& type) {
  return type.group.empty() && type.kind == "Namespace";
}

constexpr auto kRetry = std::chrono::milliseconds(500);

}  // namespace

NamespaceLifecycle::NamespaceLifecycle(ObjectRegistry* registry, const TypeCatalog* catalog,
                                       std::string ca_pem)
    : registry_(registry), catalog_(catalog), ca_pem_(std::move(ca_pem)) {}

NamespaceLifecycle::~NamespaceLifecycle() { Stop(); }

Status NamespaceLifecycle::Start() {
  {
    std::lock_guard lock(mu_);
    stopping_ = false;
  }
  worker_ = std::thread([this] { Run(); });
  KSTACK_ASSIGN_OR_RETURN(Json list, registry_->List(Builtin("namespaces"), "", {}));
  for (const Json& ns : list.at("items").as_array()) {
    const Json& meta = ns.at("metadata");
    std::string name(FindString(meta, "name"));
    if (FindMember(meta, "deletionTimestamp") != nullptr) {
      Enqueue(name);
    } else {
      EnsureDefaults(name);
    }
  }
  return Status::Ok();
}

void NamespaceLifecycle::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (worker_.joinable()) worker_.join();
}

void NamespaceLifecycle::Written(const ResourceType& type, const Json& object, bool deleted) {
  if (!IsNamespace(type) || deleted) return;
  const Json& meta = object.at("metadata");
  std::string name(FindString(meta, "name"));
  if (FindMember(meta, "deletionTimestamp") != nullptr) {
    Enqueue(name);
  } else {
    EnsureDefaults(name);
  }
}

void NamespaceLifecycle::EnsureDefaults(const std::string& ns) {
  const ResourceType& accounts = Builtin("serviceaccounts");
  if (registry_->Get(accounts, ns, "default").status().reason() == Reason::kNotFound) {
    Result<Json> created = registry_->Create(
        accounts, ns, JsonObject{{"metadata", JsonObject{{"name", "default"}}}});
    if (!created.ok() && created.status().reason() != Reason::kAlreadyExists &&
        created.status().reason() != Reason::kForbidden) {
      log::Error("namespace {}: default service account: {}", ns, created.status().ToString());
    }
  }
  const ResourceType& configmaps = Builtin("configmaps");
  if (registry_->Get(configmaps, ns, "kube-root-ca.crt").status().reason() == Reason::kNotFound) {
    Result<Json> created = registry_->Create(
        configmaps, ns,
        JsonObject{{"metadata", JsonObject{{"name", "kube-root-ca.crt"}}},
                   {"data", JsonObject{{"ca.crt", ca_pem_}}}});
    if (!created.ok() && created.status().reason() != Reason::kAlreadyExists &&
        created.status().reason() != Reason::kForbidden) {
      log::Error("namespace {}: kube-root-ca.crt: {}", ns, created.status().ToString());
    }
  }
}

void NamespaceLifecycle::Enqueue(const std::string& ns) {
  {
    std::lock_guard lock(mu_);
    if (!queued_.insert(ns).second) return;
    queue_.push_back(ns);
  }
  cv_.notify_all();
}

void NamespaceLifecycle::Run() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    if (queue_.empty()) {
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      continue;
    }
    std::string ns = queue_.front();
    queue_.pop_front();
    lock.unlock();
    bool done = Finish(ns);
    lock.lock();
    queued_.erase(ns);
    if (!done && !stopping_) {
      // Something in it is held by finalizers of its own: look again shortly.
      cv_.wait_for(lock, kRetry, [this] { return stopping_; });
      if (queued_.insert(ns).second) queue_.push_back(ns);
    }
  }
}

bool NamespaceLifecycle::Finish(const std::string& ns) {
  std::shared_ptr<const TypeSet> types = catalog_->Current();
  std::set<std::pair<std::string_view, std::string_view>> seen;  // (group, resource)
  bool remaining = false;
  for (const ResourceType& type : types->types()) {
    if (!type.namespaced || !seen.insert({type.group, type.resource}).second) continue;
    Result<Json> list = registry_->List(type, ns, {});
    if (!list.ok()) {
      log::Error("namespace {}: listing {}: {}", ns, type.resource, list.status().ToString());
      remaining = true;
      continue;
    }
    for (const Json& item : list->at("items").as_array()) {
      std::string_view name = FindString(item.at("metadata"), "name");
      Result<Json> gone = registry_->Delete(type, ns, name);
      if (gone.ok() && FindMember(gone->at("metadata"), "deletionTimestamp") != nullptr) {
        remaining = true;  // held by its finalizers
      } else if (!gone.ok() && gone.status().reason() != Reason::kNotFound) {
        remaining = true;
      }
    }
  }
  if (remaining) return false;
  const ResourceType& namespaces = Builtin("namespaces");
  Result<Json> current = registry_->Get(namespaces, "", ns);
  if (!current.ok()) return true;  // already gone
  if (FindMember(current->at("metadata"), "deletionTimestamp") == nullptr) return true;
  Json updated = *current;
  if (Json* spec = updated.as_object().if_contains("spec"); spec && spec->is_object()) {
    if (Json* f = spec->get_object().if_contains("finalizers"); f && f->is_array()) {
      JsonArray& list = f->get_array();
      list.erase(std::remove(list.begin(), list.end(), Json("kubernetes")), list.end());
    }
  }
  Result<Json> written = registry_->Update(namespaces, "", ns, std::move(updated));
  if (!written.ok() && written.status().reason() != Reason::kNotFound) {
    log::Error("namespace {}: finishing its deletion: {}", ns, written.status().ToString());
    return false;
  }
  return true;
}

}  // namespace kstack::server
