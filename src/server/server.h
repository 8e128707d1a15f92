#pragma once

// The Kubernetes API server of kstack: HTTPS on one address, client certificates of the cluster
// CA for authentication, the store in the data directory for state.

#include <memory>
#include <string>

#include "core/result.h"
#include "server/server_options.h"

namespace kstack::store {
class Store;
}

namespace kstack::server {

namespace internal {
class ApiHandler;
class HttpsListener;
}  // namespace internal

class ObjectRegistry;
class TypeCatalog;
class CustomResources;
class NamespaceLifecycle;
class GarbageCollector;
class ServiceAllocator;
class EndpointsController;
class AdmissionChain;
namespace workloads {
class Workloads;
}

class Server {
 public:
  // Opens the store under `options.data_dir` (which also makes this process the data
  // directory's only server), loads or creates the certificates, writes kubeconfig.yaml, binds
  // and starts serving in the background.
  // Errors: kInvalid for missing or unusable options; kUnavailable when the data directory is
  // in use or the address cannot be bound; kInternal for I/O and TLS failures.
  static Result<std::unique_ptr<Server>> Start(const ServerOptions& options);

  // Shuts down gracefully and waits (see Shutdown()).
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // "https://127.0.0.1:6443": the address clients dial (a loopback address when listening on
  // every interface).
  const std::string& url() const { return url_; }
  uint16_t port() const { return port_; }
  const std::string& kubeconfig_path() const { return kubeconfig_path_; }

  // Stops accepting connections, finishes the requests in flight, closes idle connections.
  // Returns at once; thread-safe and idempotent; Wait() completes the shutdown.
  void Shutdown();

  // Blocks until Shutdown() has completed, then closes the store. Call from one thread.
  void Wait();

 private:
  Server() = default;

  std::string url_;
  uint16_t port_ = 0;
  std::string kubeconfig_path_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<ObjectRegistry> registry_;
  std::unique_ptr<TypeCatalog> catalog_;
  std::unique_ptr<CustomResources> custom_resources_;
  std::unique_ptr<NamespaceLifecycle> namespaces_;
  std::unique_ptr<workloads::Workloads> workloads_;
  std::unique_ptr<GarbageCollector> gc_;
  std::unique_ptr<ServiceAllocator> services_;
  std::unique_ptr<EndpointsController> endpoints_;
  std::unique_ptr<AdmissionChain> admission_;
  std::unique_ptr<internal::ApiHandler> api_;
  std::unique_ptr<internal::HttpsListener> listener_;
};

}  // namespace kstack::server
