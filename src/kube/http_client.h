#pragma once

// The kube::Client that talks HTTP/1.1 (over TLS for https:// servers) to any Kubernetes API
// server: kstack server, K3s, a cloud cluster. See client.h for the contract of each call.
//
// Requests share a pool of keep-alive connections; each watch has a connection of its own.
// A ResourceRef that names a kind instead of a resource is mapped by the built-in type table
// and else by discovery (refreshed once when the kind is not found, as when a CRD was just
// created).

#include <chrono>
#include <memory>
#include <string>

#include "core/result.h"
#include "kube/client.h"
#include "kube/rest_config.h"

namespace kstack::kube {

class Discovery;

struct HttpClientOptions {
  std::chrono::milliseconds connect_timeout{10000};
  // A whole request and its response (watches excepted).
  std::chrono::milliseconds request_timeout{60000};
  size_t max_idle_connections = 32;
  std::string user_agent = "kstack";
};

class HttpClient : public Client {
 public:
  // Errors: kInvalid when the server URL or the TLS material of `config` is unusable.
  static Result<std::unique_ptr<HttpClient>> Create(const RestConfig& config,
                                                    const HttpClientOptions& options = {});
  ~HttpClient() override;

  Result<Json> Get(const ResourceRef& ref) override;
  Result<Json> List(const ResourceRef& ref, const ListOptions& options = {}) override;
  Result<Json> Create(const ResourceRef& ref, const Json& object,
                      const WriteOptions& options = {}) override;
  Result<Json> Update(const ResourceRef& ref, const Json& object,
                      const WriteOptions& options = {}) override;
  Result<Json> UpdateStatus(const ResourceRef& ref, const Json& object,
                            const WriteOptions& options = {}) override;
  Result<Json> Patch(const ResourceRef& ref, PatchType type, const Json& patch,
                     const PatchOptions& options = {}) override;
  Result<Json> Delete(const ResourceRef& ref, const DeleteOptions& options = {}) override;
  Result<std::unique_ptr<WatchStream>> Watch(const ResourceRef& ref,
                                             const WatchOptions& options = {}) override;
  Result<Json> GetPath(const std::string& path,
                       const std::string& accept = "application/json") override;

  // The discovery cache this client maps kinds with. Owned by the client.
  Discovery& discovery();

  // TCP connections opened so far: one per concurrent caller at most while they are reused,
  // plus one per watch.
  int64_t connections_opened() const;

 private:
  struct Impl;
  explicit HttpClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace kstack::kube
