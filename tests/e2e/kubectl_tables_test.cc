// `kubectl get <type>` and `kubectl get <type> -o wide` for every built-in type, read by the real
// kubectl from the server's tables: the headers and the row of one object per type, as a
// Kubernetes 1.32 cluster prints them. Where a cluster's controllers would have filled in a
// status, the test writes it through the status subresource as they would.

#include <regex>

#include "core/clock.h"
#include "tests/e2e/server_fixture.h"

namespace kstack::e2e {
namespace {

using Cells = std::vector<std::string>;

// Cell placeholders: an age under two minutes, and an RFC 3339 time.
constexpr std::string_view kAge = "<age>";
constexpr std::string_view kTime = "<time>";

struct TableCase {
  std::string type;  // as given to kubectl get
  std::string name;  // the object whose row is checked
  Cells headers;
  Cells row;
  Cells wide_headers;  // empty: the same as without -o wide
  Cells wide_row;
};

// The start of each column: the header names are separated by three or more spaces, and
// kubectl aligns every row on them.
std::vector<size_t> ColumnStarts(const std::string& header) {
  std::vector<size_t> starts{0};
  for (size_t i = 2; i < header.size(); ++i) {
    if (header[i] != ' ' && header[i - 1] == ' ' && header[i - 2] == ' ') starts.push_back(i);
  }
  return starts;
}

std::string Trim(const std::string& s) {
  size_t begin = s.find_first_not_of(' ');
  if (begin == std::string::npos) return "";
  return s.substr(begin, s.find_last_not_of(' ') - begin + 1);
}

Cells Split(const std::string& line, const std::vector<size_t>& starts) {
  Cells cells;
  for (size_t i = 0; i < starts.size(); ++i) {
    size_t begin = starts[i];
    size_t end = i + 1 < starts.size() ? starts[i + 1] : std::string::npos;
    cells.push_back(begin < line.size() ? Trim(line.substr(begin, end - begin)) : "");
  }
  return cells;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// Replaces cells that match a placeholder's pattern by the placeholder.
Cells Normalize(Cells cells, const Cells& want) {
  static const std::regex kAgeText("[0-9]+s");
  static const std::regex kTimeText("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z");
  // Server-made uids read "<uid>" where the wanted cell says so.
  static const std::regex kUidText("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  for (size_t i = 0; i < cells.size() && i < want.size(); ++i) {
    if (want[i].find("<uid>") != std::string::npos) {
      cells[i] = std::regex_replace(cells[i], kUidText, "<uid>");
    }
    if (want[i] == kAge && std::regex_match(cells[i], kAgeText)) cells[i] = kAge;
    if (want[i] == kTime && std::regex_match(cells[i], kTimeText)) cells[i] = kTime;
  }
  return cells;
}

// A time `ago` before now, as a metav1.Time.
std::string TimeAgo(std::chrono::seconds ago) {
  return FormatRfc3339(std::chrono::system_clock::now() - ago);
}

class KubectlTablesTest : public ServerE2eTest {
 protected:
  void SetUp() override {
    ServerE2eTest::SetUp();
    StartServer();
  }

  std::string Ok(std::vector<std::string> args) {
    RunResult r = Kubectl(args);
    EXPECT_EQ(r.exit_code, 0) << "kubectl " << args[0] << " " << args[1] << ": " << r.err << "\n"
                              << ServerLog();
    return r.out;
  }

  void Create(const std::string& manifests) {
    fs::path file = root_ / "objects.yaml";
    WriteFile(file, manifests);
    Ok({"create", "-f", file.string()});
  }

  // Writes a status as the cluster's controllers would, through the status subresource.
  void PatchStatus(const std::string& type, const std::string& name, const std::string& status) {
    Ok({"patch", type, name, "--subresource=status", "--type=merge", "-p",
        R"({"status":)" + status + "}"});
  }

  // The headers and the object's row of `kubectl get <type> [-o wide]`; the first row when
  // `name` is empty.
  void ExpectTable(const std::string& type, const std::string& name, bool wide,
                   const Cells& headers, const Cells& row) {
    SCOPED_TRACE("kubectl get " + type + (wide ? " -o wide" : ""));
    std::vector<std::string> args{"get", type};
    if (wide) args.insert(args.end(), {"-o", "wide"});
    std::vector<std::string> lines = Lines(Ok(args));
    ASSERT_FALSE(lines.empty());
    std::vector<size_t> starts = ColumnStarts(lines[0]);
    EXPECT_EQ(Split(lines[0], starts), headers) << lines[0];
    for (size_t i = 1; i < lines.size(); ++i) {
      Cells cells = Split(lines[i], starts);
      if (!name.empty() && cells[0] != name) continue;
      EXPECT_EQ(Normalize(cells, row), row) << lines[0] << "\n" << lines[i];
      return;
    }
    ADD_FAILURE() << "no row of " << name << " in\n" << Join(lines);
  }

  void Check(const std::vector<TableCase>& cases) {
    for (const TableCase& c : cases) {
      ExpectTable(c.type, c.name, false, c.headers, c.row);
      ExpectTable(c.type, c.name, true, c.wide_headers.empty() ? c.headers : c.wide_headers,
                  c.wide_row.empty() ? c.row : c.wide_row);
    }
  }

  static std::string Join(const std::vector<std::string>& lines) {
    std::string out;
    for (const std::string& l : lines) out += l + "\n";
    return out;
  }
};

constexpr const char* kCoreObjects = R"(apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
data: {a: "1", b: "2"}
binaryData: {c: AA==}
---
apiVersion: v1
kind: Secret
metadata: {name: creds}
type: kubernetes.io/basic-auth
stringData: {username: admin, password: s3cret}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  type: NodePort
  clusterIP: 10.43.0.20
  selector: {tier: frontend, app: web}
  ports:
  - {name: http, port: 80, nodePort: 30080}
  - {name: dns, port: 53, protocol: UDP, nodePort: 30053}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: builder}
secrets: [{name: builder-token}]
---
apiVersion: v1
kind: Pod
metadata: {name: web-0}
spec:
  nodeName: node-1
  readinessGates: [{conditionType: example.com/lb-ready}]
  containers:
  - {name: web, image: "nginx:1.27"}
  - {name: log, image: "busybox:1.36"}
---
apiVersion: v1
kind: Endpoints
metadata: {name: external}
subsets:
- addresses: [{ip: 10.244.0.5}, {ip: 10.244.0.6}]
  ports: [{name: http, port: 8080}, {name: metrics, port: 9090}]
---
apiVersion: v1
kind: Node
metadata:
  name: node-1
  labels: {node-role.kubernetes.io/worker: "", node-role.kubernetes.io/control-plane: ""}
---
apiVersion: v1
kind: ResourceQuota
metadata: {name: quota}
spec:
  hard: {pods: "10", requests.cpu: "2", limits.memory: 4Gi}
---
apiVersion: v1
kind: LimitRange
metadata: {name: limits}
spec:
  limits:
  - type: Container
    default: {cpu: 500m}
)";

TEST_F(KubectlTablesTest, CoreTypes) {
  Create(kCoreObjects);
  // An event seen first 30 and last 20 minutes ago.
  Create(R"(apiVersion: v1
kind: Event
metadata: {name: web-0.1}
type: Warning
reason: BackOff
message: Back-off restarting failed container
involvedObject: {kind: Pod, name: web-0, namespace: default, fieldPath: "spec.containers{web}"}
source: {component: kubelet, host: node-1}
count: 5
firstTimestamp: ")" +
         TimeAgo(std::chrono::minutes(30)) +
         R"("
lastTimestamp: ")" +
         TimeAgo(std::chrono::minutes(20)) + "\"\n");
  std::string restarted = TimeAgo(std::chrono::hours(12));
  PatchStatus("pod", "web-0",
              R"({"phase":"Running","podIP":"10.244.0.5",
      "podIPs":[{"ip":"10.244.0.5"}],"conditions":[{"type":"Ready","status":"True"},
      {"type":"example.com/lb-ready","status":"True"}],"containerStatuses":[
      {"name":"web","image":"nginx:1.27","imageID":"","ready":true,"restartCount":3,
       "state":{"running":{"startedAt":")" +
                  restarted + R"("}},
       "lastState":{"terminated":{"exitCode":1,"reason":"Error","finishedAt":")" +
                  restarted + R"("}}},
      {"name":"log","image":"busybox:1.36","imageID":"","ready":true,"restartCount":0,
       "state":{"running":{}}}]})");
  PatchStatus("node", "node-1", R"j({"conditions":[{"type":"Ready","status":"True"}],
      "addresses":[{"type":"InternalIP","address":"192.168.49.2"},{"type":"Hostname",
      "address":"node-1"}],
      "nodeInfo":{"kubeletVersion":"v1.32.0","osImage":"Debian GNU/Linux 12 (bookworm)",
        "kernelVersion":"6.1.0-28-amd64","containerRuntimeVersion":"containerd://1.7.24",
        "kubeProxyVersion":"","operatingSystem":"linux","architecture":"amd64","machineID":"",
        "systemUUID":"","bootID":""}})j");
  PatchStatus("resourcequota", "quota", R"({"hard":{"pods":"10","requests.cpu":"2",
      "limits.memory":"4Gi"},"used":{"pods":"1","requests.cpu":"500m","limits.memory":"1024Mi"}})");

  Check({
      {"namespaces", "default", {"NAME", "STATUS", "AGE"}, {"default", "Active", "<age>"}},
      {"configmaps", "settings", {"NAME", "DATA", "AGE"}, {"settings", "3", "<age>"}},
      {"secrets",
       "creds",
       {"NAME", "TYPE", "DATA", "AGE"},
       {"creds", "kubernetes.io/basic-auth", "2", "<age>"}},
      {"services",
       "web",
       {"NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"},
       {"web", "NodePort", "10.43.0.20", "<none>", "80:30080/TCP,53:30053/UDP", "<age>"},
       {"NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE", "SELECTOR"},
       {"web", "NodePort", "10.43.0.20", "<none>", "80:30080/TCP,53:30053/UDP", "<age>",
        "app=web,tier=frontend"}},
      {"serviceaccounts", "builder", {"NAME", "SECRETS", "AGE"}, {"builder", "1", "<age>"}},
      {"pods",
       "web-0",
       {"NAME", "READY", "STATUS", "RESTARTS", "AGE"},
       {"web-0", "2/2", "Running", "3 (12h ago)", "<age>"},
       {"NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE", "NOMINATED NODE",
        "READINESS GATES"},
       {"web-0", "2/2", "Running", "3 (12h ago)", "<age>", "10.244.0.5", "node-1", "<none>",
        "1/1"}},
      {"events",
       "",
       {"LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"},
       {"20m", "Warning", "BackOff", "pod/web-0", "Back-off restarting failed container"},
       {"LAST SEEN", "TYPE", "REASON", "OBJECT", "SUBOBJECT", "SOURCE", "MESSAGE", "FIRST SEEN",
        "COUNT", "NAME"},
       {"20m", "Warning", "BackOff", "pod/web-0", "spec.containers{web}", "kubelet, node-1",
        "Back-off restarting failed container", "30m", "5", "web-0.1"}},
      {"endpoints",
       "external",
       {"NAME", "ENDPOINTS", "AGE"},
       {"external", "10.244.0.5:8080,10.244.0.6:8080,10.244.0.5:9090 + 1 more...", "<age>"}},
      {"nodes",
       "node-1",
       {"NAME", "STATUS", "ROLES", "AGE", "VERSION"},
       {"node-1", "Ready", "control-plane,worker", "<age>", "v1.32.0"},
       {"NAME", "STATUS", "ROLES", "AGE", "VERSION", "INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE",
        "KERNEL-VERSION", "CONTAINER-RUNTIME"},
       {"node-1", "Ready", "control-plane,worker", "<age>", "v1.32.0", "192.168.49.2", "<none>",
        "Debian GNU/Linux 12 (bookworm)", "6.1.0-28-amd64", "containerd://1.7.24"}},
      {"resourcequotas",
       "quota",
       {"NAME", "REQUEST", "LIMIT", "AGE"},
       {"quota", "pods: 1/10, requests.cpu: 500m/2", "limits.memory: 1Gi/4Gi", "<age>"}},
      {"limitranges", "limits", {"NAME", "CREATED AT"}, {"limits", "<time>"}},
  });
}

