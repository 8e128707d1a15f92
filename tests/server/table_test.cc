#include "server/table.h"

#include <gtest/gtest.h>

#include "server/internal/table_printer.h"

namespace kstack::server {
namespace {

using std::chrono::seconds;

TEST(HumanDuration, KubernetesAgeText) {
  EXPECT_EQ(HumanDuration(seconds(-5)), "<invalid>");
  EXPECT_EQ(HumanDuration(seconds(-1)), "0s");
  EXPECT_EQ(HumanDuration(seconds(45)), "45s");
  EXPECT_EQ(HumanDuration(seconds(119)), "119s");
  EXPECT_EQ(HumanDuration(seconds(120)), "2m");
  EXPECT_EQ(HumanDuration(seconds(192)), "3m12s");
  EXPECT_EQ(HumanDuration(seconds(15 * 60 + 7)), "15m");
  EXPECT_EQ(HumanDuration(seconds(5 * 3600 + 20 * 60)), "5h20m");
  EXPECT_EQ(HumanDuration(seconds(30 * 3600)), "30h");
  EXPECT_EQ(HumanDuration(seconds(51 * 3600)), "2d3h");
  EXPECT_EQ(HumanDuration(seconds(100 * 86400)), "100d");
  EXPECT_EQ(HumanDuration(seconds((3 * 365 + 45) * 86400)), "3y45d");
  EXPECT_EQ(HumanDuration(seconds(10 * 365 * 86400)), "10y");
}

TEST(QuantityText, KubernetesCanonicalForms) {
  EXPECT_EQ(internal::QuantityText(Json("1Gi")), "1Gi");
  EXPECT_EQ(internal::QuantityText(Json("1024Mi")), "1Gi");
  EXPECT_EQ(internal::QuantityText(Json("1536Mi")), "1536Mi");
  EXPECT_EQ(internal::QuantityText(Json("1.5Gi")), "1536Mi");
  EXPECT_EQ(internal::QuantityText(Json("1.5Ki")), "1536");
  EXPECT_EQ(internal::QuantityText(Json("0.5Ki")), "512");
  EXPECT_EQ(internal::QuantityText(Json("0.001Ki")), "1024m");
  EXPECT_EQ(internal::QuantityText(Json("500Mi")), "500Mi");
  EXPECT_EQ(internal::QuantityText(Json("0.5")), "500m");
  EXPECT_EQ(internal::QuantityText(Json("1000m")), "1");
  EXPECT_EQ(internal::QuantityText(Json("1500m")), "1500m");
  EXPECT_EQ(internal::QuantityText(Json("1000")), "1k");
  EXPECT_EQ(internal::QuantityText(Json("10")), "10");
  EXPECT_EQ(internal::QuantityText(Json("100k")), "100k");
  EXPECT_EQ(internal::QuantityText(Json("2G")), "2G");
  EXPECT_EQ(internal::QuantityText(Json("1e3")), "1e3");
  EXPECT_EQ(internal::QuantityText(Json("1E3")), "1e3");
  EXPECT_EQ(internal::QuantityText(Json("1.5e3")), "1500");
  EXPECT_EQ(internal::QuantityText(Json("1E")), "1E");
  EXPECT_EQ(internal::QuantityText(Json("0")), "0");
  EXPECT_EQ(internal::QuantityText(Json("0Gi")), "0");
  EXPECT_EQ(internal::QuantityText(Json("-1024Mi")), "-1Gi");
  EXPECT_EQ(internal::QuantityText(Json("0.0000000001")), "1n");
  EXPECT_EQ(internal::QuantityText(Json("12x")), "12x");
  EXPECT_EQ(internal::QuantityText(Json(2)), "2");
  EXPECT_EQ(internal::QuantityText(Json(nullptr)), "0");
}

TEST(TableTime, ParsesRfc3339WithFractionsAndOffsets) {
  auto base = internal::ParseTime("2024-01-01T00:00:00Z");
  ASSERT_TRUE(base.has_value());
  EXPECT_EQ(FormatRfc3339(*base), "2024-01-01T00:00:00Z");
  EXPECT_EQ(internal::ParseTime("2024-01-01T02:00:00.123456+02:00"),
            *base + std::chrono::microseconds(123456));
  EXPECT_EQ(internal::ParseTime("2023-12-31T23:30:00-00:30"), base);
  EXPECT_FALSE(internal::ParseTime("2024-01-01").has_value());
  EXPECT_FALSE(internal::ParseTime("2024-13-01T00:00:00Z").has_value());
}

// ---- Whole tables.

const machinery::ResourceType& TypeOf(std::string_view group, std::string_view resource) {
  for (const machinery::ResourceType& t : machinery::BuiltinResourceTypes()) {
    if (t.group == group && t.resource == resource) return t;
  }
  ADD_FAILURE() << "no built-in type " << group << "/" << resource;
  return machinery::BuiltinResourceTypes()[0];
}

// The headers kubectl prints: column names upper-cased, the wide ones only with -o wide.
std::string Headers(const Json& table, bool wide) {
  std::string out;
  for (const Json& c : table.at("columnDefinitions").as_array()) {
    if (!wide && c.at("priority").as_int64() != 0) continue;
    if (!out.empty()) out += ",";
    for (char ch : c.at("name").as_string()) out += static_cast<char>(std::toupper(ch));
  }
  return out;
}

// Objects created at 2024-01-01T00:00:00Z, seen ten minutes later.
constexpr const char* kCreated = "2024-01-01T00:00:00Z";
Clock::WallTime Now() {
  FakeClock clock;
  clock.Advance(std::chrono::minutes(10));
  return clock.Now();
}

Json Table(std::string_view group, std::string_view resource, const std::string& object) {
  Json o = ParseJson(object).value();
  Json& given = o.as_object()["metadata"];
  if (!given.is_object()) given = JsonObject();
  JsonObject& metadata = given.as_object();
  if (!metadata.contains("name")) metadata["name"] = "x";
  if (!metadata.contains("creationTimestamp")) metadata["creationTimestamp"] = kCreated;
  return ToTable(TypeOf(group, resource), std::span<const Json>(&o, 1), JsonObject(), Now());
}

std::string Cells(std::string_view group, std::string_view resource, const std::string& object) {
  Json table = Table(group, resource, object);
  return WriteJson(table.at("rows").at(0).at("cells"), {.escape_html = false});
}

struct ColumnsCase {
  std::string_view group;
  std::string_view resource;
  std::string_view headers;       // without -o wide
  std::string_view wide_headers;  // with -o wide
};

// The headers of `kubectl get <type>` and `kubectl get <type> -o wide` for every built-in type.
const ColumnsCase kColumns[] = {
    {"", "namespaces", "NAME,STATUS,AGE", "NAME,STATUS,AGE"},
    {"", "configmaps", "NAME,DATA,AGE", "NAME,DATA,AGE"},
    {"", "secrets", "NAME,TYPE,DATA,AGE", "NAME,TYPE,DATA,AGE"},
    {"", "services", "NAME,TYPE,CLUSTER-IP,EXTERNAL-IP,PORT(S),AGE",
     "NAME,TYPE,CLUSTER-IP,EXTERNAL-IP,PORT(S),AGE,SELECTOR"},
    {"", "serviceaccounts", "NAME,SECRETS,AGE", "NAME,SECRETS,AGE"},
    {"", "pods", "NAME,READY,STATUS,RESTARTS,AGE",
     "NAME,READY,STATUS,RESTARTS,AGE,IP,NODE,NOMINATED NODE,READINESS GATES"},
    {"", "events", "LAST SEEN,TYPE,REASON,OBJECT,MESSAGE",
     "LAST SEEN,TYPE,REASON,OBJECT,SUBOBJECT,SOURCE,MESSAGE,FIRST SEEN,COUNT,NAME"},
    {"", "endpoints", "NAME,ENDPOINTS,AGE", "NAME,ENDPOINTS,AGE"},
    {"", "nodes", "NAME,STATUS,ROLES,AGE,VERSION",
     "NAME,STATUS,ROLES,AGE,VERSION,INTERNAL-IP,EXTERNAL-IP,OS-IMAGE,KERNEL-VERSION,"
     "CONTAINER-RUNTIME"},
    {"", "persistentvolumes",
     "NAME,CAPACITY,ACCESS MODES,RECLAIM POLICY,STATUS,CLAIM,STORAGECLASS,VOLUMEATTRIBUTESCLASS,"
     "REASON,AGE",
     "NAME,CAPACITY,ACCESS MODES,RECLAIM POLICY,STATUS,CLAIM,STORAGECLASS,VOLUMEATTRIBUTESCLASS,"
     "REASON,AGE,VOLUMEMODE"},
    {"", "persistentvolumeclaims",
     "NAME,STATUS,VOLUME,CAPACITY,ACCESS MODES,STORAGECLASS,VOLUMEATTRIBUTESCLASS,AGE",
     "NAME,STATUS,VOLUME,CAPACITY,ACCESS MODES,STORAGECLASS,VOLUMEATTRIBUTESCLASS,AGE,VOLUMEMODE"},
    {"", "resourcequotas", "NAME,REQUEST,LIMIT,AGE", "NAME,REQUEST,LIMIT,AGE"},
    {"", "limitranges", "NAME,CREATED AT", "NAME,CREATED AT"},
    {"admissionregistration.k8s.io", "mutatingwebhookconfigurations", "NAME,WEBHOOKS,AGE",
     "NAME,WEBHOOKS,AGE"},
    {"admissionregistration.k8s.io", "validatingwebhookconfigurations", "NAME,WEBHOOKS,AGE",
     "NAME,WEBHOOKS,AGE"},
    {"apiextensions.k8s.io", "customresourcedefinitions", "NAME,CREATED AT", "NAME,CREATED AT"},
    {"apps", "controllerrevisions", "NAME,CONTROLLER,REVISION,AGE", "NAME,CONTROLLER,REVISION,AGE"},
    {"apps", "daemonsets", "NAME,DESIRED,CURRENT,READY,UP-TO-DATE,AVAILABLE,NODE SELECTOR,AGE",
     "NAME,DESIRED,CURRENT,READY,UP-TO-DATE,AVAILABLE,NODE SELECTOR,AGE,CONTAINERS,IMAGES,"
     "SELECTOR"},
    {"apps", "deployments", "NAME,READY,UP-TO-DATE,AVAILABLE,AGE",
     "NAME,READY,UP-TO-DATE,AVAILABLE,AGE,CONTAINERS,IMAGES,SELECTOR"},
    {"", "replicationcontrollers", "NAME,DESIRED,CURRENT,READY,AGE",
     "NAME,DESIRED,CURRENT,READY,AGE,CONTAINERS,IMAGES,SELECTOR"},
    {"apps", "replicasets", "NAME,DESIRED,CURRENT,READY,AGE",
     "NAME,DESIRED,CURRENT,READY,AGE,CONTAINERS,IMAGES,SELECTOR"},
    {"apps", "statefulsets", "NAME,READY,AGE", "NAME,READY,AGE,CONTAINERS,IMAGES"},
    {"autoscaling", "horizontalpodautoscalers",
     "NAME,REFERENCE,TARGETS,MINPODS,MAXPODS,REPLICAS,AGE",
     "NAME,REFERENCE,TARGETS,MINPODS,MAXPODS,REPLICAS,AGE"},
    {"batch", "cronjobs", "NAME,SCHEDULE,TIMEZONE,SUSPEND,ACTIVE,LAST SCHEDULE,AGE",
     "NAME,SCHEDULE,TIMEZONE,SUSPEND,ACTIVE,LAST SCHEDULE,AGE,CONTAINERS,IMAGES,SELECTOR"},
    {"batch", "jobs", "NAME,STATUS,COMPLETIONS,DURATION,AGE",
     "NAME,STATUS,COMPLETIONS,DURATION,AGE,CONTAINERS,IMAGES,SELECTOR"},
    {"coordination.k8s.io", "leases", "NAME,HOLDER,AGE", "NAME,HOLDER,AGE"},
    {"discovery.k8s.io", "endpointslices", "NAME,ADDRESSTYPE,PORTS,ENDPOINTS,AGE",
     "NAME,ADDRESSTYPE,PORTS,ENDPOINTS,AGE"},
    {"networking.k8s.io", "ingressclasses", "NAME,CONTROLLER,PARAMETERS,AGE",
     "NAME,CONTROLLER,PARAMETERS,AGE"},
    {"networking.k8s.io", "ingresses", "NAME,CLASS,HOSTS,ADDRESS,PORTS,AGE",
     "NAME,CLASS,HOSTS,ADDRESS,PORTS,AGE"},
    {"networking.k8s.io", "networkpolicies", "NAME,POD-SELECTOR,AGE", "NAME,POD-SELECTOR,AGE"},
    {"policy", "poddisruptionbudgets", "NAME,MIN AVAILABLE,MAX UNAVAILABLE,ALLOWED DISRUPTIONS,AGE",
     "NAME,MIN AVAILABLE,MAX UNAVAILABLE,ALLOWED DISRUPTIONS,AGE"},
    {"rbac.authorization.k8s.io", "clusterrolebindings", "NAME,ROLE,AGE",
     "NAME,ROLE,AGE,USERS,GROUPS,SERVICEACCOUNTS"},
    {"rbac.authorization.k8s.io", "clusterroles", "NAME,CREATED AT", "NAME,CREATED AT"},
    {"rbac.authorization.k8s.io", "rolebindings", "NAME,ROLE,AGE",
     "NAME,ROLE,AGE,USERS,GROUPS,SERVICEACCOUNTS"},
    {"rbac.authorization.k8s.io", "roles", "NAME,CREATED AT", "NAME,CREATED AT"},
    {"scheduling.k8s.io", "priorityclasses", "NAME,VALUE,GLOBAL-DEFAULT,AGE,PREEMPTIONPOLICY",
     "NAME,VALUE,GLOBAL-DEFAULT,AGE,PREEMPTIONPOLICY"},
    {"storage.k8s.io", "storageclasses",
     "NAME,PROVISIONER,RECLAIMPOLICY,VOLUMEBINDINGMODE,ALLOWVOLUMEEXPANSION,AGE",
     "NAME,PROVISIONER,RECLAIMPOLICY,VOLUMEBINDINGMODE,ALLOWVOLUMEEXPANSION,AGE"},
};

TEST(Table, EveryBuiltInTypeHasKubernetesColumns) {
  EXPECT_EQ(std::size(kColumns), machinery::BuiltinResourceTypes().size());
  for (const ColumnsCase& c : kColumns) {
    SCOPED_TRACE(std::string(c.group) + "/" + std::string(c.resource));
    Json table = Table(c.group, c.resource, "{}");
    EXPECT_EQ(Headers(table, false), c.headers);
    EXPECT_EQ(Headers(table, true), c.wide_headers);
    // One cell per column, also for an object with nothing but a name.
    EXPECT_EQ(table.at("rows").at(0).at("cells").as_array().size(),
              table.at("columnDefinitions").as_array().size());
    EXPECT_EQ(table.at("columnDefinitions").at(0).at("format").as_string(),
              c.resource == "events" ? "" : "name");
  }
}

TEST(Table, ListMetadataAndPartialObjects) {
  Json pod = ParseJson(R"({"metadata":{"name":"web","namespace":"default","uid":"u1",
      "creationTimestamp":"2024-01-01T00:00:00Z"}})")
                 .value();
  Json table = ToTable(TypeOf("", "pods"), std::span<const Json>(&pod, 1),
                       ParseJson(R"({"resourceVersion":"12"})").value(), Now());
  EXPECT_EQ(table.at("kind").as_string(), "Table");
  EXPECT_EQ(table.at("apiVersion").as_string(), "meta.k8s.io/v1");
  EXPECT_EQ(table.at("metadata").at("resourceVersion").as_string(), "12");
  const Json& object = table.at("rows").at(0).at("object");
  EXPECT_EQ(object.at("kind").as_string(), "PartialObjectMetadata");
  EXPECT_EQ(object.at("metadata").at("uid").as_string(), "u1");
  EXPECT_EQ(table.at("rows").at(0).as_object().contains("conditions"), false);
}

