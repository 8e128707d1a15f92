#include "server/garbage_collector.h"

#include <algorithm>
#include <chrono>
#include <utility>

#include "core/log.h"

namespace kstack::server {
namespace {

constexpr auto kRetry = std::chrono::milliseconds(200);
constexpr int kWriteAttempts = 5;

const Json* Meta(const Json& object) { return FindMember(object, "metadata"); }

std::string_view MetaString(const Json& object, std::string_view key) {
  const Json* m = Meta(object);
  return m ? FindString(*m, key) : std::string_view();
}

bool BeingDeleted(const Json& object) {
  const Json* m = Meta(object);
  return m != nullptr && FindMember(*m, "deletionTimestamp") != nullptr;
}

bool HasFinalizer(const Json& object, std::string_view finalizer) {
  const Json* m = Meta(object);
  const JsonArray* list = m ? FindArray(*m, "finalizers") : nullptr;
  if (list == nullptr) return false;
  return std::any_of(list->begin(), list->end(),
                     [&](const Json& f) { return f.is_string() && f.get_string() == finalizer; });
}

const JsonArray* OwnerReferences(const Json& object) {
  const Json* m = Meta(object);
  return m ? FindArray(*m, "ownerReferences") : nullptr;
}

// "apps/v1" -> ("apps", "v1"); "v1" -> ("", "v1").
std::pair<std::string_view, std::string_view> SplitApiVersion(std::string_view api_version) {
  size_t slash = api_version.find('/');
  if (slash == std::string_view::npos) return {"", api_version};
  return {api_version.substr(0, slash), api_version.substr(slash + 1)};
}

const ResourceType* FindKindAnyVersion(const TypeSet& types, std::string_view api_version,
                                       std::string_view kind) {
  auto [group, version] = SplitApiVersion(api_version);
  if (const ResourceType* t = types.FindKind(group, version, kind)) return t;
  for (const ResourceType& t : types.types()) {
    if (t.group == group && t.kind == kind) return &t;
  }
  return nullptr;
}

// The served type of group/resource, any version (the graph does not keep versions).
const ResourceType* FindServed(const TypeSet& types, std::string_view group,
                               std::string_view resource) {
  for (const ResourceType& t : types.types()) {
    if (t.group == group && t.resource == resource) return &t;
  }
  return nullptr;
}

}  // namespace

GarbageCollector::GarbageCollector(ObjectRegistry* registry, const TypeCatalog* catalog)
    : registry_(registry), catalog_(catalog) {}

GarbageCollector::~GarbageCollector() { Stop(); }

Status GarbageCollector::Start() {
  {
    std::lock_guard lock(mu_);
    stopping_ = false;
  }
  std::shared_ptr<const TypeSet> types = catalog_->Current();
  std::set<std::pair<std::string_view, std::string_view>> seen;  // (group, resource)
  for (const ResourceType& type : types->types()) {
    if (!seen.insert({type.group, type.resource}).second) continue;
    KSTACK_ASSIGN_OR_RETURN(Json list, registry_->List(type, "", {}));
    for (const Json& item : list.at("items").as_array()) Observe(type, item, false);
  }
  worker_ = std::thread([this] { Run(); });
  return Status::Ok();
}

void GarbageCollector::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (worker_.joinable()) worker_.join();
}

void GarbageCollector::Written(const ResourceType& type, const Json& object, bool deleted) {
  Observe(type, object, deleted);
  if (type.group == "apiextensions.k8s.io" && type.kind == "CustomResourceDefinition" && !deleted) {
    // A kind that owners may be of is served now: dependents whose owners could not be
    // resolved are looked at again.
    std::vector<std::string> owned;
    {
      std::lock_guard lock(mu_);
      for (const auto& [uid, node] : nodes_) {
        if (!node.owners.empty()) owned.push_back(uid);
      }
    }
    for (const std::string& uid : owned) Enqueue(uid);
  }
}

