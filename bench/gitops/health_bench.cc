// Health assessment throughput: objects per second for a realistic mix of 100,000 live objects
// (the goal is 100,000 objects/s), per kind, for a Lua check, and for an application's health
// over 1,000 resources.
//
//   build/bench/gitops/gitops_health_bench
//   build/bench/gitops/gitops_health_bench --benchmark_filter=Mixed

#include <benchmark/benchmark.h>
#include <fmt/core.h>

#include <string>
#include <vector>

#include "core/json.h"
#include "core/yaml.h"
#include "gitops/health/app_health.h"
#include "gitops/health/assess.h"
#include "gitops/health/lua_checks.h"

namespace kstack::gitops::health {
namespace {

Json Parse(const std::string& yaml) {
  Result<Json> value = ParseYaml(yaml);
  if (!value.ok()) {
    fmt::print(stderr, "bench input: {}\n", value.status().ToString());
    std::abort();
  }
  return std::move(*value);
}

// Objects as the API server returns them, with their full spec, in several states.
Json Deployment(int i) {
  return Parse(fmt::format(R"(
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-{0}
  namespace: team-{1}
  generation: {2}
  labels: {{app.kubernetes.io/name: web-{0}, app.kubernetes.io/part-of: shop}}
  annotations: {{deployment.kubernetes.io/revision: "{2}", argocd.argoproj.io/tracking-id: "shop:apps/Deployment:team-{1}/web-{0}"}}
spec:
  replicas: 3
  selector: {{matchLabels: {{app.kubernetes.io/name: web-{0}}}}}
  strategy: {{type: RollingUpdate, rollingUpdate: {{maxSurge: 25%, maxUnavailable: 25%}}}}
  template:
    metadata: {{labels: {{app.kubernetes.io/name: web-{0}}}}}
    spec:
      containers:
      - name: web
        image: registry.example.com/shop/web:1.{0}.3
        ports: [{{containerPort: 8080, name: http}}]
        resources: {{requests: {{cpu: 100m, memory: 128Mi}}, limits: {{memory: 256Mi}}}}
        readinessProbe: {{httpGet: {{path: /healthz, port: http}}, periodSeconds: 5}}
status:
  observedGeneration: {2}
  replicas: 3
  updatedReplicas: {3}
  readyReplicas: 3
  availableReplicas: 3
  conditions:
  - {{type: Available, status: "True", reason: MinimumReplicasAvailable, message: Deployment has minimum availability.}}
  - {{type: Progressing, status: "True", reason: NewReplicaSetAvailable, message: ReplicaSet "web-{0}-7d4b9c" has successfully progressed.}}
)",
                           i, i % 10, 1 + i % 4, i % 5 == 0 ? 2 : 3));
}

Json Pod(int i) {
  bool crashing = i % 7 == 0;
  return Parse(fmt::format(R"(
apiVersion: v1
kind: Pod
metadata:
  name: web-{0}-7d4b9c-x2x9z
  namespace: team-{1}
  labels: {{app.kubernetes.io/name: web-{0}, pod-template-hash: 7d4b9c}}
  ownerReferences: [{{apiVersion: apps/v1, kind: ReplicaSet, name: web-{0}-7d4b9c, uid: 5d0c3e8e-1f6b-4a3a-9a39-{0:012d}, controller: true}}]
spec:
  restartPolicy: Always
  nodeName: node-{1}
  containers:
  - name: web
    image: registry.example.com/shop/web:1.{0}.3
    ports: [{{containerPort: 8080, name: http}}]
status:
  phase: Running
  podIP: 10.244.{1}.{2}
  conditions:
  - {{type: Initialized, status: "True"}}
  - {{type: Ready, status: "{3}"}}
  - {{type: ContainersReady, status: "{3}"}}
  - {{type: PodScheduled, status: "True"}}
  containerStatuses:
  - name: web
    ready: {4}
    restartCount: {5}
    image: registry.example.com/shop/web:1.{0}.3
    state: {6}
)",
                           i, i % 10, i % 250, crashing ? "False" : "True",
                           crashing ? "false" : "true", crashing ? 6 : 0,
                           crashing
                               ? "{waiting: {reason: CrashLoopBackOff, message: back-off 5m0s}}"
                               : "{running: {startedAt: '2024-05-01T10:00:00Z'}}"));
}