// ---- Cells, per type.

TEST(PodTable, RunningWithRestartsAndWideCells) {
  EXPECT_EQ(Cells("", "pods", R"({"metadata":{"name":"web-1"},
      "spec":{"containers":[{"name":"a"},{"name":"b"}],"nodeName":"node-1",
              "readinessGates":[{"conditionType":"x/ok"},{"conditionType":"x/lb"}]},
      "status":{"phase":"Running","podIP":"10.0.0.5","conditions":[{"type":"x/ok","status":"True"}],
        "containerStatuses":[
        {"name":"a","ready":true,"restartCount":1,"state":{"running":{}},
         "lastState":{"terminated":{"exitCode":1,"finishedAt":"2024-01-01T00:08:00Z"}}},
        {"name":"b","ready":true,"restartCount":2,"state":{"running":{}}}]}})"),
            R"j(["web-1","2/2","Running","3 (2m ago)","10m","10.0.0.5","node-1","<none>","1/2"])j");
}

TEST(PodTable, NewPodIsPending) {
  EXPECT_EQ(Cells("", "pods", R"({"spec":{"containers":[{"name":"a","image":"nginx"}]}})"),
            R"(["x","0/1","Pending","0","10m","<none>","<none>","<none>","<none>"])");
}

TEST(PodTable, StatusWords) {
  auto status = [](const std::string& pod) {
    return Table("", "pods", pod).at("rows").at(0).at("cells").at(2).as_string();
  };
  EXPECT_EQ(status(R"({"spec":{"containers":[{"name":"a"}]},"status":{"phase":"Running",
      "containerStatuses":[{"name":"a","state":{"waiting":{"reason":"CrashLoopBackOff"}}}]}})"),
            "CrashLoopBackOff");
  EXPECT_EQ(status(R"({"spec":{"initContainers":[{"name":"i"}],"containers":[{"name":"a"}]},
      "status":{"phase":"Pending","initContainerStatuses":[{"name":"i",
      "state":{"running":{}}}]}})"),
            "Init:0/1");
  EXPECT_EQ(status(R"({"spec":{"initContainers":[{"name":"i"}],"containers":[{"name":"a"}]},
      "status":{"phase":"Pending","initContainerStatuses":[
        {"name":"i","state":{"waiting":{"reason":"ImagePullBackOff"}}}]}})"),
            "Init:ImagePullBackOff");
  EXPECT_EQ(status(R"({"spec":{"initContainers":[{"name":"i"}],"containers":[{"name":"a"}]},
      "status":{"phase":"Pending","initContainerStatuses":[
        {"name":"i","state":{"terminated":{"exitCode":3}}}]}})"),
            "Init:ExitCode:3");
  EXPECT_EQ(status(R"({"spec":{"containers":[{"name":"a"}]},"status":{"phase":"Running",
      "containerStatuses":[{"name":"a","state":{"terminated":{"exitCode":0,"signal":9}}}]}})"),
            "Signal:9");
  EXPECT_EQ(status(R"({"spec":{"containers":[{"name":"a"}]},"status":{"phase":"Succeeded",
      "containerStatuses":[{"name":"a","state":{"terminated":{"exitCode":0,
      "reason":"Completed"}}}]}})"),
            "Completed");
  EXPECT_EQ(
      status(R"({"spec":{"containers":[{"name":"a"},{"name":"b"}]},"status":{"phase":"Running",
      "conditions":[{"type":"Ready","status":"False"}],"containerStatuses":[
        {"name":"a","state":{"terminated":{"exitCode":0,"reason":"Completed"}}},
        {"name":"b","ready":true,"state":{"running":{}}}]}})"),
      "NotReady");
  EXPECT_EQ(status(R"({"metadata":{"deletionTimestamp":"2024-01-01T00:09:00Z"},
      "spec":{"containers":[{"name":"a"}]},"status":{"phase":"Running"}})"),
            "Terminating");
  EXPECT_EQ(status(R"({"metadata":{"deletionTimestamp":"2024-01-01T00:09:00Z"},
      "spec":{"containers":[{"name":"a"}]},"status":{"phase":"Running","reason":"NodeLost"}})"),
            "Unknown");
  EXPECT_EQ(status(R"({"spec":{"containers":[{"name":"a"}]},"status":{"phase":"Pending",
      "conditions":[{"type":"PodScheduled","status":"False","reason":"SchedulingGated"}]}})"),
            "SchedulingGated");
  EXPECT_EQ(status(R"({"spec":{"containers":[{"name":"a"}]},"status":{"phase":"Failed",
      "reason":"Evicted"}})"),
            "Evicted");
}