void GarbageCollector::Observe(const ResourceType& type, const Json& object, bool deleted) {
  std::string uid(MetaString(object, "uid"));
  if (uid.empty()) return;
  std::vector<std::string> wake;
  {
    std::lock_guard lock(mu_);
    auto found = nodes_.find(uid);
    std::vector<OwnerRef> old_owners;
    if (found != nodes_.end()) old_owners = found->second.owners;
    if (deleted) {
      for (const OwnerRef& o : old_owners) {
        auto set = dependents_.find(o.uid);
        if (set != dependents_.end()) {
          set->second.erase(uid);
          if (set->second.empty()) dependents_.erase(set);
        }
        wake.push_back(o.uid);  // an owner deleting its dependents may now go
      }
      if (found != nodes_.end()) nodes_.erase(found);
      if (auto deps = dependents_.find(uid); deps != dependents_.end()) {
        wake.insert(wake.end(), deps->second.begin(), deps->second.end());  // now dangling
      }
    } else {
      Node node{.group = std::string(type.group),
                .resource = std::string(type.resource),
                .ns = std::string(MetaString(object, "namespace")),
                .name = std::string(MetaString(object, "name"))};
      if (const JsonArray* refs = OwnerReferences(object)) {
        for (const Json& ref : *refs) {
          std::string_view owner_uid = FindString(ref, "uid");
          if (owner_uid.empty()) continue;
          const Json* block = FindMember(ref, "blockOwnerDeletion");
          node.owners.push_back({.uid = std::string(owner_uid),
                                 .block = block && block->is_bool() && block->get_bool()});
        }
      }
      bool owners_changed = found == nodes_.end() || old_owners.size() != node.owners.size() ||
                            !std::equal(old_owners.begin(), old_owners.end(), node.owners.begin(),
                                        [](const OwnerRef& a, const OwnerRef& b) {
                                          return a.uid == b.uid && a.block == b.block;
                                        });
      for (const OwnerRef& o : old_owners) {
        bool kept = std::any_of(node.owners.begin(), node.owners.end(),
                                [&](const OwnerRef& n) { return n.uid == o.uid && n.block; });
        if (kept) continue;
        if (std::none_of(node.owners.begin(), node.owners.end(),
                         [&](const OwnerRef& n) { return n.uid == o.uid; })) {
          auto set = dependents_.find(o.uid);
          if (set != dependents_.end()) {
            set->second.erase(uid);
            if (set->second.empty()) dependents_.erase(set);
          }
        }
        wake.push_back(o.uid);  // no longer blocks that owner
      }
      for (const OwnerRef& o : node.owners) dependents_[o.uid].insert(uid);
      bool has_owners = !node.owners.empty();
      nodes_[uid] = std::move(node);
      bool gc_finalizer = BeingDeleted(object) && (HasFinalizer(object, kOrphanFinalizer) ||
                                                   HasFinalizer(object, kForegroundFinalizer));
      if ((has_owners && owners_changed) || gc_finalizer) wake.push_back(uid);
    }
  }
  for (const std::string& w : wake) Enqueue(w);
}

void GarbageCollector::Enqueue(const std::string& uid) {
  {
    std::lock_guard lock(mu_);
    if (nodes_.find(uid) == nodes_.end()) return;  // not an object we know (any more)
    if (!queued_.insert(uid).second) return;
    queue_.push_back(uid);
  }
  cv_.notify_all();
}

std::vector<std::string> GarbageCollector::DependentsOf(const std::string& uid) {
  std::lock_guard lock(mu_);
  auto found = dependents_.find(uid);
  if (found == dependents_.end()) return {};
  return {found->second.begin(), found->second.end()};
}

void GarbageCollector::Run() {
  using Clock = std::chrono::steady_clock;
  std::vector<std::pair<Clock::time_point, std::string>> later;
  std::unique_lock lock(mu_);
  while (!stopping_) {
    auto now = Clock::now();
    for (auto it = later.begin(); it != later.end();) {
      if (it->first <= now) {
        if (queued_.insert(it->second).second) queue_.push_back(it->second);
        it = later.erase(it);
      } else {
        ++it;
      }
    }
    if (queue_.empty()) {
      if (later.empty()) {
        cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      } else {
        auto next = std::min_element(later.begin(), later.end())->first;
        cv_.wait_until(lock, next, [this] { return stopping_ || !queue_.empty(); });
      }
      continue;
    }
    std::string uid = queue_.front();
    queue_.pop_front();
    queued_.erase(uid);
    lock.unlock();
    bool done = Process(uid);
    lock.lock();
    if (!done) later.emplace_back(Clock::now() + kRetry, uid);
  }
}