// Owned by the DaemonSet below: created once its uid is known, as the garbage collector
// deletes dependents whose owner has another uid.
constexpr const char* kControllerRevision = R"(apiVersion: apps/v1
kind: ControllerRevision
metadata:
  name: agent-7c9d
  ownerReferences:
  - apiVersion: apps/v1
    kind: DaemonSet
    name: agent
    uid: OWNER_UID
    controller: true
revision: 3
data: {}
)";

constexpr const char* kWorkloadObjects = R"(apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      nodeSelector: {kubernetes.io/os: linux}
      containers: [{name: agent, image: "agent:2.1"}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 0
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - {name: web, image: "nginx:1.27"}
      - {name: log, image: "busybox:1.36"}
---
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: web-5f7}
spec:
  replicas: 0
  selector:
    matchLabels: {app: web}
    matchExpressions: [{key: tier, operator: In, values: [frontend, edge]}]
  template:
    metadata: {labels: {app: web, tier: edge}}
    spec:
      containers: [{name: web, image: "nginx:1.27"}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  replicas: 0
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers: [{name: postgres, image: "postgres:16"}]
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 10
  metrics:
  - type: Resource
    resource: {name: cpu, target: {type: Utilization, averageUtilization: 60}}
  - type: Resource
    resource: {name: memory, target: {type: AverageValue, averageValue: 1024Mi}}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: backup}