TEST(PodTable, SidecarsCountAsContainers) {
  EXPECT_EQ(
      Cells("", "pods", R"({"spec":{"initContainers":[{"name":"log","restartPolicy":"Always"}],
      "containers":[{"name":"a"}]},"status":{"phase":"Running","podIPs":[{"ip":"10.0.0.9"}],
      "conditions":[{"type":"Initialized","status":"True"}],
      "initContainerStatuses":[{"name":"log","started":true,"ready":true,"restartCount":4,
                                "state":{"running":{}}}],
      "containerStatuses":[{"name":"a","ready":true,"restartCount":0,"state":{"running":{}}}]}})"),
      R"(["x","2/2","Running","4","10m","10.0.0.9","<none>","<none>","<none>"])");
}

TEST(PodTable, FinishedPodsCarryACompletedCondition) {
  Json table = Table("", "pods", R"({"status":{"phase":"Succeeded"}})");
  EXPECT_EQ(WriteJson(table.at("rows").at(0).at("conditions")),
            R"([{"type":"Completed","status":"True","reason":"Succeeded",)"
            R"("message":"The pod ran to completion."}])");
}

TEST(WorkloadTables, Deployments) {
  EXPECT_EQ(Cells("apps", "deployments", R"({"metadata":{"name":"web"},
      "spec":{"replicas":3,"selector":{"matchLabels":{"tier":"fe","app":"web"}},
              "template":{"spec":{"containers":[{"name":"web","image":"nginx:1.27"},
                                                {"name":"log","image":"busybox"}]}}},
      "status":{"readyReplicas":2,"updatedReplicas":3,"availableReplicas":2}})"),
            R"(["web","2/3",3,2,"10m","web,log","nginx:1.27,busybox","app=web,tier=fe"])");
  // Replicas default to 1; an empty selector prints nothing.
  EXPECT_EQ(Cells("apps", "deployments", R"({"spec":{"selector":{}}})"),
            R"(["x","0/1",0,0,"10m","","",""])");
}