Json Service(int i) {
  return Parse(fmt::format(R"(
apiVersion: v1
kind: Service
metadata: {{name: web-{0}, namespace: team-{1}}}
spec:
  type: {2}
  selector: {{app.kubernetes.io/name: web-{0}}}
  ports: [{{name: http, port: 80, targetPort: http}}]
status: {{loadBalancer: {{}}}}
)",
                           i, i % 10, i % 20 == 0 ? "LoadBalancer" : "ClusterIP"));
}

Json ReplicaSet(int i) {
  return Parse(fmt::format(R"(
apiVersion: apps/v1
kind: ReplicaSet
metadata: {{name: web-{0}-7d4b9c, namespace: team-{1}, generation: 1}}
spec:
  replicas: 3
  selector: {{matchLabels: {{app.kubernetes.io/name: web-{0}}}}}
  template: {{metadata: {{labels: {{app.kubernetes.io/name: web-{0}}}}}, spec: {{containers: [{{name: web, image: registry.example.com/shop/web:1.{0}.3}}]}}}}
status: {{observedGeneration: 1, replicas: 3, readyReplicas: 3, availableReplicas: 3, fullyLabeledReplicas: 3}}
)",
                           i, i % 10));
}

Json StatefulSet(int i) {
  return Parse(fmt::format(R"(
apiVersion: apps/v1
kind: StatefulSet
metadata: {{name: db-{0}, namespace: team-{1}, generation: 2}}
spec:
  replicas: 3
  serviceName: db-{0}
  updateStrategy: {{type: RollingUpdate}}
  selector: {{matchLabels: {{app: db-{0}}}}}
  template: {{metadata: {{labels: {{app: db-{0}}}}}, spec: {{containers: [{{name: db, image: postgres:16}}]}}}}
status: {{observedGeneration: 2, replicas: 3, readyReplicas: 3, currentReplicas: 3, updatedReplicas: 3, currentRevision: db-{0}-5c8f, updateRevision: db-{0}-5c8f}}
)",
                           i, i % 10));
}

Json Job(int i) {
  return Parse(fmt::format(R"(
apiVersion: batch/v1
kind: Job
metadata: {{name: migrate-{0}, namespace: team-{1}}}
spec: {{backoffLimit: 2, template: {{spec: {{restartPolicy: Never, containers: [{{name: migrate, image: registry.example.com/migrate:3}}]}}}}}}
status:
  startTime: '2024-05-01T10:00:00Z'
  conditions: [{{type: Complete, status: "True", reason: CompletionsReached, message: Reached expected number of succeeded pods}}]
)",
                           i, i % 10));
}

Json ConfigMap(int i) {
  return Parse(fmt::format(R"(
apiVersion: v1
kind: ConfigMap
metadata: {{name: settings-{0}, namespace: team-{1}}}
data: {{mode: fast, replicas: "3", log-level: info}}
)",
                           i, i % 10));
}

Json Certificate(int i) {
  return Parse(fmt::format(R"(
apiVersion: cert-manager.io/v1
kind: Certificate
metadata: {{name: tls-{0}, namespace: team-{1}}}
spec: {{secretName: tls-{0}, dnsNames: [shop-{0}.example.com], issuerRef: {{name: letsencrypt, kind: ClusterIssuer}}}}
status:
  conditions: [{{type: Ready, status: "True", reason: Ready, message: Certificate is up to date and has not expired}}]
)",
                           i, i % 10));
}

// 100,000 objects: per 10, 2 Deployments, 2 ReplicaSets, 3 Pods, a Service, a StatefulSet or a
// Job, and a ConfigMap (no check), much as an application's live tree looks.
const std::vector<Json>& Mixed() {
  static const std::vector<Json>* objects = [] {
    auto* out = new std::vector<Json>();
    out->reserve(100000);
    for (int i = 0; out->size() < 100000; ++i) {
      out->push_back(Deployment(2 * i));
      out->push_back(Deployment(2 * i + 1));
      out->push_back(ReplicaSet(2 * i));
      out->push_back(ReplicaSet(2 * i + 1));
      out->push_back(Pod(3 * i));
      out->push_back(Pod(3 * i + 1));
      out->push_back(Pod(3 * i + 2));
      out->push_back(Service(i));
      out->push_back(i % 2 == 0 ? StatefulSet(i) : Job(i));
      out->push_back(ConfigMap(i));
    }
    return out;
  }();
  return *objects;
}