spec:
  schedule: "0 3 * * *"
  timeZone: Europe/Paris
  suspend: true
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers: [{name: backup, image: "restic:0.17"}]
---
apiVersion: batch/v1
kind: Job
metadata: {name: migrate}
spec:
  suspend: true
  completions: 3
  parallelism: 2
  template:
    spec:
      restartPolicy: Never
      containers: [{name: migrate, image: "migrate:4"}]
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web}
spec:
  minAvailable: 50%
  selector: {matchLabels: {app: web}}
)";

TEST_F(KubectlTablesTest, WorkloadTypes) {
  Create(kWorkloadObjects);
  std::string revision = kControllerRevision;
  revision.replace(revision.find("OWNER_UID"), 9,
                   Ok({"get", "daemonset", "agent", "-o", "jsonpath={.metadata.uid}"}));
  Create(revision);
  PatchStatus("job", "migrate", R"({"conditions":[{"type":"Suspended","status":"True",
      "reason":"JobSuspended","message":"Job suspended"}]})");
  PatchStatus("cronjob", "backup",
              R"({"lastScheduleTime":")" + TimeAgo(std::chrono::hours(12)) + "\"}");

  Check({
      {"controllerrevisions",
       "agent-7c9d",
       {"NAME", "CONTROLLER", "REVISION", "AGE"},
       {"agent-7c9d", "daemonset.apps/agent", "3", "<age>"}},
      {"daemonsets",
       "agent",
       {"NAME", "DESIRED", "CURRENT", "READY", "UP-TO-DATE", "AVAILABLE", "NODE SELECTOR", "AGE"},
       // One pod on the one linux node of the simulated cluster.
       {"agent", "1", "1", "1", "1", "1", "kubernetes.io/os=linux", "<age>"},
       {"NAME", "DESIRED", "CURRENT", "READY", "UP-TO-DATE", "AVAILABLE", "NODE SELECTOR", "AGE",
        "CONTAINERS", "IMAGES", "SELECTOR"},
       {"agent", "1", "1", "1", "1", "1", "kubernetes.io/os=linux", "<age>", "agent", "agent:2.1",
        "app=agent"}},
      {"deployments",
       "web",
       {"NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"},
       {"web", "0/0", "0", "0", "<age>"},
       {"NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE", "CONTAINERS", "IMAGES", "SELECTOR"},
       {"web", "0/0", "0", "0", "<age>", "web,log", "nginx:1.27,busybox:1.36", "app=web"}},
      {"replicasets",
       "web-5f7",
       {"NAME", "DESIRED", "CURRENT", "READY", "AGE"},
       {"web-5f7", "0", "0", "0", "<age>"},
       {"NAME", "DESIRED", "CURRENT", "READY", "AGE", "CONTAINERS", "IMAGES", "SELECTOR"},
       {"web-5f7", "0", "0", "0", "<age>", "web", "nginx:1.27", "app=web,tier in (edge,frontend)"}},
      {"statefulsets",
       "db",
       {"NAME", "READY", "AGE"},
       {"db", "0/0", "<age>"},
       {"NAME", "READY", "AGE", "CONTAINERS", "IMAGES"},
       {"db", "0/0", "<age>", "postgres", "postgres:16"}},
      {"horizontalpodautoscalers",
       "web",
       {"NAME", "REFERENCE", "TARGETS", "MINPODS", "MAXPODS", "REPLICAS", "AGE"},
       {"web", "Deployment/web", "cpu: <unknown>/60%, memory: <unknown>/1Gi", "2", "10", "0",
        "<age>"}},
      {"cronjobs",
       "backup",
       {"NAME", "SCHEDULE", "TIMEZONE", "SUSPEND", "ACTIVE", "LAST SCHEDULE", "AGE"},
       {"backup", "0 3 * * *", "Europe/Paris", "True", "0", "12h", "<age>"},
       {"NAME", "SCHEDULE", "TIMEZONE", "SUSPEND", "ACTIVE", "LAST SCHEDULE", "AGE", "CONTAINERS",
        "IMAGES", "SELECTOR"},
       {"backup", "0 3 * * *", "Europe/Paris", "True", "0", "12h", "<age>", "backup", "restic:0.17",
        "<none>"}},
      {"jobs",
       "migrate",
       {"NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE"},
       {"migrate", "Suspended", "0/3", "", "<age>"},
       {"NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE", "CONTAINERS", "IMAGES", "SELECTOR"},
       {"migrate", "Suspended", "0/3", "", "<age>", "migrate", "migrate:4",
        "batch.kubernetes.io/controller-uid=<uid>"}},
      {"poddisruptionbudgets",
       "web",
       {"NAME", "MIN AVAILABLE", "MAX UNAVAILABLE", "ALLOWED DISRUPTIONS", "AGE"},
       {"web", "50%", "N/A", "0", "<age>"}},
  });
}

