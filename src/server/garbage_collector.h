#pragma once

// The garbage collector of a Kubernetes cluster, inside the server and a client of the same
// registry. It keeps a graph of owners and dependents (objects whose metadata.ownerReferences
// name an owner's uid), fed by every write (`Admission::Written`) and built whole at Start(),
// and acts on it from one worker thread:
// - a dependent whose owners are all gone (dangling: no object of that kind and name, or one
//   with another uid) is deleted; one that still has a live owner loses only the references to
//   owners that are gone or being deleted in the foreground;
// - an owner deleted with propagationPolicy Orphan (the `orphan` finalizer) has the references
//   to it removed from its dependents, then the finalizer, so it goes;
// - an owner deleted with propagationPolicy Foreground (deletionTimestamp and the
//   `foregroundDeletion` finalizer) has its dependents deleted (in the foreground themselves when
//   they have dependents), and loses the finalizer once no dependent with blockOwnerDeletion
//   remains;
// - Background needs nothing more: the owner goes at once and its dependents are dangling.
// Owners are resolved as Kubernetes resolves them: a namespaced kind in the dependent's
// namespace, a cluster-scoped kind at cluster scope; a cluster-scoped dependent that names a
// namespaced owner is left alone. Custom resources are collected like built-in kinds; a
// dependent naming an owner of a kind not served yet is looked at again when a
// CustomResourceDefinition is written.
//
// Thread safety: Written() may be called from any thread (it only updates the graph and queues
// work); Start() and Stop() from one.

#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "server/object_registry.h"
#include "server/type_catalog.h"

namespace kstack::server {

class GarbageCollector : public Admission {
 public:
  // REQUIRES: `registry` and `catalog` outlive this object.
  GarbageCollector(ObjectRegistry* registry, const TypeCatalog* catalog);
  ~GarbageCollector() override;

  // Builds the graph from every stored object, queues what has owners or is being deleted
  // (so dependents left dangling before a restart are collected), and starts the worker.
  // Errors: the first failed list.
  Status Start();
  // Stops the worker; queued work is found again by the next Start().
  void Stop();

  Status Admit(const ResourceType& type, const Json* old, Json& object,
               const WriteOptions& options) override {
    return Status::Ok();
  }
  void Written(const ResourceType& type, const Json& object, bool deleted) override;

 private:
  struct OwnerRef {
    std::string uid;
    bool block = false;  // blockOwnerDeletion
  };
  // Where an object is, by uid.
  struct Node {
    std::string group;
    std::string resource;
    std::string ns;
    std::string name;
    std::vector<OwnerRef> owners;
  };
  // kUnresolved: a kind the server does not serve; kError: the lookup failed (tried again).
  enum class OwnerState { kSolid, kDangling, kDeletingDependents, kUnresolved, kInvalid, kError };

  void Observe(const ResourceType& type, const Json& object, bool deleted);
  void Enqueue(const std::string& uid);
  void Run();
  // Handles one object; false when it should be looked at again shortly.
  bool Process(const std::string& uid);
  bool AttemptToDelete(const ResourceType& type, const Json& object);
  bool OrphanDependents(const ResourceType& type, const Json& object);
  bool DeleteDependents(const ResourceType& type, const Json& object);
  // Removes the references to `owner_uids` from a dependent.
  bool RemoveOwnerReferences(const std::string& dependent_uid,
                             const std::set<std::string>& owner_uids);
  bool RemoveFinalizer(const ResourceType& type, const Json& object, std::string_view finalizer);
  OwnerState Resolve(const Json& dependent, const ResourceType& dependent_type, const Json& ref);
  std::vector<std::string> DependentsOf(const std::string& uid);

  ObjectRegistry* registry_;
  const TypeCatalog* catalog_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, Node> nodes_;                        // by uid
  std::map<std::string, std::set<std::string>> dependents_;  // owner uid -> dependent uids
  std::deque<std::string> queue_;
  std::set<std::string> queued_;
  bool stopping_ = false;
  std::thread worker_;
};

}  // namespace kstack::server
