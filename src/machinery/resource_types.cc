#include "machinery/resource_types.h"

namespace kstack::machinery {
namespace {

// Discovery verbs. Namespaces alone have no deletecollection.
constexpr std::string_view kAllVerbs[] = {"create", "delete", "deletecollection", "get",
                                          "list",   "patch",  "update",           "watch"};
constexpr std::string_view kNoDeleteCollection[] = {"create", "delete", "get",  "list",
                                                    "patch",  "update", "watch"};
constexpr std::string_view kAll[] = {"all"};
constexpr std::string_view kApiExtensions[] = {"api-extensions"};

constexpr std::string_view kShortNamespace[] = {"ns"};
constexpr std::string_view kShortConfigMap[] = {"cm"};
constexpr std::string_view kShortService[] = {"svc"};
constexpr std::string_view kShortServiceAccount[] = {"sa"};
constexpr std::string_view kShortPod[] = {"po"};
constexpr std::string_view kShortReplicationController[] = {"rc"};
constexpr std::string_view kShortEvent[] = {"ev"};
constexpr std::string_view kShortEndpoints[] = {"ep"};
constexpr std::string_view kShortNode[] = {"no"};
constexpr std::string_view kShortPersistentVolume[] = {"pv"};
constexpr std::string_view kShortPersistentVolumeClaim[] = {"pvc"};
constexpr std::string_view kShortResourceQuota[] = {"quota"};
constexpr std::string_view kShortLimitRange[] = {"limits"};
constexpr std::string_view kShortCustomResourceDefinition[] = {"crd", "crds"};
constexpr std::string_view kShortDaemonSet[] = {"ds"};
constexpr std::string_view kShortDeployment[] = {"deploy"};
constexpr std::string_view kShortReplicaSet[] = {"rs"};
constexpr std::string_view kShortStatefulSet[] = {"sts"};
constexpr std::string_view kShortHorizontalPodAutoscaler[] = {"hpa"};
constexpr std::string_view kShortCronJob[] = {"cj"};
constexpr std::string_view kShortIngress[] = {"ing"};
constexpr std::string_view kShortNetworkPolicy[] = {"netpol"};
constexpr std::string_view kShortPodDisruptionBudget[] = {"pdb"};
constexpr std::string_view kShortPriorityClass[] = {"pc"};
constexpr std::string_view kShortStorageClass[] = {"sc"};

// Sorted by group, then kind, as discovery lists them (the core group first).
const ResourceType kTypes[] = {
    {"", "v1", "v1", "Namespace", "namespaces", "namespace", false, kShortNamespace, {}, kNoDeleteCollection, true, false, false},
    {"", "v1", "v1", "ConfigMap", "configmaps", "configmap", true, kShortConfigMap, {}, kAllVerbs, false, false, false},
    {"", "v1", "v1", "Secret", "secrets", "secret", true, {}, {}, kAllVerbs, false, false, false},
    {"", "v1", "v1", "Service", "services", "service", true, kShortService, kAll, kAllVerbs, true, false, false},
    {"", "v1", "v1", "ServiceAccount", "serviceaccounts", "serviceaccount", true, kShortServiceAccount, {}, kAllVerbs, false, false, false},
    {"", "v1", "v1", "Pod", "pods", "pod", true, kShortPod, kAll, kAllVerbs, true, false, false},
    {"", "v1", "v1", "ReplicationController", "replicationcontrollers", "replicationcontroller", true, kShortReplicationController, kAll, kAllVerbs, true, true, true},
    {"", "v1", "v1", "Event", "events", "event", true, kShortEvent, {}, kAllVerbs, false, false, false},
    {"", "v1", "v1", "Endpoints", "endpoints", "endpoints", true, kShortEndpoints, {}, kAllVerbs, false, false, false},
    {"", "v1", "v1", "Node", "nodes", "node", false, kShortNode, {}, kAllVerbs, true, false, false},
    {"", "v1", "v1", "PersistentVolume", "persistentvolumes", "persistentvolume", false, kShortPersistentVolume, {}, kAllVerbs, true, false, false},
    {"", "v1", "v1", "PersistentVolumeClaim", "persistentvolumeclaims", "persistentvolumeclaim", true, kShortPersistentVolumeClaim, {}, kAllVerbs, true, false, false},
    {"", "v1", "v1", "ResourceQuota", "resourcequotas", "resourcequota", true, kShortResourceQuota, {}, kAllVerbs, true, false, false},
    {"", "v1", "v1", "LimitRange", "limitranges", "limitrange", true, kShortLimitRange, {}, kAllVerbs, false, false, false},
    {"admissionregistration.k8s.io", "v1", "admissionregistration.k8s.io/v1", "MutatingWebhookConfiguration", "mutatingwebhookconfigurations", "mutatingwebhookconfiguration", false, {}, kApiExtensions, kAllVerbs, false, false, true},
    {"admissionregistration.k8s.io", "v1", "admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration", "validatingwebhookconfigurations", "validatingwebhookconfiguration", false, {}, kApiExtensions, kAllVerbs, false, false, true},
    {"apiextensions.k8s.io", "v1", "apiextensions.k8s.io/v1", "CustomResourceDefinition", "customresourcedefinitions", "customresourcedefinition", false, kShortCustomResourceDefinition, kApiExtensions, kAllVerbs, true, false, true},
    {"apps", "v1", "apps/v1", "ControllerRevision", "controllerrevisions", "controllerrevision", true, {}, {}, kAllVerbs, false, false, false},
    {"apps", "v1", "apps/v1", "DaemonSet", "daemonsets", "daemonset", true, kShortDaemonSet, kAll, kAllVerbs, true, false, true},
    {"apps", "v1", "apps/v1", "Deployment", "deployments", "deployment", true, kShortDeployment, kAll, kAllVerbs, true, true, true},
    {"apps", "v1", "apps/v1", "ReplicaSet", "replicasets", "replicaset", true, kShortReplicaSet, kAll, kAllVerbs, true, true, true},
    {"apps", "v1", "apps/v1", "StatefulSet", "statefulsets", "statefulset", true, kShortStatefulSet, kAll, kAllVerbs, true, true, true},
    {"autoscaling", "v2", "autoscaling/v2", "HorizontalPodAutoscaler", "horizontalpodautoscalers", "horizontalpodautoscaler", true, kShortHorizontalPodAutoscaler, kAll, kAllVerbs, true, false, true},
    {"batch", "v1", "batch/v1", "CronJob", "cronjobs", "cronjob", true, kShortCronJob, kAll, kAllVerbs, true, false, true},
    {"batch", "v1", "batch/v1", "Job", "jobs", "job", true, {}, kAll, kAllVerbs, true, false, true},
    {"coordination.k8s.io", "v1", "coordination.k8s.io/v1", "Lease", "leases", "lease", true, {}, {}, kAllVerbs, false, false, false},
    {"discovery.k8s.io", "v1", "discovery.k8s.io/v1", "EndpointSlice", "endpointslices", "endpointslice", true, {}, {}, kAllVerbs, false, false, false},
    {"networking.k8s.io", "v1", "networking.k8s.io/v1", "IngressClass", "ingressclasses", "ingressclass", false, {}, {}, kAllVerbs, false, false, true},
    {"networking.k8s.io", "v1", "networking.k8s.io/v1", "Ingress", "ingresses", "ingress", true, kShortIngress, {}, kAllVerbs, true, false, true},
    {"networking.k8s.io", "v1", "networking.k8s.io/v1", "NetworkPolicy", "networkpolicies", "networkpolicy", true, kShortNetworkPolicy, {}, kAllVerbs, false, false, true},
    {"policy", "v1", "policy/v1", "PodDisruptionBudget", "poddisruptionbudgets", "poddisruptionbudget", true, kShortPodDisruptionBudget, {}, kAllVerbs, true, false, true},
    {"rbac.authorization.k8s.io", "v1", "rbac.authorization.k8s.io/v1", "ClusterRoleBinding", "clusterrolebindings", "clusterrolebinding", false, {}, {}, kAllVerbs, false, false, false},
    {"rbac.authorization.k8s.io", "v1", "rbac.authorization.k8s.io/v1", "ClusterRole", "clusterroles", "clusterrole", false, {}, {}, kAllVerbs, false, false, false},
    {"rbac.authorization.k8s.io", "v1", "rbac.authorization.k8s.io/v1", "RoleBinding", "rolebindings", "rolebinding", true, {}, {}, kAllVerbs, false, false, false},
    {"rbac.authorization.k8s.io", "v1", "rbac.authorization.k8s.io/v1", "Role", "roles", "role", true, {}, {}, kAllVerbs, false, false, false},
    {"scheduling.k8s.io", "v1", "scheduling.k8s.io/v1", "PriorityClass", "priorityclasses", "priorityclass", false, kShortPriorityClass, {}, kAllVerbs, false, false, false},
    {"storage.k8s.io", "v1", "storage.k8s.io/v1", "StorageClass", "storageclasses", "storageclass", false, kShortStorageClass, {}, kAllVerbs, false, false, false},
};

}  // namespace

std::span<const ResourceType> BuiltinResourceTypes() { return kTypes; }

const ResourceType* FindBuiltinResource(std::string_view group, std::string_view version,
                                        std::string_view resource) {
  for (const ResourceType& t : kTypes) {
    if (t.group == group && t.version == version && t.resource == resource) return &t;
  }
  return nullptr;
}

const ResourceType* FindBuiltinKind(std::string_view group, std::string_view version,
                                    std::string_view kind) {
  for (const ResourceType& t : kTypes) {
    if (t.group == group && t.version == version && t.kind == kind) return &t;
  }
  return nullptr;
}

}  // namespace kstack::machinery
