#include "machinery/internal/protobuf_types.h"

#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>

namespace kstack::machinery::protobuf {
namespace {

// The kinds kstack decodes from protobuf: what kubectl's generator commands send (create
// namespace|configmap|secret|serviceaccount|service|deployment|job|cronjob|role|clusterrole|
// rolebinding|clusterrolebinding|ingress|poddisruptionbudget|priorityclass|quota), and Pod for
// `kubectl run` (kubectl 1.32 sends run's and expose's objects as JSON, other clients may not).
// The message of each kind has the kind's name.
struct Kind {
  std::string_view api_version;
  std::string_view kind;
};
constexpr Kind kKinds[] = {
    {"v1", "Namespace"},
    {"v1", "ConfigMap"},
    {"v1", "Secret"},
    {"v1", "ServiceAccount"},
    {"v1", "Service"},
    {"v1", "Pod"},
    {"v1", "ResourceQuota"},
    {"apps/v1", "Deployment"},
    {"batch/v1", "Job"},
    {"batch/v1", "CronJob"},
    {"networking.k8s.io/v1", "Ingress"},
    {"policy/v1", "PodDisruptionBudget"},
    {"rbac.authorization.k8s.io/v1", "Role"},
    {"rbac.authorization.k8s.io/v1", "ClusterRole"},
    {"rbac.authorization.k8s.io/v1", "RoleBinding"},
    {"rbac.authorization.k8s.io/v1", "ClusterRoleBinding"},
    {"scheduling.k8s.io/v1", "PriorityClass"},
};

// Every message reachable from the kinds above (Kubernetes 1.32). `Name:` starts a message;
// its fields follow, separated by commas, in Go struct order: `number jsonName [type]`. The
// numbers are those of Kubernetes' generated.proto files; names and types follow its Go types.
//   type      str (the default), bool, int32, int64, double, bytes, Time, MicroTime, Quantity,
//             IntOrString, RawExtension, FieldsV1, or a message of this table;
//             *T a Go pointer, []T a list, map[T] a map with string keys.
//   jsonName  `-` embeds the message inline (Go's `json:",inline"`); a trailing `!` marks a
//             field without omitempty, which JSON always holds (zero, or null for lists, maps
//             and pointers).
// Lines starting with # are comments.
constexpr std::string_view kTable = R"(
# meta/v1 (k8s.io/apimachinery)
ObjectMeta: 1 name, 2 generateName, 3 namespace, 4 selfLink, 5 uid, 6 resourceVersion,
  7 generation int64, 8 creationTimestamp Time, 9 deletionTimestamp *Time,
  10 deletionGracePeriodSeconds *int64, 11 labels map[str], 12 annotations map[str],
  13 ownerReferences []OwnerReference, 14 finalizers []str, 17 managedFields []ManagedFieldsEntry
OwnerReference: 5 apiVersion!, 1 kind!, 3 name!, 4 uid!, 6 controller *bool,
  7 blockOwnerDeletion *bool
ManagedFieldsEntry: 1 manager, 2 operation, 3 apiVersion, 4 time *Time, 6 fieldsType,
  7 fieldsV1 *FieldsV1, 8 subresource
Condition: 1 type!, 2 status!, 3 observedGeneration int64, 4 lastTransitionTime! Time, 5 reason!,
  6 message!
LabelSelector: 1 matchLabels map[str], 2 matchExpressions []LabelSelectorRequirement
LabelSelectorRequirement: 1 key!, 2 operator!, 3 values []str
# core/v1
Namespace: 1 metadata ObjectMeta, 2 spec NamespaceSpec, 3 status NamespaceStatus
ConfigMap: 1 metadata ObjectMeta, 4 immutable *bool, 2 data map[str], 3 binaryData map[bytes]
Secret: 1 metadata ObjectMeta, 5 immutable *bool, 2 data map[bytes], 4 stringData map[str], 3 type
ServiceAccount: 1 metadata ObjectMeta, 2 secrets []ObjectReference,
  3 imagePullSecrets []LocalObjectReference, 4 automountServiceAccountToken *bool
Service: 1 metadata ObjectMeta, 2 spec ServiceSpec, 3 status ServiceStatus
Pod: 1 metadata ObjectMeta, 2 spec PodSpec, 3 status PodStatus
ResourceQuota: 1 metadata ObjectMeta, 2 spec ResourceQuotaSpec, 3 status ResourceQuotaStatus
NamespaceSpec: 1 finalizers []str
NamespaceStatus: 1 phase, 2 conditions []NamespaceCondition
ObjectReference: 1 kind, 2 namespace, 3 name, 4 uid, 5 apiVersion, 6 resourceVersion, 7 fieldPath
LocalObjectReference: 1 name
ServiceSpec: 1 ports []ServicePort, 2 selector map[str], 3 clusterIP, 18 clusterIPs []str, 4 type,
  5 externalIPs []str, 7 sessionAffinity, 8 loadBalancerIP, 9 loadBalancerSourceRanges []str,
  10 externalName, 11 externalTrafficPolicy, 12 healthCheckNodePort int32,
  13 publishNotReadyAddresses bool, 14 sessionAffinityConfig *SessionAffinityConfig,
  19 ipFamilies []str, 17 ipFamilyPolicy *str, 20 allocateLoadBalancerNodePorts *bool,
  21 loadBalancerClass *str, 22 internalTrafficPolicy *str, 23 trafficDistribution *str
ServiceStatus: 1 loadBalancer LoadBalancerStatus, 2 conditions []Condition
PodSpec: 1 volumes []Volume, 20 initContainers []Container, 2 containers! []Container,
  34 ephemeralContainers []EphemeralContainer, 3 restartPolicy,
  4 terminationGracePeriodSeconds *int64, 5 activeDeadlineSeconds *int64, 6 dnsPolicy,
  7 nodeSelector map[str], 8 serviceAccountName, 9 serviceAccount,
  21 automountServiceAccountToken *bool, 10 nodeName, 11 hostNetwork bool, 12 hostPID bool,
  13 hostIPC bool, 27 shareProcessNamespace *bool, 14 securityContext *PodSecurityContext,
  15 imagePullSecrets []LocalObjectReference, 16 hostname, 17 subdomain, 18 affinity *Affinity,
  19 schedulerName, 22 tolerations []Toleration, 23 hostAliases []HostAlias, 24 priorityClassName,
  25 priority *int32, 26 dnsConfig *PodDNSConfig, 28 readinessGates []PodReadinessGate,
  29 runtimeClassName *str, 30 enableServiceLinks *bool, 31 preemptionPolicy *str,
  32 overhead map[Quantity], 33 topologySpreadConstraints []TopologySpreadConstraint,
  35 setHostnameAsFQDN *bool, 36 os *PodOS, 37 hostUsers *bool,
  38 schedulingGates []PodSchedulingGate, 39 resourceClaims []PodResourceClaim,
  40 resources *ResourceRequirements
PodStatus: 1 phase, 2 conditions []PodCondition, 3 message, 4 reason, 11 nominatedNodeName,
  5 hostIP, 16 hostIPs []HostIP, 6 podIP, 12 podIPs []PodIP, 7 startTime *Time,
  10 initContainerStatuses []ContainerStatus, 8 containerStatuses []ContainerStatus, 9 qosClass,
  13 ephemeralContainerStatuses []ContainerStatus, 14 resize,
  15 resourceClaimStatuses []PodResourceClaimStatus
ResourceQuotaSpec: 1 hard map[Quantity], 2 scopes []str, 3 scopeSelector *ScopeSelector
ResourceQuotaStatus: 1 hard map[Quantity], 2 used map[Quantity]
NamespaceCondition: 1 type!, 2 status!, 4 lastTransitionTime Time, 5 reason, 6 message
ServicePort: 1 name, 2 protocol, 6 appProtocol *str, 3 port! int32, 4 targetPort IntOrString,
  5 nodePort int32
SessionAffinityConfig: 1 clientIP *ClientIPConfig
LoadBalancerStatus: 1 ingress []LoadBalancerIngress
Volume: 1 name!, 2 - VolumeSource
Container: 1 name!, 2 image, 3 command []str, 4 args []str, 5 workingDir, 6 ports []ContainerPort,
  19 envFrom []EnvFromSource, 7 env []EnvVar, 8 resources ResourceRequirements,
  23 resizePolicy []ContainerResizePolicy, 24 restartPolicy *str, 9 volumeMounts []VolumeMount,
  21 volumeDevices []VolumeDevice, 10 livenessProbe *Probe, 11 readinessProbe *Probe,
  22 startupProbe *Probe, 12 lifecycle *Lifecycle, 13 terminationMessagePath,
  20 terminationMessagePolicy, 14 imagePullPolicy, 15 securityContext *SecurityContext,
  16 stdin bool, 17 stdinOnce bool, 18 tty bool
EphemeralContainer: 1 - EphemeralContainerCommon, 2 targetContainerName
PodSecurityContext: 1 seLinuxOptions *SELinuxOptions,
  8 windowsOptions *WindowsSecurityContextOptions, 2 runAsUser *int64, 6 runAsGroup *int64,
  3 runAsNonRoot *bool, 4 supplementalGroups []int64, 12 supplementalGroupsPolicy *str,
  5 fsGroup *int64, 7 sysctls []Sysctl, 9 fsGroupChangePolicy *str,
  10 seccompProfile *SeccompProfile, 11 appArmorProfile *AppArmorProfile,
  13 seLinuxChangePolicy *str
Affinity: 1 nodeAffinity *NodeAffinity, 2 podAffinity *PodAffinity,
  3 podAntiAffinity *PodAntiAffinity
Toleration: 1 key, 2 operator, 3 value, 4 effect, 5 tolerationSeconds *int64
HostAlias: 1 ip!, 2 hostnames []str
PodDNSConfig: 1 nameservers []str, 2 searches []str, 3 options []PodDNSConfigOption
PodReadinessGate: 1 conditionType!
TopologySpreadConstraint: 1 maxSkew! int32, 2 topologyKey!, 3 whenUnsatisfiable!,
  4 labelSelector *LabelSelector, 5 minDomains *int32, 6 nodeAffinityPolicy *str,
  7 nodeTaintsPolicy *str, 8 matchLabelKeys []str
PodOS: 1 name!
PodSchedulingGate: 1 name!
PodResourceClaim: 1 name!, 3 resourceClaimName *str, 4 resourceClaimTemplateName *str
ResourceRequirements: 1 limits map[Quantity], 2 requests map[Quantity], 3 claims []ResourceClaim
PodCondition: 1 type!, 2 status!, 3 lastProbeTime Time, 4 lastTransitionTime Time, 5 reason,
  6 message
HostIP: 1 ip!
PodIP: 1 ip!
ContainerStatus: 1 name!, 2 state ContainerState, 3 lastState ContainerState, 4 ready! bool,
  5 restartCount! int32, 6 image!, 7 imageID!, 8 containerID, 9 started *bool,
  10 allocatedResources map[Quantity], 11 resources *ResourceRequirements,
  12 volumeMounts []VolumeMountStatus, 13 user *ContainerUser,
  14 allocatedResourcesStatus []ResourceStatus
PodResourceClaimStatus: 1 name!, 2 resourceClaimName *str
ScopeSelector: 1 matchExpressions []ScopedResourceSelectorRequirement
PodTemplateSpec: 1 metadata ObjectMeta, 2 spec PodSpec
ClientIPConfig: 1 timeoutSeconds *int32
LoadBalancerIngress: 1 ip, 2 hostname, 3 ipMode *str, 4 ports []PortStatus
VolumeSource: 1 hostPath *HostPathVolumeSource, 2 emptyDir *EmptyDirVolumeSource,
  3 gcePersistentDisk *GCEPersistentDiskVolumeSource,
  4 awsElasticBlockStore *AWSElasticBlockStoreVolumeSource, 5 gitRepo *GitRepoVolumeSource,
  6 secret *SecretVolumeSource, 7 nfs *NFSVolumeSource, 8 iscsi *ISCSIVolumeSource,
  9 glusterfs *GlusterfsVolumeSource, 10 persistentVolumeClaim *PersistentVolumeClaimVolumeSource,
  11 rbd *RBDVolumeSource, 12 flexVolume *FlexVolumeSource, 13 cinder *CinderVolumeSource,
  14 cephfs *CephFSVolumeSource, 15 flocker *FlockerVolumeSource,
  16 downwardAPI *DownwardAPIVolumeSource, 17 fc *FCVolumeSource,
  18 azureFile *AzureFileVolumeSource, 19 configMap *ConfigMapVolumeSource,
  20 vsphereVolume *VsphereVirtualDiskVolumeSource, 21 quobyte *QuobyteVolumeSource,
  22 azureDisk *AzureDiskVolumeSource, 23 photonPersistentDisk *PhotonPersistentDiskVolumeSource,
  26 projected *ProjectedVolumeSource, 24 portworxVolume *PortworxVolumeSource,
  25 scaleIO *ScaleIOVolumeSource, 27 storageos *StorageOSVolumeSource, 28 csi *CSIVolumeSource,
  29 ephemeral *EphemeralVolumeSource, 30 image *ImageVolumeSource
ContainerPort: 1 name, 2 hostPort int32, 3 containerPort! int32, 4 protocol, 5 hostIP
EnvFromSource: 1 prefix, 2 configMapRef *ConfigMapEnvSource, 3 secretRef *SecretEnvSource
EnvVar: 1 name!, 2 value, 3 valueFrom *EnvVarSource
ContainerResizePolicy: 1 resourceName!, 2 restartPolicy!
VolumeMount: 1 name!, 2 readOnly bool, 7 recursiveReadOnly *str, 3 mountPath!, 4 subPath,
  5 mountPropagation *str, 6 subPathExpr
VolumeDevice: 1 name!, 2 devicePath!
Probe: 1 - ProbeHandler, 2 initialDelaySeconds int32, 3 timeoutSeconds int32,
  4 periodSeconds int32, 5 successThreshold int32, 6 failureThreshold int32,
  7 terminationGracePeriodSeconds *int64
Lifecycle: 1 postStart *LifecycleHandler, 2 preStop *LifecycleHandler
SecurityContext: 1 capabilities *Capabilities, 2 privileged *bool,
  3 seLinuxOptions *SELinuxOptions, 10 windowsOptions *WindowsSecurityContextOptions,
  4 runAsUser *int64, 8 runAsGroup *int64, 5 runAsNonRoot *bool, 6 readOnlyRootFilesystem *bool,
  7 allowPrivilegeEscalation *bool, 9 procMount *str, 11 seccompProfile *SeccompProfile,
  12 appArmorProfile *AppArmorProfile
EphemeralContainerCommon: 1 name!, 2 image, 3 command []str, 4 args []str, 5 workingDir,
  6 ports []ContainerPort, 19 envFrom []EnvFromSource, 7 env []EnvVar,
  8 resources ResourceRequirements, 23 resizePolicy []ContainerResizePolicy,
  24 restartPolicy *str, 9 volumeMounts []VolumeMount, 21 volumeDevices []VolumeDevice,
  10 livenessProbe *Probe, 11 readinessProbe *Probe, 22 startupProbe *Probe,
  12 lifecycle *Lifecycle, 13 terminationMessagePath, 20 terminationMessagePolicy,
  14 imagePullPolicy, 15 securityContext *SecurityContext, 16 stdin bool, 17 stdinOnce bool,
  18 tty bool
SELinuxOptions: 1 user, 2 role, 3 type, 4 level
WindowsSecurityContextOptions: 1 gmsaCredentialSpecName *str, 2 gmsaCredentialSpec *str,
  3 runAsUserName *str, 4 hostProcess *bool
Sysctl: 1 name!, 2 value!
SeccompProfile: 1 type!, 2 localhostProfile *str
AppArmorProfile: 1 type!, 2 localhostProfile *str
NodeAffinity: 1 requiredDuringSchedulingIgnoredDuringExecution *NodeSelector,
  2 preferredDuringSchedulingIgnoredDuringExecution []PreferredSchedulingTerm
PodAffinity: 1 requiredDuringSchedulingIgnoredDuringExecution []PodAffinityTerm,
  2 preferredDuringSchedulingIgnoredDuringExecution []WeightedPodAffinityTerm
PodAntiAffinity: 1 requiredDuringSchedulingIgnoredDuringExecution []PodAffinityTerm,
  2 preferredDuringSchedulingIgnoredDuringExecution []WeightedPodAffinityTerm
PodDNSConfigOption: 1 name, 2 value *str
ResourceClaim: 1 name!, 2 request
ContainerState: 1 waiting *ContainerStateWaiting, 2 running *ContainerStateRunning,
  3 terminated *ContainerStateTerminated
VolumeMountStatus: 1 name!, 2 mountPath!, 3 readOnly bool, 4 recursiveReadOnly *str
ContainerUser: 1 linux *LinuxContainerUser
ResourceStatus: 1 name!, 2 resources []ResourceHealth
ScopedResourceSelectorRequirement: 1 scopeName!, 2 operator!, 3 values []str
TypedLocalObjectReference: 1 apiGroup! *str, 2 kind!, 3 name!
PortStatus: 1 port! int32, 2 protocol!, 3 error *str
HostPathVolumeSource: 1 path!, 2 type *str
EmptyDirVolumeSource: 1 medium, 2 sizeLimit *Quantity
GCEPersistentDiskVolumeSource: 1 pdName!, 2 fsType, 3 partition int32, 4 readOnly bool
AWSElasticBlockStoreVolumeSource: 1 volumeID!, 2 fsType, 3 partition int32, 4 readOnly bool
GitRepoVolumeSource: 1 repository!, 2 revision, 3 directory
SecretVolumeSource: 1 secretName, 2 items []KeyToPath, 3 defaultMode *int32, 4 optional *bool
NFSVolumeSource: 1 server!, 2 path!, 3 readOnly bool
ISCSIVolumeSource: 1 targetPortal!, 2 iqn!, 3 lun! int32, 4 iscsiInterface, 5 fsType,
  6 readOnly bool, 7 portals []str, 8 chapAuthDiscovery bool, 11 chapAuthSession bool,
  10 secretRef *LocalObjectReference, 12 initiatorName *str
GlusterfsVolumeSource: 1 endpoints!, 2 path!, 3 readOnly bool
PersistentVolumeClaimVolumeSource: 1 claimName!, 2 readOnly bool
RBDVolumeSource: 1 monitors! []str, 2 image!, 3 fsType, 4 pool, 5 user, 6 keyring,
  7 secretRef *LocalObjectReference, 8 readOnly bool
FlexVolumeSource: 1 driver!, 2 fsType, 3 secretRef *LocalObjectReference, 4 readOnly bool,
  5 options map[str]
CinderVolumeSource: 1 volumeID!, 2 fsType, 3 readOnly bool, 4 secretRef *LocalObjectReference
CephFSVolumeSource: 1 monitors! []str, 2 path, 3 user, 4 secretFile,
  5 secretRef *LocalObjectReference, 6 readOnly bool
FlockerVolumeSource: 1 datasetName, 2 datasetUUID
DownwardAPIVolumeSource: 1 items []DownwardAPIVolumeFile, 2 defaultMode *int32
FCVolumeSource: 1 targetWWNs []str, 2 lun *int32, 3 fsType, 4 readOnly bool, 5 wwids []str
AzureFileVolumeSource: 1 secretName!, 2 shareName!, 3 readOnly bool
ConfigMapVolumeSource: 1 - LocalObjectReference, 2 items []KeyToPath, 3 defaultMode *int32,
  4 optional *bool
VsphereVirtualDiskVolumeSource: 1 volumePath!, 2 fsType, 3 storagePolicyName, 4 storagePolicyID
QuobyteVolumeSource: 1 registry!, 2 volume!, 3 readOnly bool, 4 user, 5 group, 6 tenant
AzureDiskVolumeSource: 1 diskName!, 2 diskURI!, 3 cachingMode *str, 4 fsType *str,
  5 readOnly *bool, 6 kind *str
PhotonPersistentDiskVolumeSource: 1 pdID!, 2 fsType
ProjectedVolumeSource: 1 sources! []VolumeProjection, 2 defaultMode *int32
PortworxVolumeSource: 1 volumeID!, 2 fsType, 3 readOnly bool
ScaleIOVolumeSource: 1 gateway!, 2 system!, 3 secretRef! *LocalObjectReference, 4 sslEnabled bool,
  5 protectionDomain, 6 storagePool, 7 storageMode, 8 volumeName, 9 fsType, 10 readOnly bool
StorageOSVolumeSource: 1 volumeName, 2 volumeNamespace, 3 fsType, 4 readOnly bool,
  5 secretRef *LocalObjectReference
CSIVolumeSource: 1 driver!, 2 readOnly *bool, 3 fsType *str, 4 volumeAttributes map[str],
  5 nodePublishSecretRef *LocalObjectReference
EphemeralVolumeSource: 1 volumeClaimTemplate *PersistentVolumeClaimTemplate
ImageVolumeSource: 1 reference, 2 pullPolicy
ConfigMapEnvSource: 1 - LocalObjectReference, 2 optional *bool
SecretEnvSource: 1 - LocalObjectReference, 2 optional *bool
EnvVarSource: 1 fieldRef *ObjectFieldSelector, 2 resourceFieldRef *ResourceFieldSelector,
  3 configMapKeyRef *ConfigMapKeySelector, 4 secretKeyRef *SecretKeySelector
ProbeHandler: 1 exec *ExecAction, 2 httpGet *HTTPGetAction, 3 tcpSocket *TCPSocketAction,
  4 grpc *GRPCAction
LifecycleHandler: 1 exec *ExecAction, 2 httpGet *HTTPGetAction, 3 tcpSocket *TCPSocketAction,
  4 sleep *SleepAction
Capabilities: 1 add []str, 2 drop []str
NodeSelector: 1 nodeSelectorTerms! []NodeSelectorTerm
PreferredSchedulingTerm: 1 weight! int32, 2 preference! NodeSelectorTerm
PodAffinityTerm: 1 labelSelector *LabelSelector, 2 namespaces []str, 3 topologyKey!,
  4 namespaceSelector *LabelSelector, 5 matchLabelKeys []str, 6 mismatchLabelKeys []str
WeightedPodAffinityTerm: 1 weight! int32, 2 podAffinityTerm! PodAffinityTerm
ContainerStateWaiting: 1 reason, 2 message
ContainerStateRunning: 1 startedAt Time
ContainerStateTerminated: 1 exitCode! int32, 2 signal int32, 3 reason, 4 message,
  5 startedAt Time, 6 finishedAt Time, 7 containerID
LinuxContainerUser: 1 uid! int64, 2 gid! int64, 3 supplementalGroups []int64
ResourceHealth: 1 resourceID!, 2 health
KeyToPath: 1 key!, 2 path!, 3 mode *int32
DownwardAPIVolumeFile: 1 path!, 2 fieldRef *ObjectFieldSelector,
  3 resourceFieldRef *ResourceFieldSelector, 4 mode *int32
VolumeProjection: 1 secret *SecretProjection, 2 downwardAPI *DownwardAPIProjection,
  3 configMap *ConfigMapProjection, 4 serviceAccountToken *ServiceAccountTokenProjection,
  5 clusterTrustBundle *ClusterTrustBundleProjection
PersistentVolumeClaimTemplate: 1 metadata ObjectMeta, 2 spec! PersistentVolumeClaimSpec
ObjectFieldSelector: 1 apiVersion, 2 fieldPath!
ResourceFieldSelector: 1 containerName, 2 resource!, 3 divisor Quantity
ConfigMapKeySelector: 1 - LocalObjectReference, 2 key!, 3 optional *bool
SecretKeySelector: 1 - LocalObjectReference, 2 key!, 3 optional *bool
ExecAction: 1 command []str
HTTPGetAction: 1 path, 2 port! IntOrString, 3 host, 4 scheme, 5 httpHeaders []HTTPHeader
TCPSocketAction: 1 port! IntOrString, 2 host
GRPCAction: 1 port! int32, 2 service! *str
SleepAction: 1 seconds! int64
NodeSelectorTerm: 1 matchExpressions []NodeSelectorRequirement,
  2 matchFields []NodeSelectorRequirement
SecretProjection: 1 - LocalObjectReference, 2 items []KeyToPath, 4 optional *bool
DownwardAPIProjection: 1 items []DownwardAPIVolumeFile
ConfigMapProjection: 1 - LocalObjectReference, 2 items []KeyToPath, 4 optional *bool
ServiceAccountTokenProjection: 1 audience, 2 expirationSeconds *int64, 3 path!
ClusterTrustBundleProjection: 1 name *str, 2 signerName *str, 3 labelSelector *LabelSelector,
  5 optional *bool, 4 path!
PersistentVolumeClaimSpec: 1 accessModes []str, 4 selector *LabelSelector,
  2 resources VolumeResourceRequirements, 3 volumeName, 5 storageClassName *str,
  6 volumeMode *str, 7 dataSource *TypedLocalObjectReference,
  8 dataSourceRef *TypedObjectReference, 9 volumeAttributesClassName *str
HTTPHeader: 1 name!, 2 value!
NodeSelectorRequirement: 1 key!, 2 operator!, 3 values []str
VolumeResourceRequirements: 1 limits map[Quantity], 2 requests map[Quantity]
TypedObjectReference: 1 apiGroup! *str, 2 kind!, 3 name!, 4 namespace *str
# apps/v1
Deployment: 1 metadata ObjectMeta, 2 spec DeploymentSpec, 3 status DeploymentStatus
DeploymentSpec: 1 replicas *int32, 2 selector! *LabelSelector, 3 template! PodTemplateSpec,
  4 strategy DeploymentStrategy, 5 minReadySeconds int32, 6 revisionHistoryLimit *int32,
  7 paused bool, 9 progressDeadlineSeconds *int32
DeploymentStatus: 1 observedGeneration int64, 2 replicas int32, 3 updatedReplicas int32,
  7 readyReplicas int32, 4 availableReplicas int32, 5 unavailableReplicas int32,
  6 conditions []DeploymentCondition, 8 collisionCount *int32
DeploymentStrategy: 1 type, 2 rollingUpdate *RollingUpdateDeployment
DeploymentCondition: 1 type!, 2 status!, 6 lastUpdateTime Time, 7 lastTransitionTime Time,
  4 reason, 5 message
RollingUpdateDeployment: 1 maxUnavailable *IntOrString, 2 maxSurge *IntOrString
# batch/v1
Job: 1 metadata ObjectMeta, 2 spec JobSpec, 3 status JobStatus
CronJob: 1 metadata ObjectMeta, 2 spec CronJobSpec, 3 status CronJobStatus
JobSpec: 1 parallelism *int32, 2 completions *int32, 3 activeDeadlineSeconds *int64,
  11 podFailurePolicy *PodFailurePolicy, 16 successPolicy *SuccessPolicy, 7 backoffLimit *int32,
  12 backoffLimitPerIndex *int32, 13 maxFailedIndexes *int32, 4 selector *LabelSelector,
  5 manualSelector *bool, 6 template! PodTemplateSpec, 8 ttlSecondsAfterFinished *int32,
  9 completionMode *str, 10 suspend *bool, 14 podReplacementPolicy *str, 15 managedBy *str
JobStatus: 1 conditions []JobCondition, 2 startTime *Time, 3 completionTime *Time, 4 active int32,
  5 succeeded int32, 6 failed int32, 11 terminating *int32, 7 completedIndexes,
  10 failedIndexes *str, 8 uncountedTerminatedPods *UncountedTerminatedPods, 9 ready *int32
CronJobSpec: 1 schedule!, 8 timeZone *str, 2 startingDeadlineSeconds *int64, 3 concurrencyPolicy,
  4 suspend *bool, 5 jobTemplate! JobTemplateSpec, 6 successfulJobsHistoryLimit *int32,
  7 failedJobsHistoryLimit *int32
CronJobStatus: 1 active []ObjectReference, 4 lastScheduleTime *Time, 5 lastSuccessfulTime *Time
PodFailurePolicy: 1 rules! []PodFailurePolicyRule
SuccessPolicy: 1 rules! []SuccessPolicyRule
JobCondition: 1 type!, 2 status!, 3 lastProbeTime Time, 4 lastTransitionTime Time, 5 reason,
  6 message
UncountedTerminatedPods: 1 succeeded []str, 2 failed []str
JobTemplateSpec: 1 metadata ObjectMeta, 2 spec JobSpec
PodFailurePolicyRule: 1 action!, 2 onExitCodes *PodFailurePolicyOnExitCodesRequirement,
  3 onPodConditions []PodFailurePolicyOnPodConditionsPattern
SuccessPolicyRule: 1 succeededIndexes *str, 2 succeededCount *int32
PodFailurePolicyOnExitCodesRequirement: 1 containerName *str, 2 operator!, 3 values! []int32
PodFailurePolicyOnPodConditionsPattern: 1 type!, 2 status!
# networking/v1
Ingress: 1 metadata ObjectMeta, 2 spec IngressSpec, 3 status IngressStatus
IngressSpec: 4 ingressClassName *str, 1 defaultBackend *IngressBackend, 2 tls []IngressTLS,
  3 rules []IngressRule
IngressStatus: 1 loadBalancer IngressLoadBalancerStatus
IngressBackend: 4 service *IngressServiceBackend, 3 resource *TypedLocalObjectReference
IngressTLS: 1 hosts []str, 2 secretName
IngressRule: 1 host, 2 - IngressRuleValue
IngressLoadBalancerStatus: 1 ingress []IngressLoadBalancerIngress
IngressServiceBackend: 1 name!, 2 port ServiceBackendPort
IngressRuleValue: 1 http *HTTPIngressRuleValue
IngressLoadBalancerIngress: 1 ip, 2 hostname, 4 ports []IngressPortStatus
ServiceBackendPort: 1 name, 2 number int32
HTTPIngressRuleValue: 1 paths! []HTTPIngressPath
IngressPortStatus: 1 port! int32, 2 protocol!, 3 error *str
HTTPIngressPath: 1 path, 3 pathType! *str, 2 backend! IngressBackend
# policy/v1
PodDisruptionBudget: 1 metadata ObjectMeta, 2 spec PodDisruptionBudgetSpec,
  3 status PodDisruptionBudgetStatus
PodDisruptionBudgetSpec: 1 minAvailable *IntOrString, 2 selector *LabelSelector,
  3 maxUnavailable *IntOrString, 4 unhealthyPodEvictionPolicy *str
PodDisruptionBudgetStatus: 1 observedGeneration int64, 2 disruptedPods map[Time],
  3 disruptionsAllowed! int32, 4 currentHealthy! int32, 5 desiredHealthy! int32,
  6 expectedPods! int32, 7 conditions []Condition
# rbac/v1
Role: 1 metadata ObjectMeta, 2 rules! []PolicyRule
ClusterRole: 1 metadata ObjectMeta, 2 rules! []PolicyRule, 3 aggregationRule *AggregationRule
RoleBinding: 1 metadata ObjectMeta, 2 subjects []Subject, 3 roleRef! RoleRef
ClusterRoleBinding: 1 metadata ObjectMeta, 2 subjects []Subject, 3 roleRef! RoleRef
PolicyRule: 1 verbs! []str, 2 apiGroups []str, 3 resources []str, 4 resourceNames []str,
  5 nonResourceURLs []str
AggregationRule: 1 clusterRoleSelectors []LabelSelector
Subject: 1 kind!, 2 apiGroup, 3 name!, 4 namespace
RoleRef: 1 apiGroup!, 2 kind!, 3 name!
# scheduling/v1
PriorityClass: 1 metadata ObjectMeta, 2 value! int32, 3 globalDefault bool, 4 description,
  5 preemptionPolicy *str
)";

[[noreturn]] void BadTable(std::string_view what, std::string_view where) {
  std::fprintf(stderr, "protobuf type table: %.*s at \"%.*s\"\n", static_cast<int>(what.size()),
               what.data(), static_cast<int>(where.size()), where.data());
  std::abort();
}

struct Table {
  std::string text;  // kTable without comments; the names below point into it
  std::vector<MessageType> messages;
  std::map<std::string_view, const MessageType*, std::less<>> by_name;
};

// One field from its words: number, JSON name and (optionally) type. A message type's name is
// returned in *message_name, to be resolved once every message is known.
FieldType ParseField(const std::vector<std::string_view>& words, std::string_view* message_name) {
  if (words.size() < 2 || words.size() > 3) BadTable("malformed field", words.at(0));
  FieldType f;
  for (char c : words[0]) {
    if (c < '0' || c > '9') BadTable("bad field number", words[0]);
    f.number = f.number * 10 + static_cast<uint32_t>(c - '0');
  }
  std::string_view name = words[1];
  if (name.back() == '!') {
    f.omitempty = false;
    name.remove_suffix(1);
  }
  f.json_name = name == "-" ? std::string_view() : name;
  std::string_view type = words.size() == 3 ? words[2] : "str";
  if (type.starts_with("*")) {
    f.pointer = true;
    type.remove_prefix(1);
  } else if (type.starts_with("[]")) {
    f.cardinality = Cardinality::kRepeated;
    type.remove_prefix(2);
  } else if (type.starts_with("map[") && type.ends_with("]")) {
    f.cardinality = Cardinality::kMap;
    type = type.substr(4, type.size() - 5);
  }
  static const std::map<std::string_view, FieldKind, std::less<>> kKindsByName = {
      {"str", FieldKind::kString},
      {"bool", FieldKind::kBool},
      {"int32", FieldKind::kInt32},
      {"int64", FieldKind::kInt64},
      {"double", FieldKind::kDouble},
      {"bytes", FieldKind::kBytes},
      {"Time", FieldKind::kTime},
      {"MicroTime", FieldKind::kMicroTime},
      {"Quantity", FieldKind::kQuantity},
      {"IntOrString", FieldKind::kIntOrString},
      {"RawExtension", FieldKind::kRawExtension},
      {"FieldsV1", FieldKind::kFieldsV1},
  };
  if (auto it = kKindsByName.find(type); it != kKindsByName.end()) {
    f.kind = it->second;
  } else {
    f.kind = FieldKind::kMessage;
    *message_name = type;
  }
  if (f.Inline() &&
      (f.kind != FieldKind::kMessage || f.cardinality != Cardinality::kSingle || f.pointer)) {
    BadTable("only a single message value can be inline", words[1]);
  }
  return f;
}

void ParseTable(Table* table) {
  std::string_view text = kTable;
  while (!text.empty()) {
    size_t eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text.remove_prefix(eol == std::string_view::npos ? text.size() : eol + 1);
    if (!line.starts_with("#")) table->text.append(line).push_back(' ');
  }
  // Words: "Name:" starts a message, a word ending in ',' ends a field.
  std::vector<std::vector<std::string_view>> references;  // per message, per field
  std::vector<std::string_view> words;
  auto end_field = [&] {
    if (words.empty()) return;
    if (table->messages.empty()) BadTable("a field before any message", words[0]);
    std::string_view ref;
    table->messages.back().fields.push_back(ParseField(words, &ref));
    references.back().push_back(ref);
    words.clear();
  };
  std::string_view rest = table->text;
  while (!rest.empty()) {
    size_t space = rest.find(' ');
    std::string_view word = rest.substr(0, space);
    rest.remove_prefix(space == std::string_view::npos ? rest.size() : space + 1);
    if (word.empty()) continue;
    if (word.ends_with(":")) {
      end_field();
      table->messages.push_back(MessageType{.name = word.substr(0, word.size() - 1)});
      references.emplace_back();
    } else if (word.ends_with(",")) {
      words.push_back(word.substr(0, word.size() - 1));
      end_field();
    } else {
      words.push_back(word);
    }
  }
  end_field();
  for (const MessageType& m : table->messages) {
    if (!table->by_name.emplace(m.name, &m).second) BadTable("duplicate message", m.name);
  }
  for (size_t i = 0; i < table->messages.size(); ++i) {
    MessageType& m = table->messages[i];
    for (size_t j = 0; j < m.fields.size(); ++j) {
      if (m.fields[j].kind != FieldKind::kMessage) continue;
      auto it = table->by_name.find(references[i][j]);
      if (it == table->by_name.end()) BadTable("unknown message", references[i][j]);
      m.fields[j].message = it->second;
    }
  }
  for (const Kind& k : kKinds) {
    if (!table->by_name.contains(k.kind)) BadTable("no message for kind", k.kind);
  }
}

// Parsed once, on first use; never freed (string_views into it are handed out).
const Table& TheTable() {
  static const Table* table = [] {
    auto* t = new Table;
    ParseTable(t);
    return t;
  }();
  return *table;
}

}  // namespace

const FieldType* MessageType::Find(uint32_t number) const {
  for (const FieldType& f : fields) {
    if (f.number == number) return &f;
  }
  return nullptr;
}

const MessageType* FindKindMessage(std::string_view api_version, std::string_view kind) {
  for (const Kind& k : kKinds) {
    if (k.api_version == api_version && k.kind == kind) return FindMessage(kind);
  }
  return nullptr;
}

const MessageType* FindMessage(std::string_view name) {
  const Table& table = TheTable();
  auto it = table.by_name.find(name);
  return it == table.by_name.end() ? nullptr : it->second;
}

std::vector<std::string_view> MessageNames() {
  std::vector<std::string_view> names;
  for (const MessageType& m : TheTable().messages) names.push_back(m.name);
  return names;
}

}  // namespace kstack::machinery::protobuf