TEST(WorkloadTables, ReplicaSetsStatefulSetsDaemonSets) {
  EXPECT_EQ(Cells("apps", "replicasets", R"({"spec":{"replicas":2,"selector":{
      "matchExpressions":[{"key":"tier","operator":"In","values":["b","a"]},
                          {"key":"app","operator":"Exists"}]},
      "template":{"spec":{"containers":[{"name":"c","image":"i"}]}}},
      "status":{"replicas":2,"readyReplicas":1}})"),
            R"j(["x",2,2,1,"10m","c","i","app,tier in (a,b)"])j");
  EXPECT_EQ(Cells("apps", "replicasets", R"({})"), R"(["x",1,0,0,"10m","","","<none>"])");
  EXPECT_EQ(Cells("apps", "statefulsets", R"({"spec":{"template":{"spec":{
      "containers":[{"name":"db","image":"postgres:16"}]}}},"status":{"readyReplicas":1}})"),
            R"(["x","1/1","10m","db","postgres:16"])");
  EXPECT_EQ(
      Cells("apps", "daemonsets", R"({"spec":{"selector":{"matchLabels":{"app":"agent"}},
      "template":{"spec":{"nodeSelector":{"zone":"a","kubernetes.io/os":"linux"},
                          "containers":[{"name":"agent","image":"agent:1"}]}}},
      "status":{"desiredNumberScheduled":3,"currentNumberScheduled":3,"numberReady":2,
                "updatedNumberScheduled":3,"numberAvailable":2}})"),
      R"(["x",3,3,2,3,2,"kubernetes.io/os=linux,zone=a","10m","agent","agent:1","app=agent"])");
  EXPECT_EQ(Cells("apps", "daemonsets", R"({})"),
            R"(["x",0,0,0,0,0,"<none>","10m","","","<none>"])");
}

