#pragma once

// The built-in workload side of the cluster, inside the server and a client of the same
// registry: simulated nodes and their kubelets, the scheduler, and the workload controllers
// (ReplicaSet, Deployment, ...). As an admission step it gives workload objects their defaults
// and hands every write to the controllers that watch the written kind, which queue the keys
// they must look at; their worker threads then write through the registry like any client.
//
// Thread safety: Admit() and Written() from any thread; Start() and Stop() from one.

#include <atomic>
#include <memory>

#include "server/object_registry.h"
#include "server/workloads/simulation.h"

namespace kstack::server::workloads {

class Nodes;
class Scheduler;
class Kubelet;
class ReplicaSetController;
class DeploymentController;
class JobController;
class DaemonSetController;
class StatefulSetController;
class CronJobController;
class HpaController;

class Workloads : public Admission {
 public:
  // REQUIRES: `registry` and `clock` outlive this object.
  Workloads(ObjectRegistry* registry, const Clock* clock, SimulationOptions options);
  ~Workloads() override;

  // Registers the nodes, then starts every controller. Errors: those of the registry.
  Status Start();
  // Stops every controller; what is left to do resumes at the next Start().
  void Stop();

  Status Admit(const ResourceType& type, const Json* old, Json& object,
               const WriteOptions& options) override;
  void Written(const ResourceType& type, const Json& object, bool deleted) override;

 private:
  ObjectRegistry* registry_;
  const Clock* clock_;
  SimulationOptions options_;
  std::atomic<bool> started_{false};
  std::unique_ptr<Nodes> nodes_;
  std::unique_ptr<Scheduler> scheduler_;
  std::unique_ptr<Kubelet> kubelet_;
  std::unique_ptr<ReplicaSetController> replicasets_;
  std::unique_ptr<DeploymentController> deployments_;
  std::unique_ptr<JobController> jobs_;
  std::unique_ptr<DaemonSetController> daemonsets_;
  std::unique_ptr<StatefulSetController> statefulsets_;
  std::unique_ptr<CronJobController> cronjobs_;
  std::unique_ptr<HpaController> hpas_;
};

}  // namespace kstack::server::workloads
