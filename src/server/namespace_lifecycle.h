#pragma once

// The namespace controller of a Kubernetes cluster, inside the server:
// - every namespace gets a `default` ServiceAccount and the `kube-root-ca.crt` ConfigMap (the
//   cluster CA) as soon as it is written;
// - a deleted namespace is Terminating (the registry marks it, its spec.finalizers holding it)
//   while a worker thread deletes everything in it through the registry, so watchers see each
//   deletion; objects held by finalizers of their own are waited for; then the namespace's
//   `kubernetes` finalizer is removed and the namespace goes.
// Creating content in a Terminating namespace is refused by the registry (403).
//
// Thread safety: Written() may be called from any thread; Start() and Stop() from one.

#include <condition_variable>
#include <deque>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "server/object_registry.h"
#include "server/type_catalog.h"

namespace kstack::server {

class NamespaceLifecycle : public Admission {
 public:
  // REQUIRES: `registry` and `catalog` outlive this object.
  NamespaceLifecycle(ObjectRegistry* registry, const TypeCatalog* catalog, std::string ca_pem);
  ~NamespaceLifecycle() override;

  // Starts the worker and resumes the deletion of namespaces that were Terminating when the
  // server stopped.
  Status Start();
  // Stops the worker; a deletion in progress resumes at the next Start().
  void Stop();

  Status Admit(const ResourceType& type, const Json* old, Json& object,
               const WriteOptions& options) override {
    return Status::Ok();
  }
  void Written(const ResourceType& type, const Json& object, bool deleted) override;

 private:
  void EnsureDefaults(const std::string& ns);
  void Enqueue(const std::string& ns);
  void Run();
  // Deletes what is in `ns`; true once the namespace itself is gone.
  bool Finish(const std::string& ns);

  ObjectRegistry* registry_;
  const TypeCatalog* catalog_;
  std::string ca_pem_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::string> queue_;
  std::set<std::string> queued_;
  bool stopping_ = false;
  std::thread worker_;
};

}  // namespace kstack::server