TEST(WorkloadTables, Jobs) {
  EXPECT_EQ(Cells("batch", "jobs", R"({"spec":{"completions":3,
      "template":{"spec":{"containers":[{"name":"pi","image":"perl"}]}}},
      "status":{"succeeded":3,"startTime":"2024-01-01T00:00:05Z",
                "completionTime":"2024-01-01T00:01:20Z",
                "conditions":[{"type":"Complete","status":"True"}]}})"),
            R"(["x","Complete","3/3","75s","10m","pi","perl","<none>"])");
  EXPECT_EQ(
      Cells("batch", "jobs", R"({"spec":{"parallelism":3,"selector":{"matchLabels":{
      "batch.kubernetes.io/controller-uid":"u1"}}},
      "status":{"startTime":"2024-01-01T00:05:00Z"}})"),
      R"(["x","Running","0/1 of 3","5m","10m","","","batch.kubernetes.io/controller-uid=u1"])");
  EXPECT_EQ(Cells("batch", "jobs", R"({"spec":{"suspend":true},
      "status":{"conditions":[{"type":"Suspended","status":"True"}]}})"),
            R"(["x","Suspended","0/1","","10m","","","<none>"])");
  EXPECT_EQ(Cells("batch", "jobs", R"({"status":{"failed":1,"conditions":[
      {"type":"FailureTarget","status":"True"},{"type":"Failed","status":"True"}]}})"),
            R"(["x","Failed","0/1","","10m","","","<none>"])");
}

TEST(WorkloadTables, CronJobs) {
  EXPECT_EQ(Cells("batch", "cronjobs", R"({"spec":{"schedule":"*/5 * * * *",
      "jobTemplate":{"spec":{"template":{"spec":{"containers":[{"name":"c",
      "image":"busybox"}]}}}}}})"),
            R"(["x","*/5 * * * *","<none>","False",0,"<none>","10m","c","busybox","<none>"])");
  EXPECT_EQ(Cells("batch", "cronjobs", R"({"spec":{"schedule":"@hourly","timeZone":"Etc/UTC",
      "suspend":true},"status":{"active":[{"name":"j1"},{"name":"j2"}],
      "lastScheduleTime":"2024-01-01T00:07:00Z"}})"),
            R"(["x","@hourly","Etc/UTC","True",2,"3m","10m","","","<none>"])");
}