constexpr const char* kNetworkingAndStorageObjects = R"(apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: web-abc12}
addressType: IPv4
ports: [{name: http, port: 8080, protocol: TCP}]
endpoints:
- addresses: [10.244.0.5]
- addresses: [10.244.0.6]
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: nginx}
spec:
  controller: k8s.io/ingress-nginx
  parameters: {apiGroup: k8s.example.com, kind: IngressParameters, name: external-lb}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web}
spec:
  ingressClassName: nginx
  tls: [{hosts: [web.example.com]}]
  rules:
  - host: web.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
  - host: api.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: api, port: {number: 80}}}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db-access}
spec:
  podSelector: {matchLabels: {app: db}}
  policyTypes: [Ingress]
---
apiVersion: v1
kind: PersistentVolume
metadata: {name: pv-data}
spec:
  capacity: {storage: 1024Mi}
  accessModes: [ReadWriteOnce, ReadOnlyMany]
  storageClassName: manual
  claimRef: {namespace: default, name: data}
  hostPath: {path: /srv/data}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
spec:
  accessModes: [ReadWriteOnce]
  storageClassName: manual
  volumeName: pv-data
  resources: {requests: {storage: 1Gi}}
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: local
  annotations: {storageclass.kubernetes.io/is-default-class: "true"}
