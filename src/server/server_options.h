#pragma once

// How `kstack server` is started.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/clock.h"
#include "server/workloads/simulation.h"

namespace kstack::server {

struct ServerOptions {
  // The one place of state: the store, the certificates (pki/) and kubeconfig.yaml. Created
  // when absent. Required.
  std::string data_dir;
  // An IP literal or host name to listen on; "0.0.0.0" or "::" listens on every interface.
  std::string bind_address = "127.0.0.1";
  // 0 picks a free port.
  uint16_t port = 6443;
  // Names the cluster and the context of the kubeconfig.
  std::string cluster_name = "kstack";
  // Threads that run request handlers, besides the one event-loop thread. A write holds its
  // thread until the store's group commit makes it durable, so this also bounds how many
  // writes share one fsync; idle threads cost no memory beyond their untouched stacks.
  size_t worker_threads = 16;
  // How long a graceful shutdown waits for in-flight requests.
  std::chrono::milliseconds shutdown_grace{10000};
  // The simulated nodes and kubelets (--nodes, --simulation-delay).
  workloads::SimulationOptions simulation{};
  // The IPv4 network Service cluster IPs come from (--service-cidr); K3s' default.
  std::string service_cidr = "10.43.0.0/16";
  // Certificate validity is measured against this clock; SystemClock() when null. Not owned.
  Clock* clock = nullptr;
};

}  // namespace kstack::server