TEST(WorkloadTables, ControllerRevisionsHpasPdbs) {
  EXPECT_EQ(Cells("apps", "controllerrevisions", R"({"metadata":{"name":"agent-5d4",
      "ownerReferences":[{"apiVersion":"apps/v1","kind":"DaemonSet","name":"agent",
      "controller":true}]},
      "revision":2})"),
            R"(["agent-5d4","daemonset.apps/agent",2,"10m"])");
  EXPECT_EQ(Cells("apps", "controllerrevisions", R"({"revision":1})"), R"(["x","<none>",1,"10m"])");
  // Without metrics an autoscaling/v2 object targets 80% CPU; minReplicas defaults to 1.
  EXPECT_EQ(Cells("autoscaling", "horizontalpodautoscalers", R"({"spec":{
      "scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"web"},
      "maxReplicas":5}})"),
            R"(["x","Deployment/web","cpu: <unknown>/80%","1",5,0,"10m"])");
  EXPECT_EQ(
      Cells("autoscaling", "horizontalpodautoscalers", R"({"spec":{
      "scaleTargetRef":{"kind":"StatefulSet","name":"db"},"minReplicas":2,"maxReplicas":10,
      "metrics":[
        {"type":"Resource","resource":{"name":"memory","target":{"type":"AverageValue",
        "averageValue":"1024Mi"}}},
        {"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization",
        "averageUtilization":60}}},
        {"type":"Pods","pods":{"metric":{"name":"qps"},"target":{"type":"AverageValue",
        "averageValue":"1k"}}}]},
      "status":{"currentReplicas":3,"currentMetrics":[
        {"type":"Resource","resource":{"name":"memory","current":{"averageValue":"512Mi"}}},
        {"type":"Resource","resource":{"name":"cpu","current":{"averageUtilization":45,
        "averageValue":"90m"}}}]}})"),
      R"(["x","StatefulSet/db","memory: 512Mi/1Gi, cpu: 45%/60% + 1 more...","2",10,3,"10m"])");
  EXPECT_EQ(Cells("autoscaling", "horizontalpodautoscalers", R"({"spec":{"maxReplicas":3,
      "metrics":[{"type":"External","external":{"metric":{"name":"queue"},
                  "target":{"type":"AverageValue","averageValue":"30"}}},
                 {"type":"Object","object":{"metric":{"name":"rps"},
                  "target":{"type":"Value","value":"2k"}}}]}})"),
            R"(["x","/","<unknown>/30 (avg), <unknown>/2k","1",3,0,"10m"])");
  EXPECT_EQ(Cells("policy", "poddisruptionbudgets", R"({"spec":{"minAvailable":"50%"},
      "status":{"disruptionsAllowed":1}})"),
            R"(["x","50%","N/A",1,"10m"])");
  EXPECT_EQ(Cells("policy", "poddisruptionbudgets", R"({"spec":{"maxUnavailable":1}})"),
            R"(["x","N/A","1",0,"10m"])");
}

TEST(CoreTables, ConfigSecretsNamespacesAccounts) {
  EXPECT_EQ(Cells("", "configmaps", R"({"data":{"a":"1","b":"2"},"binaryData":{"c":"AA=="}})"),
            R"(["x",3,"10m"])");
  EXPECT_EQ(Cells("", "configmaps", R"({})"), R"(["x",0,"10m"])");
  EXPECT_EQ(
      Cells("", "secrets", R"({"type":"kubernetes.io/tls","data":{"tls.crt":"","tls.key":""}})"),
      R"(["x","kubernetes.io/tls",2,"10m"])");
  EXPECT_EQ(Cells("", "secrets", R"({"data":{"a":"MQ=="},"stringData":{"a":"1","b":"2"}})"),
            R"(["x","Opaque",2,"10m"])");
  EXPECT_EQ(Cells("", "namespaces", R"({"status":{"phase":"Terminating"}})"),
            R"(["x","Terminating","10m"])");
  EXPECT_EQ(Cells("", "serviceaccounts", R"({"secrets":[{"name":"t"}]})"), R"(["x",1,"10m"])");
  EXPECT_EQ(Cells("coordination.k8s.io", "leases", R"({"spec":{"holderIdentity":"node-1"}})"),
            R"(["x","node-1","10m"])");
  EXPECT_EQ(Cells("coordination.k8s.io", "leases", R"({})"), R"(["x","","10m"])");
}

TEST(CoreTables, Nodes) {
  EXPECT_EQ(
      Cells("", "nodes", R"j({"metadata":{"name":"n1","labels":{
      "node-role.kubernetes.io/worker":"","node-role.kubernetes.io/control-plane":"",
      "kubernetes.io/role":"infra"}},"spec":{"unschedulable":true},
      "status":{"conditions":[{"type":"MemoryPressure","status":"False"},{"type":"Ready",
      "status":"True"}],
      "addresses":[{"type":"Hostname","address":"n1"},{"type":"InternalIP","address":"10.0.0.2"}],
      "nodeInfo":{"kubeletVersion":"v1.32.0","osImage":"Debian GNU/Linux 12 (bookworm)",
                  "kernelVersion":"6.1.0","containerRuntimeVersion":"containerd://1.7.0"}}})j"),
      R"(["n1","Ready,SchedulingDisabled","control-plane,infra,worker","10m","v1.32.0",)"
      R"j("10.0.0.2","<none>","Debian GNU/Linux 12 (bookworm)","6.1.0","containerd://1.7.0"])j");
  EXPECT_EQ(
      Cells("", "nodes", R"({"status":{"conditions":[{"type":"Ready","status":"Unknown"}]}})"),
      R"(["x","NotReady","<none>","10m","","<none>","<none>","<unknown>","<unknown>",)"
      R"("<unknown>"])");
  EXPECT_EQ(
      Cells("", "nodes", R"({})"),
      R"(["x","Unknown","<none>","10m","","<none>","<none>","<unknown>","<unknown>","<unknown>"])");
}

TEST(CoreTables, Events) {
  EXPECT_EQ(Cells("", "events", R"({"metadata":{"name":"web.17a"},"type":"Warning",
      "reason":"BackOff","message":"  Back-off restarting failed container\n",
      "involvedObject":{"kind":"Pod","name":"web","fieldPath":"spec.containers{web}"},
      "source":{"component":"kubelet","host":"node-1"},"count":7,
      "firstTimestamp":"2024-01-01T00:01:00Z","lastTimestamp":"2024-01-01T00:09:30Z"})"),
            R"(["30s","Warning","BackOff","pod/web","spec.containers{web}","kubelet, node-1",)"
            R"("Back-off restarting failed container","9m",7,"web.17a"])");
  // An events.k8s.io event: eventTime, the reporting controller, a series.
  EXPECT_EQ(Cells("", "events", R"({"type":"Normal","reason":"Scheduled","message":"ok",
      "involvedObject":{"kind":"Node"},"eventTime":"2024-01-01T00:02:00.000000Z",
      "reportingComponent":"default-scheduler",
      "series":{"count":4,"lastObservedTime":"2024-01-01T00:08:00.000000Z"}})"),
            R"(["2m","Normal","Scheduled","node","","default-scheduler","ok","8m",4,"x"])");
  EXPECT_EQ(Cells("", "events", R"({})"), R"(["<unknown>","","","","","","","<unknown>",1,"x"])");
}