provisioner: rancher.io/local-path
volumeBindingMode: WaitForFirstConsumer
)";

TEST_F(KubectlTablesTest, NetworkingAndStorageTypes) {
  Create(kNetworkingAndStorageObjects);
  PatchStatus("ingress", "web", R"({"loadBalancer":{"ingress":[{"ip":"192.168.49.2"}]}})");
  PatchStatus("persistentvolume", "pv-data", R"({"phase":"Bound"})");
  PatchStatus("persistentvolumeclaim", "data", R"({"phase":"Bound",
      "accessModes":["ReadWriteOnce"],"capacity":{"storage":"1Gi"}})");

  Check({
      {"endpointslices",
       "web-abc12",
       {"NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE"},
       {"web-abc12", "IPv4", "8080", "10.244.0.5,10.244.0.6", "<age>"}},
      {"ingressclasses",
       "nginx",
       {"NAME", "CONTROLLER", "PARAMETERS", "AGE"},
       {"nginx", "k8s.io/ingress-nginx", "IngressParameters.k8s.example.com/external-lb", "<age>"}},
      {"ingresses",
       "web",
       {"NAME", "CLASS", "HOSTS", "ADDRESS", "PORTS", "AGE"},
       {"web", "nginx", "web.example.com,api.example.com", "192.168.49.2", "80, 443", "<age>"}},
      {"networkpolicies",
       "db-access",
       {"NAME", "POD-SELECTOR", "AGE"},
       {"db-access", "app=db", "<age>"}},
      {"persistentvolumes",
       "pv-data",
       {"NAME", "CAPACITY", "ACCESS MODES", "RECLAIM POLICY", "STATUS", "CLAIM", "STORAGECLASS",
        "VOLUMEATTRIBUTESCLASS", "REASON", "AGE"},
       {"pv-data", "1Gi", "RWO,ROX", "Retain", "Bound", "default/data", "manual", "<unset>", "",
        "<age>"},
       {"NAME", "CAPACITY", "ACCESS MODES", "RECLAIM POLICY", "STATUS", "CLAIM", "STORAGECLASS",
        "VOLUMEATTRIBUTESCLASS", "REASON", "AGE", "VOLUMEMODE"},
       {"pv-data", "1Gi", "RWO,ROX", "Retain", "Bound", "default/data", "manual", "<unset>", "",
        "<age>", "Filesystem"}},
      {"persistentvolumeclaims",
       "data",
       {"NAME", "STATUS", "VOLUME", "CAPACITY", "ACCESS MODES", "STORAGECLASS",
        "VOLUMEATTRIBUTESCLASS", "AGE"},
       {"data", "Bound", "pv-data", "1Gi", "RWO", "manual", "<unset>", "<age>"},
       {"NAME", "STATUS", "VOLUME", "CAPACITY", "ACCESS MODES", "STORAGECLASS",
        "VOLUMEATTRIBUTESCLASS", "AGE", "VOLUMEMODE"},
       {"data", "Bound", "pv-data", "1Gi", "RWO", "manual", "<unset>", "<age>", "Filesystem"}},
      {"storageclasses",
       "local (default)",
       {"NAME", "PROVISIONER", "RECLAIMPOLICY", "VOLUMEBINDINGMODE", "ALLOWVOLUMEEXPANSION", "AGE"},
       {"local (default)", "rancher.io/local-path", "Delete", "WaitForFirstConsumer", "false",
        "<age>"}},
  });
}