bool GarbageCollector::Process(const std::string& uid) {
  Node node;
  {
    std::lock_guard lock(mu_);
    auto found = nodes_.find(uid);
    if (found == nodes_.end()) return true;
    node = found->second;
  }
  std::shared_ptr<const TypeSet> types = catalog_->Current();
  const ResourceType* type = FindServed(*types, node.group, node.resource);
  if (type == nullptr) return true;  // the type is no longer served (a deleted CRD)
  Result<Json> object = registry_->Get(*type, node.ns, node.name);
  if (!object.ok()) return object.status().reason() == Reason::kNotFound;
  if (MetaString(*object, "uid") != uid) return true;  // another object of that name
  if (BeingDeleted(*object)) {
    if (HasFinalizer(*object, kOrphanFinalizer)) return OrphanDependents(*type, *object);
    if (HasFinalizer(*object, kForegroundFinalizer)) return DeleteDependents(*type, *object);
    return true;  // someone else's finalizers hold it
  }
  return AttemptToDelete(*type, *object);
}

GarbageCollector::OwnerState GarbageCollector::Resolve(const Json& dependent,
                                                       const ResourceType& dependent_type,
                                                       const Json& ref) {
  std::shared_ptr<const TypeSet> types = catalog_->Current();
  const ResourceType* owner_type =
      FindKindAnyVersion(*types, FindString(ref, "apiVersion"), FindString(ref, "kind"));
  // An owner of a kind the server does not serve cannot be decided on; the dependent is
  // looked at again on its next write or at the next start.
  if (owner_type == nullptr) return OwnerState::kUnresolved;
  if (owner_type->namespaced && !dependent_type.namespaced) return OwnerState::kInvalid;
  std::string_view ns = owner_type->namespaced ? MetaString(dependent, "namespace") : "";
  Result<Json> owner = registry_->Get(*owner_type, ns, FindString(ref, "name"));
  if (owner.status().reason() == Reason::kNotFound) return OwnerState::kDangling;
  if (!owner.ok()) return OwnerState::kError;
  if (MetaString(*owner, "uid") != FindString(ref, "uid")) return OwnerState::kDangling;
  if (BeingDeleted(*owner) && HasFinalizer(*owner, kForegroundFinalizer)) {
    return OwnerState::kDeletingDependents;
  }
  return OwnerState::kSolid;
}

bool GarbageCollector::AttemptToDelete(const ResourceType& type, const Json& object) {
  const JsonArray* refs = OwnerReferences(object);
  if (refs == nullptr || refs->empty()) return true;
  bool solid = false;
  bool waiting = false;
  std::set<std::string> remove;  // dangling and waiting references
  for (const Json& ref : *refs) {
    switch (Resolve(object, type, ref)) {
      case OwnerState::kSolid:
        solid = true;
        break;
      case OwnerState::kDangling:
        remove.insert(std::string(FindString(ref, "uid")));
        break;
      case OwnerState::kDeletingDependents:
        waiting = true;
        remove.insert(std::string(FindString(ref, "uid")));
        break;
      case OwnerState::kUnresolved:
        return true;
      case OwnerState::kError:
        return false;
      case OwnerState::kInvalid:
        // A cluster-scoped object cannot have a namespaced owner: left alone, as Kubernetes
        // does, since no retry resolves it.
        return true;
    }
  }
  std::string uid(MetaString(object, "uid"));
  if (solid) {
    return remove.empty() || RemoveOwnerReferences(uid, remove);
  }
  Propagation propagation = Propagation::kBackground;
  if (waiting && !DependentsOf(uid).empty()) {
    propagation = Propagation::kForeground;  // its own dependents go before it
  } else if (HasFinalizer(object, kOrphanFinalizer)) {
    propagation = Propagation::kOrphan;
  } else if (HasFinalizer(object, kForegroundFinalizer)) {
    propagation = Propagation::kForeground;
  }
  Result<Json> deleted =
      registry_->Delete(type, MetaString(object, "namespace"), MetaString(object, "name"),
                        {.propagation = propagation, .uid_precondition = uid});
  if (deleted.ok() || deleted.status().reason() == Reason::kNotFound ||
      deleted.status().reason() == Reason::kConflict) {
    return true;
  }
  log::Error("garbage collector: deleting {} {}/{}: {}", type.resource,
             MetaString(object, "namespace"), MetaString(object, "name"),
             deleted.status().ToString());
  return false;
}

