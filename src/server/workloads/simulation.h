#pragma once

// How the simulated cluster behind `kstack server` behaves: how many nodes it has and how
// fast its kubelets are. Containers are never run; pods move through their phases as a kubelet
// would report them.

#include <chrono>
#include <string>
#include <string_view>

namespace kstack::server::workloads {

struct SimulationOptions {
  // Nodes kstack-node-0 ... kstack-node-(N-1); a changed N on restart adds or removes nodes.
  int nodes = 1;
  // How long a simulated kubelet takes to start a pod's containers, and how long a pod that
  // runs to completion (restartPolicy Never or OnFailure) runs. 0 moves pods at once.
  std::chrono::milliseconds delay{100};
  // How often nodes renew their Lease (and, every sixth time, their Ready heartbeat).
  std::chrono::milliseconds heartbeat{10000};
};

// The name of simulated node `index`.
std::string NodeName(int index);
// The index of a simulated node's name, or -1 for another name.
int NodeIndex(std::string_view name);

}  // namespace kstack::server::workloads