constexpr const char* kClusterObjects = R"(apiVersion: admissionregistration.k8s.io/v1
kind: MutatingWebhookConfiguration
metadata: {name: inject}
webhooks:
- name: inject.example.com
  admissionReviewVersions: [v1]
  sideEffects: None
  clientConfig: {url: "https://inject.example.com/mutate"}
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata: {name: policy}
webhooks:
- name: a.policy.example.com
  admissionReviewVersions: [v1]
  sideEffects: None
  clientConfig: {url: "https://policy.example.com/a"}
- name: b.policy.example.com
  admissionReviewVersions: [v1]
  sideEffects: None
  clientConfig: {url: "https://policy.example.com/b"}
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  names: {kind: Widget, plural: widgets, singular: widget}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
---
apiVersion: coordination.k8s.io/v1
kind: Lease
metadata: {name: leader}
spec: {holderIdentity: node-1_7f3a, leaseDurationSeconds: 15}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: widget-reader}
rules:
- {apiGroups: [example.com], resources: [widgets], verbs: [get, list]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: widget-readers}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: widget-reader}
subjects:
- {apiGroup: rbac.authorization.k8s.io, kind: Group, name: readers}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: pod-reader}
rules:
- {apiGroups: [""], resources: [pods], verbs: [get, list]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: pod-readers}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: pod-reader}
subjects:
- {apiGroup: rbac.authorization.k8s.io, kind: User, name: jane}
- {kind: ServiceAccount, name: builder, namespace: default}
---
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: {name: high}
value: 1000000
description: Pods that must run.
)";

