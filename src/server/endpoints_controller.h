#pragma once

// The Endpoints and EndpointSlice controllers of a Kubernetes cluster, inside the server and
// clients of the same registry. For every Service with a selector, from the pods of its
// namespace that match it and have a status.podIP (not Succeeded or Failed):
// - the Endpoints of the same name: `addresses` for pods with Ready=True (or all, with
//   publishNotReadyAddresses), `notReadyAddresses` otherwise, terminating pods left out; each
//   address with ip, nodeName and a targetRef to the pod; ports resolved per pod (a targetPort
//   name is looked up in the pod's containerPorts), subsets grouping addresses by their ports;
// - discovery.k8s.io/v1 EndpointSlices (generateName `<service>-`) labelled
//   `kubernetes.io/service-name` and `endpointslice.kubernetes.io/managed-by:
//   endpointslice-controller.k8s.io`, owned by the Service (so the garbage collector removes
//   them with it), one per distinct port set (an empty one when there are no endpoints), each
//   endpoint with conditions ready, serving and terminating.
// Services without a selector are left to their users. Work is queued by service from every
// Service and Pod write and done on one worker thread.
//
// Thread safety: Written() may be called from any thread; Start() and Stop() from one.

#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "server/object_registry.h"

namespace kstack::server {

inline constexpr std::string_view kServiceNameLabel = "kubernetes.io/service-name";
inline constexpr std::string_view kManagedByLabel = "endpointslice.kubernetes.io/managed-by";
inline constexpr std::string_view kEndpointSliceController = "endpointslice-controller.k8s.io";

class EndpointsController : public Admission {
 public:
  // REQUIRES: `registry` outlives this object.
  explicit EndpointsController(ObjectRegistry* registry);
  ~EndpointsController() override;

  // Learns the stored Services, queues those with a selector and starts the worker.
  // Errors: a failed list.
  Status Start();
  void Stop();

  Status Admit(const ResourceType& type, const Json* old, Json& object,
               const WriteOptions& options) override {
    return Status::Ok();
  }
  void Written(const ResourceType& type, const Json& object, bool deleted) override;

 private:
  // A service with a selector, as last seen, and the pods its endpoints last named.
  struct Watched {
    std::map<std::string, std::string> selector;
    std::set<std::string> pods;
  };

  void Enqueue(const std::string& key);  // "ns/name"
  void Run();
  // False when it should be tried again shortly.
  bool Reconcile(const std::string& ns, const std::string& name);
  Status WriteEndpoints(const Json& service, const Json& endpoints);
  Status WriteSlices(const Json& service, const JsonArray& slices);

  ObjectRegistry* registry_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, std::map<std::string, Watched>> services_;  // ns -> name -> watched
  std::deque<std::string> queue_;
  std::set<std::string> queued_;
  bool stopping_ = false;
  std::thread worker_;
};

}  // namespace kstack::server