TEST(CoreTables, ResourceQuotas) {
  EXPECT_EQ(Cells("", "resourcequotas", R"({"spec":{"hard":{"pods":"10"}},"status":{
      "hard":{"pods":"10","requests.cpu":"1000m","limits.memory":"2048Mi","limits.cpu":"2"},
      "used":{"pods":"3","requests.cpu":"500m","limits.memory":"1Gi"}}})"),
            R"(["x","pods: 3/10, requests.cpu: 500m/1","limits.cpu: 0/2, limits.memory: 1Gi/2Gi",)"
            R"("10m"])");
  EXPECT_EQ(Cells("", "resourcequotas", R"({"spec":{"hard":{"pods":"10"}}})"),
            R"(["x","","","10m"])");
}

TEST(NetworkingTables, Services) {
  EXPECT_EQ(
      Cells("", "services", R"({"spec":{"clusterIP":"10.96.0.10","clusterIPs":["10.96.0.10"],
      "ports":[{"port":53,"protocol":"UDP"},{"port":9153}],"selector":{"k8s-app":"dns",
      "app":"a"}}})"),
      R"(["x","ClusterIP","10.96.0.10","<none>","53/UDP,9153/TCP","10m","app=a,k8s-app=dns"])");
  EXPECT_EQ(Cells("", "services", R"({"spec":{"type":"NodePort","clusterIP":"10.96.1.1",
      "externalIPs":["1.2.3.4"],"ports":[{"port":80,"nodePort":30080,"protocol":"TCP"}]}})"),
            R"(["x","NodePort","10.96.1.1","1.2.3.4","80:30080/TCP","10m","<none>"])");
  EXPECT_EQ(Cells("", "services", R"({"spec":{"type":"LoadBalancer","ports":[{"port":443}]}})"),
            R"(["x","LoadBalancer","<none>","<pending>","443/TCP","10m","<none>"])");
  EXPECT_EQ(
      Cells("", "services", R"({"spec":{"type":"LoadBalancer","externalIPs":["9.9.9.9"]},
      "status":{"loadBalancer":{"ingress":[{"ip":"5.6.7.8"},{"hostname":"lb.example.com"},
      {"ip":"1.1.1.1"}]}}})"),
      R"(["x","LoadBalancer","<none>","1.1.1.1,5.6.7.8,lb.example.com,9.9.9.9","<none>","10m",)"
      R"("<none>"])");
  EXPECT_EQ(
      Cells("", "services", R"({"spec":{"type":"ExternalName","externalName":"db.example.com"}})"),
      R"(["x","ExternalName","<none>","db.example.com","<none>","10m","<none>"])");
  EXPECT_EQ(Cells("", "services", R"({"spec":{"clusterIP":"None","ports":[{"port":5432}]}})"),
            R"(["x","ClusterIP","None","<none>","5432/TCP","10m","<none>"])");
}

TEST(NetworkingTables, EndpointsAndSlices) {
  EXPECT_EQ(
      Cells("", "endpoints", R"({"subsets":[{"addresses":[{"ip":"10.0.0.1"},{"ip":"10.0.0.2"}],
      "ports":[{"name":"http","port":80},{"name":"https","port":443}]}]})"),
      R"(["x","10.0.0.1:80,10.0.0.2:80,10.0.0.1:443 + 1 more...","10m"])");
  EXPECT_EQ(
      Cells("", "endpoints", R"({"subsets":[{"addresses":[{"ip":"fd00::1"}],"ports":[{"port":80}]},
      {"addresses":[{"ip":"10.0.0.3"}]}]})"),
      R"(["x","[fd00::1]:80,10.0.0.3","10m"])");
  EXPECT_EQ(Cells("", "endpoints", R"({})"), R"(["x","<none>","10m"])");
  EXPECT_EQ(Cells("discovery.k8s.io", "endpointslices", R"({"addressType":"IPv4",
      "ports":[{"name":"http","port":80},{"name":"metrics"},{}],
      "endpoints":[{"addresses":["10.0.0.1"]},{"addresses":["10.0.0.2","10.0.0.3","10.0.0.4"]}]})"),
            R"(["x","IPv4","80,metrics,*","10.0.0.1,10.0.0.2,10.0.0.3 + 1 more...","10m"])");
  EXPECT_EQ(Cells("discovery.k8s.io", "endpointslices", R"({"addressType":"FQDN"})"),
            R"(["x","FQDN","<unset>","<unset>","10m"])");
}

TEST(NetworkingTables, IngressesClassesPolicies) {
  EXPECT_EQ(Cells("networking.k8s.io", "ingresses", R"({"spec":{"ingressClassName":"nginx",
      "rules":[{"host":"a.example.com"},{"host":"b.example.com"},{},{"host":"c.example.com"},
               {"host":"d.example.com"}],"tls":[{"hosts":["a.example.com"]}]},
      "status":{"loadBalancer":{"ingress":[{"ip":"192.168.1.20"},
      {"hostname":"lb.example.com"}]}}})"),
            R"(["x","nginx","a.example.com,b.example.com,c.example.com + 2 more...",)"
            R"("192.168.1.20,lb.example.com","80, 443","10m"])");
  EXPECT_EQ(Cells("networking.k8s.io", "ingresses", R"({"spec":{"rules":[{"http":{}}]}})"),
            R"(["x","<none>","*","","80","10m"])");
  EXPECT_EQ(
      Cells("networking.k8s.io", "ingressclasses", R"({"spec":{"controller":"k8s.io/ingress-nginx",
      "parameters":{"apiGroup":"k8s.example.com","kind":"IngressParameters",
      "name":"external-lb"}}})"),
      R"(["x","k8s.io/ingress-nginx","IngressParameters.k8s.example.com/external-lb","10m"])");
  EXPECT_EQ(Cells("networking.k8s.io", "ingressclasses", R"({"spec":{"controller":"c"}})"),
            R"(["x","c","<none>","10m"])");
  EXPECT_EQ(Cells("networking.k8s.io", "networkpolicies", R"({"spec":{"podSelector":{}}})"),
            R"(["x","<none>","10m"])");
  EXPECT_EQ(Cells("networking.k8s.io", "networkpolicies",
                  R"({"spec":{"podSelector":{"matchLabels":{"role":"db"}}}})"),
            R"(["x","role=db","10m"])");
}