bool GarbageCollector::OrphanDependents(const ResourceType& type, const Json& object) {
  std::string uid(MetaString(object, "uid"));
  for (const std::string& dependent : DependentsOf(uid)) {
    if (!RemoveOwnerReferences(dependent, {uid})) return false;
  }
  return RemoveFinalizer(type, object, kOrphanFinalizer);
}

bool GarbageCollector::DeleteDependents(const ResourceType& type, const Json& object) {
  std::string uid(MetaString(object, "uid"));
  bool blocked = false;
  for (const std::string& dependent : DependentsOf(uid)) {
    {
      std::lock_guard lock(mu_);
      auto found = nodes_.find(dependent);
      if (found != nodes_.end()) {
        for (const OwnerRef& o : found->second.owners) {
          if (o.uid == uid && o.block) blocked = true;
        }
      }
    }
    Enqueue(dependent);  // deleted as its owner is deleting dependents
  }
  // Deletions of blocking dependents wake this owner again.
  return blocked || RemoveFinalizer(type, object, kForegroundFinalizer);
}

bool GarbageCollector::RemoveOwnerReferences(const std::string& dependent_uid,
                                             const std::set<std::string>& owner_uids) {
  Node node;
  {
    std::lock_guard lock(mu_);
    auto found = nodes_.find(dependent_uid);
    if (found == nodes_.end()) return true;
    node = found->second;
  }
  std::shared_ptr<const TypeSet> types = catalog_->Current();
  const ResourceType* type = FindServed(*types, node.group, node.resource);
  if (type == nullptr) return true;
  for (int attempt = 0; attempt < kWriteAttempts; ++attempt) {
    Result<Json> current = registry_->Get(*type, node.ns, node.name);
    if (current.status().reason() == Reason::kNotFound) return true;
    if (!current.ok()) return false;
    if (MetaString(*current, "uid") != dependent_uid) return true;
    const JsonArray* refs = OwnerReferences(*current);
    if (refs == nullptr) return true;
    JsonArray kept;
    for (const Json& ref : *refs) {
      if (!owner_uids.contains(std::string(FindString(ref, "uid")))) kept.push_back(ref);
    }
    if (kept.size() == refs->size()) return true;
    Json updated = *current;
    JsonObject& meta = updated.as_object()["metadata"].as_object();
    if (kept.empty()) {
      meta.erase("ownerReferences");
    } else {
      meta["ownerReferences"] = std::move(kept);
    }
    Result<Json> written = registry_->Update(*type, node.ns, node.name, std::move(updated));
    if (written.ok() || written.status().reason() == Reason::kNotFound) return true;
    if (written.status().reason() != Reason::kConflict) {
      log::Error("garbage collector: removing owner references of {} {}/{}: {}", type->resource,
                 node.ns, node.name, written.status().ToString());
      return false;
    }
  }
  return false;
}

bool GarbageCollector::RemoveFinalizer(const ResourceType& type, const Json& object,
                                       std::string_view finalizer) {
  std::string_view ns = MetaString(object, "namespace");
  std::string_view name = MetaString(object, "name");
  std::string_view uid = MetaString(object, "uid");
  for (int attempt = 0; attempt < kWriteAttempts; ++attempt) {
    Result<Json> current = registry_->Get(type, ns, name);
    if (current.status().reason() == Reason::kNotFound) return true;
    if (!current.ok()) return false;
    if (MetaString(*current, "uid") != uid || !HasFinalizer(*current, finalizer)) return true;
    Json updated = *current;
    JsonObject& meta = updated.as_object()["metadata"].as_object();
    JsonArray kept;
    for (const Json& f : meta["finalizers"].as_array()) {
      if (!(f.is_string() && f.get_string() == finalizer)) kept.push_back(f);
    }
    if (kept.empty()) {
      meta.erase("finalizers");
    } else {
      meta["finalizers"] = std::move(kept);
    }
    Result<Json> written = registry_->Update(type, ns, name, std::move(updated));
    if (written.ok() || written.status().reason() == Reason::kNotFound) return true;
    if (written.status().reason() != Reason::kConflict) {
      log::Error("garbage collector: removing the {} finalizer of {} {}/{}: {}", finalizer,
                 type.resource, ns, name, written.status().ToString());
      return false;
    }
  }
  return false;
}

}  // namespace kstack::server
