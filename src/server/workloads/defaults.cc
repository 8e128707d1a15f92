#include "server/workloads/defaults.h"

#include "server/workloads/objects.h"

namespace kstack::server::workloads {
namespace {

void Default(JsonObject& object, std::string_view key, Json value) {
  if (!object.contains(key) || object.at(key).is_null()) object[key] = std::move(value);
}

void DefaultPodSpec(JsonObject& spec, bool restart_policy = true) {
  // A Job's template must name its restartPolicy (Never or OnFailure): no default there.
  if (restart_policy) Default(spec, "restartPolicy", "Always");
  Default(spec, "schedulerName", "default-scheduler");
  Default(spec, "terminationGracePeriodSeconds", 30);
  Default(spec, "dnsPolicy", "ClusterFirst");
  Default(spec, "securityContext", JsonObject{});
}

void DefaultTemplate(JsonObject& spec, bool restart_policy = true) {
  JsonObject& tmpl = EnsureObject(spec, "template");
  DefaultPodSpec(EnsureObject(tmpl, "spec"), restart_policy);
}

}  // namespace

std::string_view QosClass(const Json& pod) {
  bool any = false, guaranteed = true;
  for (const char* field : {"initContainers", "containers"}) {
    const Json* list = At(pod, {"spec", field});
    if (list == nullptr || !list->is_array()) continue;
    for (const Json& c : list->get_array()) {
      const Json* requests = At(c, {"resources", "requests"});
      const Json* limits = At(c, {"resources", "limits"});
      for (const char* resource : {"cpu", "memory"}) {
        const Json* r = requests ? FindMember(*requests, resource) : nullptr;
        const Json* l = limits ? FindMember(*limits, resource) : nullptr;
        if (r != nullptr || l != nullptr) any = true;
        if (l == nullptr) {
          guaranteed = false;
        } else if (r != nullptr && MilliValueOf(*r) != MilliValueOf(*l)) {
          guaranteed = false;
        }
      }
    }
  }
  if (!any) return "BestEffort";
  return guaranteed ? "Guaranteed" : "Burstable";
}

void ApplyDefaults(const machinery::ResourceType& type, const Json* old, Json& object) {
  if (!object.is_object()) return;
  JsonObject& obj = object.get_object();
  if (type.group.empty() && type.kind == "Pod") {
    DefaultPodSpec(EnsureObject(obj, "spec"));
    if (old == nullptr) {
      obj["status"] = JsonObject{{"phase", "Pending"}, {"qosClass", QosClass(object)}};
    }
    return;
  }
  if (type.group == "apps" && type.kind == "Deployment") {
    JsonObject& spec = EnsureObject(obj, "spec");
    Default(spec, "replicas", 1);
    JsonObject& strategy = EnsureObject(spec, "strategy");
    Default(strategy, "type", "RollingUpdate");
    if (FindString(Json(strategy), "type") == "RollingUpdate") {
      JsonObject& rolling = EnsureObject(strategy, "rollingUpdate");
      Default(rolling, "maxUnavailable", "25%");
      Default(rolling, "maxSurge", "25%");
    }
    Default(spec, "revisionHistoryLimit", 10);
    Default(spec, "progressDeadlineSeconds", 600);
    DefaultTemplate(spec);
    return;
  }
  if (type.group == "apps" && type.kind == "ReplicaSet") {
    JsonObject& spec = EnsureObject(obj, "spec");
    Default(spec, "replicas", 1);
    DefaultTemplate(spec);
    return;
  }
  if (type.group == "apps" && type.kind == "StatefulSet") {
    JsonObject& spec = EnsureObject(obj, "spec");
    Default(spec, "replicas", 1);
    Default(spec, "podManagementPolicy", "OrderedReady");
    JsonObject& strategy = EnsureObject(spec, "updateStrategy");
    Default(strategy, "type", "RollingUpdate");
    if (FindString(Json(strategy), "type") == "RollingUpdate") {
      Default(EnsureObject(strategy, "rollingUpdate"), "partition", 0);
    }
    Default(spec, "revisionHistoryLimit", 10);
    DefaultTemplate(spec);
    return;
  }
  if (type.group == "apps" && type.kind == "DaemonSet") {
    JsonObject& spec = EnsureObject(obj, "spec");
    JsonObject& strategy = EnsureObject(spec, "updateStrategy");
    Default(strategy, "type", "RollingUpdate");
    if (FindString(Json(strategy), "type") == "RollingUpdate") {
      JsonObject& rolling = EnsureObject(strategy, "rollingUpdate");
      Default(rolling, "maxUnavailable", 1);
      Default(rolling, "maxSurge", 0);
    }
    Default(spec, "revisionHistoryLimit", 10);
    DefaultTemplate(spec);
    return;
  }
  if (type.group == "batch" && type.kind == "Job") {
    JsonObject& spec = EnsureObject(obj, "spec");
    Default(spec, "completions", 1);
    Default(spec, "parallelism", 1);
    Default(spec, "backoffLimit", 6);
    Default(spec, "completionMode", "NonIndexed");
    Default(spec, "suspend", false);
    DefaultTemplate(spec, false);
    const Json* manual = spec.if_contains("manualSelector");
    if (old == nullptr && !(manual && manual->is_bool() && manual->get_bool())) {
      // The API server's selector of a Job: its uid, on the selector and the pods' labels.
      std::string uid(Meta(object, "uid"));
      std::string name(Meta(object, "name"));
      spec["selector"] =
          JsonObject{{"matchLabels", JsonObject{{"batch.kubernetes.io/controller-uid", uid}}}};
      JsonObject& labels =
          EnsureObject(EnsureObject(EnsureObject(spec, "template"), "metadata"), "labels");
      labels["batch.kubernetes.io/controller-uid"] = uid;
      labels["batch.kubernetes.io/job-name"] = name;
      labels["controller-uid"] = uid;
      labels["job-name"] = name;
    }
    return;
  }
  if (type.group == "batch" && type.kind == "CronJob") {
    JsonObject& spec = EnsureObject(obj, "spec");
    Default(spec, "concurrencyPolicy", "Allow");
    Default(spec, "suspend", false);
    Default(spec, "successfulJobsHistoryLimit", 3);
    Default(spec, "failedJobsHistoryLimit", 1);
    return;
  }
}

}  // namespace kstack::server::workloads
