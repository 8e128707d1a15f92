// What managed fields cost a write: the Update recorded on a create and on a one-field change,
// and a server-side apply of an unchanged and of a changed Deployment with two managers.
//
//   build/bench/machinery/machinery_bench

#include <benchmark/benchmark.h>

#include "core/json.h"
#include "core/yaml.h"
#include "machinery/builtin_schemas.h"
#include "machinery/field_manager.h"

namespace kstack::machinery {
namespace {

Json Deployment(int replicas) {
  std::string text = R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: default
  labels: {app: web, tier: front}
spec:
  replicas: )" + std::to_string(replicas) +
                     R"(
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx:1.25
        ports:
        - {containerPort: 80}
        - {containerPort: 443}
        env:
        - {name: A, value: "1"}
        - {name: B, value: "2"}
        resources:
          requests: {cpu: 100m, memory: 64Mi}
      - name: sidecar
        image: envoy:1.30
)";
  return ParseYaml(text).value();
}

ManagerOptions Options(std::string manager) {
  return {.manager = std::move(manager),
          .api_version = "apps/v1",
          .now = "2026-01-01T00:00:00Z",
          .schema = BuiltinSchemaFor("apps", "v1", "Deployment"),
          .has_status = true};
}

void BM_RecordCreate(benchmark::State& state) {
  Json object = Deployment(2);
  ManagerOptions o = Options("kubectl-create");
  for (auto _ : state) {
    Json written = object;
    RecordUpdate(Json(), written, o);
    benchmark::DoNotOptimize(written);
  }
}
BENCHMARK(BM_RecordCreate);

void BM_RecordOneFieldUpdate(benchmark::State& state) {
  Json before = Deployment(2);
  RecordUpdate(Json(), before, Options("kubectl-create"));
  Json after = before;
  after.at("spec").as_object()["replicas"] = 3;
  ManagerOptions o = Options("kubectl-scale");
  for (auto _ : state) {
    Json written = after;
    RecordUpdate(before, written, o);
    benchmark::DoNotOptimize(written);
  }
}
BENCHMARK(BM_RecordOneFieldUpdate);

void BM_ApplyUnchanged(benchmark::State& state) {
  Json live = ServerSideApply(Json(), Deployment(2), Options("kubectl"), false).value();
  Json config = Deployment(2);
  ManagerOptions o = Options("kubectl");
  for (auto _ : state) {
    Result<Json> r = ServerSideApply(live, config, o, false);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_ApplyUnchanged);

void BM_ApplyChangedWithTwoManagers(benchmark::State& state) {
  Json live = ServerSideApply(Json(), Deployment(2), Options("kubectl"), false).value();
  live = ServerSideApply(live, Deployment(2), Options("other"), false).value();
  Json config = Deployment(3);
  ManagerOptions o = Options("kubectl");
  for (auto _ : state) {
    Result<Json> r = ServerSideApply(live, config, o, true);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_ApplyChangedWithTwoManagers);

}  // namespace
}  // namespace kstack::machinery

BENCHMARK_MAIN();