TEST(StorageTables, VolumesClaimsClasses) {
  EXPECT_EQ(Cells("", "persistentvolumes", R"({"spec":{"capacity":{"storage":"1024Mi"},
      "accessModes":["ReadWriteMany","ReadWriteOnce"],"storageClassName":"manual",
      "claimRef":{"namespace":"default","name":"data"},"hostPath":{"path":"/d"}},
      "status":{"phase":"Bound"}})"),
            R"(["x","1Gi","RWO,RWX","Retain","Bound","default/data","manual","<unset>","","10m",)"
            R"("Filesystem"])");
  EXPECT_EQ(
      Cells("", "persistentvolumes", R"({"metadata":{"deletionTimestamp":"2024-01-01T00:09:00Z",
      "annotations":{"volume.beta.kubernetes.io/storage-class":"old"}},
      "spec":{"persistentVolumeReclaimPolicy":"Delete","volumeMode":"Block",
              "volumeAttributesClassName":"gold"},"status":{"phase":"Failed","reason":"x"}})"),
      R"(["x","0","","Delete","Terminating","","old","gold","x","10m","Block"])");
  EXPECT_EQ(Cells("", "persistentvolumeclaims", R"({"spec":{"accessModes":["ReadWriteOnce"],
      "resources":{"requests":{"storage":"1Gi"}}}})"),
            R"(["x","Pending","","","","","<unset>","10m","Filesystem"])");
  EXPECT_EQ(Cells("", "persistentvolumeclaims", R"({"spec":{"volumeName":"pv-1",
      "storageClassName":"standard","resources":{"requests":{"storage":"1Gi"}}},
      "status":{"phase":"Bound","accessModes":["ReadWriteOnce"],"capacity":{"storage":"2Gi"}}})"),
            R"(["x","Bound","pv-1","2Gi","RWO","standard","<unset>","10m","Filesystem"])");
  EXPECT_EQ(Cells("storage.k8s.io", "storageclasses", R"({"metadata":{"name":"standard",
      "annotations":{"storageclass.kubernetes.io/is-default-class":"true"}},
      "provisioner":"rancher.io/local-path","volumeBindingMode":"WaitForFirstConsumer",
      "allowVolumeExpansion":true})"),
            R"j(["standard (default)","rancher.io/local-path","Delete",)j"
            R"j("WaitForFirstConsumer",true,"10m"])j");
  EXPECT_EQ(
      Cells("storage.k8s.io", "storageclasses", R"({"provisioner":"p","reclaimPolicy":"Retain"})"),
      R"(["x","p","Retain","Immediate",false,"10m"])");
}

TEST(ClusterTables, BindingsPriorityClassesWebhooks) {
  EXPECT_EQ(Cells("rbac.authorization.k8s.io", "rolebindings", R"({
      "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"reader"},
      "subjects":[{"kind":"User","name":"jane"},{"kind":"User","name":"joe"},
                  {"kind":"Group","name":"devs"},
                  {"kind":"ServiceAccount","name":"ci","namespace":"tools"}]})"),
            R"(["x","Role/reader","10m","jane, joe","devs","tools/ci"])");
  EXPECT_EQ(Cells("rbac.authorization.k8s.io", "clusterrolebindings",
                  R"({"roleRef":{"kind":"ClusterRole","name":"view"}})"),
            R"(["x","ClusterRole/view","10m","","",""])");
  EXPECT_EQ(Cells("scheduling.k8s.io", "priorityclasses", R"({"value":1000000})"),
            R"(["x",1000000,false,"10m","PreemptLowerPriority"])");
  EXPECT_EQ(Cells("scheduling.k8s.io", "priorityclasses",
                  R"({"value":-5,"globalDefault":true,"preemptionPolicy":"Never"})"),
            R"(["x",-5,true,"10m","Never"])");
  EXPECT_EQ(Cells("admissionregistration.k8s.io", "validatingwebhookconfigurations",
                  R"({"webhooks":[{"name":"a.example.com"},{"name":"b.example.com"}]})"),
            R"(["x",2,"10m"])");
  EXPECT_EQ(Cells("admissionregistration.k8s.io", "mutatingwebhookconfigurations", R"({})"),
            R"(["x",0,"10m"])");
}

TEST(DefaultTable, NameAndCreationTimeInUtc) {
  EXPECT_EQ(
      Cells("rbac.authorization.k8s.io", "clusterroles",
            R"({"metadata":{"name":"view","creationTimestamp":"2024-01-01T02:00:00+02:00"}})"),
      R"(["view","2024-01-01T00:00:00Z"])");
  EXPECT_EQ(Cells("", "limitranges", R"({})"), R"(["x","2024-01-01T00:00:00Z"])");
  Json table = Table("apiextensions.k8s.io", "customresourcedefinitions", "{}");
  EXPECT_EQ(table.at("columnDefinitions").at(1).at("type").as_string(), "date");
}

}  // namespace
}  // namespace kstack::server
