#pragma once

// What the API server does to a Service on its way to the store, as Kubernetes does it:
// - defaults: type ClusterIP, sessionAffinity None, internalTrafficPolicy Cluster, ports'
//   protocol TCP and targetPort = port, externalTrafficPolicy Cluster and (LoadBalancer)
//   allocateLoadBalancerNodePorts for services with node ports;
// - a cluster IP from the service CIDR (K3s' 10.43.0.0/16 by default; random in the upper part
//   of the range, the lower part being the static one): an empty spec.clusterIP gets one, a
//   requested one is honoured or refused with 422 (taken, or outside the range), `None` is a
//   headless service; clusterIPs, ipFamilies [IPv4] and ipFamilyPolicy are filled; ExternalName
//   services get none;
// - node ports 30000-32767 for NodePort and LoadBalancer services (requested ones checked the
//   same way), kept on updates that leave them out, released when the type no longer has them;
// - the `kubernetes` Service in `default` at the first address of the range, its port 443
//   pointing at the server's own port through its Endpoints and EndpointSlice.
// Allocations are derived from the stored Services at Start() and follow every write; nothing
// else is stored.
//
// Thread safety: Admit() and Written() may be called from any thread.

#include <cstdint>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "server/object_registry.h"

namespace kstack::server {

// An IPv4 network such as 10.43.0.0/16.
struct ServiceCidr {
  uint32_t base = 0;  // the network address, host order
  int prefix = 0;
  // Parses "10.43.0.0/16". Errors: kInvalid naming the text; IPv6 is not served.
  static Result<ServiceCidr> Parse(std::string_view text);
  uint64_t size() const { return uint64_t{1} << (32 - prefix); }
  bool Contains(uint32_t ip) const;
  std::string ToString() const;
};

class ServiceAllocator : public Admission {
 public:
  // REQUIRES: `registry` outlives this object.
  ServiceAllocator(ObjectRegistry* registry, ServiceCidr cidr);

  // Records the allocations of the stored Services. Errors: a failed list.
  Status Start();
  // Creates or updates default/kubernetes (cluster IP the first of the range, port 443 to
  // `server_port`) and its Endpoints and EndpointSlice at `server_ip`.
  Status EnsureKubernetesService(const std::string& server_ip, uint16_t server_port);

  Status Admit(const ResourceType& type, const Json* old, Json& object,
               const WriteOptions& options) override;
  void Written(const ResourceType& type, const Json& object, bool deleted) override;

  static constexpr int kNodePortMin = 30000;
  static constexpr int kNodePortMax = 32767;

 private:
  struct Holding {
    std::string ip;  // "" when none
    std::set<int> node_ports;
  };
  // Sets what `service` ("ns/name") holds, releasing what it no longer does.
  void Hold(const std::string& service, Holding holding);
  Status AllocateClusterIp(const std::string& service, const std::string& name, Json& spec,
                           const Json* old_spec, bool dry_run);
  Status AllocateNodePorts(const std::string& service, const std::string& name, Json& spec,
                           const Json* old_spec, bool dry_run);

  ObjectRegistry* registry_;
  ServiceCidr cidr_;

  std::mutex mu_;
  std::map<uint32_t, std::string> ips_;    // allocated IP -> service
  std::map<int, std::string> node_ports_;  // allocated node port -> service
  std::map<std::string, Holding> held_;    // service -> what it holds
  std::mt19937 random_;
};

}  // namespace kstack::server
