#include "server/workloads/workloads.h"

#include "server/workloads/defaults.h"
#include "server/workloads/deployment_controller.h"
#include "server/workloads/kubelet.h"
#include "server/workloads/nodes.h"
#include "server/workloads/objects.h"
#include "server/workloads/replicaset_controller.h"
#include "server/workloads/scheduler.h"

namespace kstack::server::workloads {
namespace {

// The key of the object's controller when it is of `kind`, or "".
std::string OwnerKey(const Json& object, std::string_view kind) {
  const Json* ref = ControllerOf(object);
  if (ref == nullptr || FindString(*ref, "kind") != kind) return "";
  return KeyOf(Meta(object, "namespace"), FindString(*ref, "name"));
}

}  // namespace

Workloads::Workloads(ObjectRegistry* registry, const Clock* clock, SimulationOptions options)
    : registry_(registry), clock_(clock), options_(options) {}

Workloads::~Workloads() { Stop(); }

Status Workloads::Start() {
  nodes_ = std::make_unique<Nodes>(registry_, clock_, options_);
  scheduler_ = std::make_unique<Scheduler>(registry_, clock_);
  kubelet_ = std::make_unique<Kubelet>(registry_, clock_, options_);
  replicasets_ = std::make_unique<ReplicaSetController>(registry_, clock_);
  deployments_ = std::make_unique<DeploymentController>(registry_, clock_);
  KSTACK_RETURN_IF_ERROR(nodes_->Start());
  started_ = true;
  KSTACK_RETURN_IF_ERROR(scheduler_->Start());
  KSTACK_RETURN_IF_ERROR(kubelet_->Start());
  KSTACK_RETURN_IF_ERROR(replicasets_->Start());
  KSTACK_RETURN_IF_ERROR(deployments_->Start());
  return Status::Ok();
}

void Workloads::Stop() {
  if (!started_.exchange(false)) return;
  deployments_->Stop();
  replicasets_->Stop();
  kubelet_->Stop();
  scheduler_->Stop();
  nodes_->Stop();
}

Status Workloads::Admit(const ResourceType& type, const Json* old, Json& object,
                        const WriteOptions& options) {
  ApplyDefaults(type, old, object);
  return Status::Ok();
}

void Workloads::Written(const ResourceType& type, const Json& object, bool deleted) {
  if (!started_) return;
  if (type.group.empty()) {
    if (type.kind == "Pod") {
      scheduler_->Observe(type, object, deleted);
      kubelet_->Observe(type, object, deleted);
      if (std::string owner = OwnerKey(object, "ReplicaSet"); !owner.empty()) {
        replicasets_->Enqueue(owner);
      }
    } else if (type.kind == "Node") {
      scheduler_->Observe(type, object, deleted);
    }
    return;
  }
  if (type.group == "apps") {
    if (type.kind == "ReplicaSet") {
      replicasets_->Enqueue(KeyOf(object));
      if (std::string owner = OwnerKey(object, "Deployment"); !owner.empty()) {
        deployments_->Enqueue(owner);
      }
    } else if (type.kind == "Deployment") {
      deployments_->Enqueue(KeyOf(object));
    }
  }
}

}  // namespace kstack::server::workloads
