#include "server/workloads/workloads.h"

#include "server/workloads/cronjob_controller.h"
#include "server/workloads/daemonset_controller.h"
#include "server/workloads/defaults.h"
#include "server/workloads/deployment_controller.h"
#include "server/workloads/hpa_controller.h"
#include "server/workloads/job_controller.h"
#include "server/workloads/kubelet.h"
#include "server/workloads/nodes.h"
#include "server/workloads/objects.h"
#include "server/workloads/replicaset_controller.h"
#include "server/workloads/scheduler.h"
#include "server/workloads/statefulset_controller.h"
#include "server/workloads/validation.h"

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
  jobs_ = std::make_unique<JobController>(registry_, clock_);
  daemonsets_ = std::make_unique<DaemonSetController>(registry_, clock_);
  statefulsets_ = std::make_unique<StatefulSetController>(registry_, clock_);
  cronjobs_ = std::make_unique<CronJobController>(registry_, clock_);
  hpas_ = std::make_unique<HpaController>(registry_, clock_);
  KSTACK_RETURN_IF_ERROR(nodes_->Start());
  started_ = true;
  KSTACK_RETURN_IF_ERROR(scheduler_->Start());
  KSTACK_RETURN_IF_ERROR(kubelet_->Start());
  KSTACK_RETURN_IF_ERROR(replicasets_->Start());
  KSTACK_RETURN_IF_ERROR(deployments_->Start());
  KSTACK_RETURN_IF_ERROR(jobs_->Start());
  KSTACK_RETURN_IF_ERROR(daemonsets_->Start());
  KSTACK_RETURN_IF_ERROR(statefulsets_->Start());
  KSTACK_RETURN_IF_ERROR(cronjobs_->Start());
  KSTACK_RETURN_IF_ERROR(hpas_->Start());
  return Status::Ok();
}

void Workloads::Stop() {
  if (!started_.exchange(false)) return;
  hpas_->Stop();
  cronjobs_->Stop();
  statefulsets_->Stop();
  daemonsets_->Stop();
  jobs_->Stop();
  deployments_->Stop();
  replicasets_->Stop();
  kubelet_->Stop();
  scheduler_->Stop();
  nodes_->Stop();
}

Status Workloads::Admit(const ResourceType& type, const Json* old, Json& object,
                        const WriteOptions& options) {
  ApplyDefaults(type, old, object);
  return ValidateWorkload(type, old, object);
}

void Workloads::Written(const ResourceType& type, const Json& object, bool deleted) {
  if (!started_) return;
  if (type.group.empty()) {
    if (type.kind == "Pod") {
      scheduler_->Observe(type, object, deleted);
      kubelet_->Observe(type, object, deleted);
      if (const Json* ref = ControllerOf(object)) {
        std::string owner = KeyOf(Meta(object, "namespace"), FindString(*ref, "name"));
        std::string_view kind = FindString(*ref, "kind");
        if (kind == "ReplicaSet") replicasets_->Enqueue(owner);
        if (kind == "Job") jobs_->Enqueue(owner);
        if (kind == "DaemonSet") daemonsets_->Enqueue(owner);
        if (kind == "StatefulSet") statefulsets_->Enqueue(owner);
      }
    } else if (type.kind == "Node") {
      scheduler_->Observe(type, object, deleted);
      daemonsets_->NodesChanged();
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
    } else if (type.kind == "DaemonSet") {
      daemonsets_->Enqueue(KeyOf(object));
    } else if (type.kind == "StatefulSet") {
      statefulsets_->Enqueue(KeyOf(object));
    }
    return;
  }
  if (type.group == "batch" && type.kind == "Job") {
    jobs_->Enqueue(KeyOf(object));
    if (std::string owner = OwnerKey(object, "CronJob"); !owner.empty()) {
      cronjobs_->Enqueue(owner);
    }
  } else if (type.group == "batch" && type.kind == "CronJob") {
    cronjobs_->Enqueue(KeyOf(object));
  } else if (type.group == "autoscaling" && type.kind == "HorizontalPodAutoscaler") {
    hpas_->Enqueue(KeyOf(object));
  }
}

}  // namespace kstack::server::workloads
