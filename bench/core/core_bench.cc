// Throughput of the core readers and writers on a 10 MB multi-document stream of realistic
// Kubernetes manifests, and, in the same run, Python's C-accelerated YAML loader on the same
// bytes (yaml.CSafeLoader), as a ratio.
//
//   build/bench/core/core_bench            # all figures
//   build/bench/core/core_bench --benchmark_filter=Json

#include <benchmark/benchmark.h>
#include <fmt/core.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <boost/json/monotonic_resource.hpp>

#include "core/allocator.h"
#include "core/json.h"
#include "core/yaml.h"

namespace kstack {
namespace {

std::string Deployment(int i) {
  return fmt::format(R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-{0}
  namespace: team-{1}
  labels:
    app.kubernetes.io/name: web-{0}
    app.kubernetes.io/part-of: shop
    tier: frontend
  annotations:
    argocd.argoproj.io/sync-wave: "{2}"
    description: "The storefront web tier, replica set {0}, served behind the ingress"
spec:
  replicas: {3}
  revisionHistoryLimit: 3
  selector:
    matchLabels:
      app.kubernetes.io/name: web-{0}
  strategy:
    type: RollingUpdate
    rollingUpdate: {{maxSurge: 25%, maxUnavailable: 0}}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: web-{0}
    spec:
      serviceAccountName: web
      containers:
      - name: web
        image: registry.example.com/shop/web:1.{0}.3
        imagePullPolicy: IfNotPresent
        args: ["--port=8080", "--log-level=info", "--cache-size=256"]
        ports:
        - name: http
          containerPort: 8080
          protocol: TCP
        env:
        - name: DATABASE_URL
          valueFrom:
            secretKeyRef: {{name: db-{1}, key: url}}
        - name: FEATURE_FLAGS
          value: "checkout,search,recommendations"
        - name: WORKERS
          value: "4"
        resources:
          requests: {{cpu: 100m, memory: 128Mi}}
          limits: {{cpu: "1", memory: 512Mi}}
        readinessProbe:
          httpGet: {{path: /healthz, port: http}}
          initialDelaySeconds: 5
          periodSeconds: 10
        volumeMounts:
        - name: config
          mountPath: /etc/web
          readOnly: true
      volumes:
      - name: config
        configMap:
          name: web-{0}
---
apiVersion: v1
kind: Service
metadata:
  name: web-{0}
  namespace: team-{1}
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: web-{0}
  ports:
  - name: http
    port: 80
    targetPort: http
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: web-{0}
  namespace: team-{1}
data:
  enabled: "true"
  retries: "3"
  config.yaml: |
    server:
      port: 8080
      timeout: 30s
    cache:
      size: 256
      ttl: 5m
---
)",
                     i, i % 17, i % 5, 1 + i % 4);
}

const std::string& Stream() {
  static const std::string* text = [] {
    auto* s = new std::string();
    for (int i = 0; s->size() < 10'000'000; ++i) *s += Deployment(i);
    return s;
  }();
  return *text;
}

const std::vector<Json>& Documents() {
  static const auto* docs = new std::vector<Json>(ParseYamlStream(Stream()).value());
  return *docs;
}

const std::string& JsonText() {
  static const std::string* text = [] {
    auto* s = new std::string();
    for (const Json& d : Documents()) {
      AppendJson(s, d);
      s->push_back('\n');
    }
    return s;
  }();
  return *text;
}

void BM_YamlToValue(benchmark::State& state) {
  const std::string& text = Stream();
  for (auto _ : state) {
    auto docs = ParseYamlStream(text);
    if (!docs.ok()) state.SkipWithError(docs.status().message().c_str());
    benchmark::DoNotOptimize(docs);
    // Freeing the values is not reading them (Python's figure leaves it out too).
    state.PauseTiming();
    docs = std::vector<Json>();
    state.ResumeTiming();
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_YamlToValue)->Unit(benchmark::kMillisecond)->MinTime(2)->UseRealTime();

void BM_ValueToYaml(benchmark::State& state) {
  size_t bytes = 0;
  for (auto _ : state) {
    std::string out = WriteYamlStream(Documents());
    bytes += out.size();
    benchmark::DoNotOptimize(out);
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}
BENCHMARK(BM_ValueToYaml)->Unit(benchmark::kMillisecond)->MinTime(2)->UseRealTime();

void BM_JsonParse(benchmark::State& state) {
  const std::string& text = JsonText();
  for (auto _ : state) {
    auto docs = ParseJsonStream(text);
    if (!docs.ok()) state.SkipWithError(docs.status().message().c_str());
    benchmark::DoNotOptimize(docs);
    // Freeing the values is not reading them (Python's figure leaves it out too).
    state.PauseTiming();
    docs = std::vector<Json>();
    state.ResumeTiming();
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_JsonParse)->Unit(benchmark::kMillisecond)->MinTime(2)->UseRealTime();

// The same with the values allocated from one monotonic arena per stream, for callers that read
// many documents and drop them together.
void BM_JsonParseArena(benchmark::State& state) {
  const std::string& text = JsonText();
  for (auto _ : state) {
    auto arena = boost::json::make_shared_resource<boost::json::monotonic_resource>();
    auto docs = ParseJsonStream(text, "bench.json", arena);
    arena = {};
    if (!docs.ok()) state.SkipWithError(docs.status().message().c_str());
    benchmark::DoNotOptimize(docs);
    // Freeing the values is not reading them (Python's figure leaves it out too).
    state.PauseTiming();
    docs = std::vector<Json>();
    state.ResumeTiming();
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_JsonParseArena)->Unit(benchmark::kMillisecond)->MinTime(2)->UseRealTime();

void BM_JsonSerialize(benchmark::State& state) {
  size_t bytes = 0;
  for (auto _ : state) {
    std::string out;
    for (const Json& d : Documents()) AppendJson(&out, d);
    bytes += out.size();
    benchmark::DoNotOptimize(out);
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}
BENCHMARK(BM_JsonSerialize)->Unit(benchmark::kMillisecond)->MinTime(2)->UseRealTime();

// Remembers each benchmark's bytes per second for the summary.
class Reporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& run : runs) {
      auto it = run.counters.find("bytes_per_second");
      std::string name = run.benchmark_name();
      name = name.substr(0, name.find('/'));
      if (it != run.counters.end()) mb_per_s[name] = it->second.value / 1e6;
    }
    ConsoleReporter::ReportRuns(runs);
  }
  std::map<std::string, double> mb_per_s;
};

// Best of three runs of Python's yaml.load_all with CSafeLoader over the same bytes, in MB/s;
// 0 when python3-yaml's C loader is unavailable.
double PythonCLoaderMbPerS() {
  std::filesystem::path file = std::filesystem::temp_directory_path() / "kstack-core-bench.yaml";
  std::ofstream(file, std::ios::binary) << Stream();
  std::string cmd = fmt::format(
      "python3 -c 'import sys,time,yaml\n"
      "b=open(sys.argv[1]).read()\n"
      "best=min((lambda t:(list(yaml.load_all(b,Loader=yaml.CSafeLoader)),time.perf_counter()-t)[1])"
      "(time.perf_counter()) for _ in range(3))\n"
      "print(len(b.encode())/best/1e6)' {}",
      file.string());
  FILE* p = popen(cmd.c_str(), "r");
  double result = 0;
  if (p != nullptr) {
    if (fscanf(p, "%lf", &result) != 1) result = 0;
    pclose(p);
  }
  std::filesystem::remove(file);
  return result;
}

}  // namespace
}  // namespace kstack

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  kstack::TuneAllocatorForLargeTrees();  // as the kstack binary does at start
  kstack::Documents();  // build the inputs before timing
  kstack::JsonText();
  fmt::print("input: {:.1f} MB of YAML ({} documents), {:.1f} MB of JSON\n",
             kstack::Stream().size() / 1e6, kstack::Documents().size(),
             kstack::JsonText().size() / 1e6);
  kstack::Reporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  double python = kstack::PythonCLoaderMbPerS();
  fmt::print("\nsummary (MB/s)\n");
  for (const auto& [name, mb] : reporter.mb_per_s) fmt::print("  {:<20} {:8.1f}\n", name, mb);
  fmt::print("  {:<20} {:8.1f}\n", "python CSafeLoader", python);
  for (const char* name : {"BM_YamlToValue"}) {
    auto yaml = reporter.mb_per_s.find(name);
    if (python > 0 && yaml != reporter.mb_per_s.end()) {
      fmt::print("  {}: {:.1f}x Python's C loader (goal: 15x)\n", name, yaml->second / python);
    }
  }
  for (const char* name : {"BM_JsonParse", "BM_JsonParseArena"}) {
    auto json = reporter.mb_per_s.find(name);
    if (json != reporter.mb_per_s.end()) {
      fmt::print("  {}: {:.0f} MB/s (goal: 200 MB/s)\n", name, json->second);
    }
  }
  benchmark::Shutdown();
  return 0;
}