TEST_F(KubectlTablesTest, ClusterTypes) {
  Create(kClusterObjects);
  Check({
      {"mutatingwebhookconfigurations",
       "inject",
       {"NAME", "WEBHOOKS", "AGE"},
       {"inject", "1", "<age>"}},
      {"validatingwebhookconfigurations",
       "policy",
       {"NAME", "WEBHOOKS", "AGE"},
       {"policy", "2", "<age>"}},
      {"customresourcedefinitions",
       "widgets.example.com",
       {"NAME", "CREATED AT"},
       {"widgets.example.com", "<time>"}},
      {"leases", "leader", {"NAME", "HOLDER", "AGE"}, {"leader", "node-1_7f3a", "<age>"}},
      {"clusterroles", "widget-reader", {"NAME", "CREATED AT"}, {"widget-reader", "<time>"}},
      {"clusterrolebindings",
       "widget-readers",
       {"NAME", "ROLE", "AGE"},
       {"widget-readers", "ClusterRole/widget-reader", "<age>"},
       {"NAME", "ROLE", "AGE", "USERS", "GROUPS", "SERVICEACCOUNTS"},
       {"widget-readers", "ClusterRole/widget-reader", "<age>", "", "readers", ""}},
      {"roles", "pod-reader", {"NAME", "CREATED AT"}, {"pod-reader", "<time>"}},
      {"rolebindings",
       "pod-readers",
       {"NAME", "ROLE", "AGE"},
       {"pod-readers", "Role/pod-reader", "<age>"},
       {"NAME", "ROLE", "AGE", "USERS", "GROUPS", "SERVICEACCOUNTS"},
       {"pod-readers", "Role/pod-reader", "<age>", "jane", "", "default/builder"}},
      {"priorityclasses",
       "high",
       {"NAME", "VALUE", "GLOBAL-DEFAULT", "AGE", "PREEMPTIONPOLICY"},
       {"high", "1000000", "false", "<age>", "PreemptLowerPriority"}},
  });
}

}  // namespace
}  // namespace kstack::e2e