void BM_AssessMixed(benchmark::State& state) {
  const std::vector<Json>& objects = Mixed();
  size_t healthy = 0;
  for (auto _ : state) {
    for (const Json& object : objects) {
      std::optional<HealthStatus> health = Assess(object);
      healthy += health && health->status == HealthCode::kHealthy;
    }
  }
  benchmark::DoNotOptimize(healthy);
  state.SetItemsProcessed(state.iterations() * objects.size());
  state.counters["objects"] = static_cast<double>(objects.size());
}
BENCHMARK(BM_AssessMixed)->Unit(benchmark::kMillisecond);

template <Json (*Make)(int)>
void BM_AssessKind(benchmark::State& state) {
  std::vector<Json> objects;
  for (int i = 0; i < 1000; ++i) objects.push_back(Make(i));
  for (auto _ : state) {
    for (const Json& object : objects) benchmark::DoNotOptimize(Assess(object));
  }
  state.SetItemsProcessed(state.iterations() * objects.size());
}
BENCHMARK(BM_AssessKind<Deployment>)->Name("BM_AssessKind/Deployment");
BENCHMARK(BM_AssessKind<Pod>)->Name("BM_AssessKind/Pod");
BENCHMARK(BM_AssessKind<Service>)->Name("BM_AssessKind/Service");
BENCHMARK(BM_AssessKind<StatefulSet>)->Name("BM_AssessKind/StatefulSet");

// A configured Lua check (the Certificate check of Argo CD's documentation, with the standard
// libraries closed): a fresh sandboxed state per object.
void BM_AssessLua(benchmark::State& state) {
  LuaHealthChecks lua;
  lua.Add("cert-manager.io/Certificate", R"(
hs = {}
if obj.status ~= nil and obj.status.conditions ~= nil then
  for i, condition in ipairs(obj.status.conditions) do
    if condition.type == "Ready" and condition.status == "False" then
      hs.status = "Degraded"
      hs.message = condition.message
      return hs
    end
    if condition.type == "Ready" and condition.status == "True" then
      hs.status = "Healthy"
      hs.message = condition.message
      return hs
    end
  end
end
hs.status = "Progressing"
hs.message = "Waiting for certificate"
return hs
)",
          false);
  std::vector<Json> objects;
  for (int i = 0; i < 100; ++i) objects.push_back(Certificate(i));
  AssessOptions options{.lua = &lua};
  for (auto _ : state) {
    for (const Json& object : objects) benchmark::DoNotOptimize(Assess(object, options));
  }
  state.SetItemsProcessed(state.iterations() * objects.size());
}
BENCHMARK(BM_AssessLua);

// An application of 1,000 resources, all live.
void BM_AppHealth(benchmark::State& state) {
  const std::vector<Json>& objects = Mixed();
  std::vector<ManagedResource> resources;
  for (size_t i = 0; i < 1000; ++i) {
    const Json& o = objects[i];
    std::string_view api_version = FindString(o, "apiVersion");
    size_t slash = api_version.find('/');
    const Json& metadata = *FindMember(o, "metadata");
    resources.push_back(
        {.group = slash == std::string_view::npos ? "" : api_version.substr(0, slash),
         .kind = FindString(o, "kind"),
         .namespace_name = FindString(metadata, "namespace"),
         .name = FindString(metadata, "name"),
         .live = &o,
         .target = &o});
  }
  for (auto _ : state) benchmark::DoNotOptimize(AssessAppHealth(resources));
  state.SetItemsProcessed(state.iterations() * resources.size());
}
BENCHMARK(BM_AppHealth)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace kstack::gitops::health

BENCHMARK_MAIN();
