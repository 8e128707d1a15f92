// Rendering a directory source of 1,000 resources (the app size of the GitOps engine's goal:
// render and diff 1,000 resources in under 50 ms), read as Argo CD reads it:
//
//   Files/Disk          1,000 files of one object each, on disk (10 folders, recurse)
//   Files/Memory        the same files from a MemoryTree: parsing without the file system
//   OneFile/Disk        one multi-document file of 1,000 objects
//   Globs/Disk          the 1,000 files with an include and an exclude glob
//   Jsonnet/Memory      one Jsonnet file generating 1,000 objects
//   JsonnetOne/Memory   one Jsonnet file of one object: the fixed cost of a Jsonnet file
//
//   build/bench/render/render_bench

#include <benchmark/benchmark.h>
#include <fmt/core.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "render/directory.h"
#include "render/disk_tree.h"
#include "render/memory_tree.h"

namespace kstack::render {
namespace {

namespace fs = std::filesystem;

constexpr int kObjects = 1000;
constexpr int kFolders = 10;

// A Deployment or a Service of a typical size (about 1 KB and 300 bytes).
std::string Resource(int i) {
  if (i % 2 == 1) {
    return fmt::format(R"(apiVersion: v1
kind: Service
metadata:
  name: web-{0}
  labels:
    app.kubernetes.io/name: web-{0}
spec:
  selector:
    app.kubernetes.io/name: web-{0}
  ports:
  - name: http
    port: 80
    targetPort: 8080
)",
                       i);
  }
  return fmt::format(R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-{0}
  labels:
    app.kubernetes.io/name: web-{0}
    app.kubernetes.io/part-of: shop
  annotations:
    argocd.argoproj.io/sync-wave: "{1}"
spec:
  replicas: 3
  revisionHistoryLimit: 3
  selector:
    matchLabels:
      app.kubernetes.io/name: web-{0}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: web-{0}
    spec:
      containers:
      - name: web
        image: registry.example.com/shop/web:1.{0}.3
        args: ["--port=8080", "--log-level=info"]
        ports:
        - containerPort: 8080
          name: http
        resources:
          requests: {{cpu: 100m, memory: 128Mi}}
          limits: {{cpu: "1", memory: 512Mi}}
        readinessProbe:
          httpGet: {{path: /healthz, port: http}}
          periodSeconds: 5
        env:
        - name: SHOP_REGION
          value: eu-west-{1}
)",
                     i, i % 5);
}

std::string FilePath(int i) { return fmt::format("app/team-{}/res-{:04}.yaml", i % kFolders, i); }

// Names are joined with '+': libjsonnet's '%' formatting is written in Jsonnet and costs about
// 1.5 ms a call, which would dwarf everything else.
const char* kJsonnet = R"(
local deployment(i) = {
  local name = 'web-' + i,
  apiVersion: 'apps/v1', kind: 'Deployment',
  metadata: { name: name, labels: { 'app.kubernetes.io/name': name } },
  spec: {
    replicas: 3,
    selector: { matchLabels: { 'app.kubernetes.io/name': name } },
    template: {
      metadata: { labels: { 'app.kubernetes.io/name': name } },
      spec: { containers: [{ name: 'web', image: 'registry.example.com/shop/web:1.' + i + '.3',
                             ports: [{ containerPort: 8080, name: 'http' }] }] },
    },
  },
};
local service(i) = {
  apiVersion: 'v1', kind: 'Service',
  metadata: { name: 'web-' + i },
  spec: { selector: { 'app.kubernetes.io/name': 'web-' + i },
          ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
};
[if i % 2 == 0 then deployment(i) else service(i) for i in std.range(0, 999)]
)";

class Fixture {
 public:
  Fixture() {
    dir_ = fs::temp_directory_path() / fmt::format("kstack-render-bench-{}", ::getpid());
    fs::remove_all(dir_);
    std::string all;
    for (int i = 0; i < kObjects; ++i) {
      std::string text = Resource(i);
      fs::create_directories((dir_ / "files" / FilePath(i)).parent_path());
      std::ofstream(dir_ / "files" / FilePath(i)) << text;
      memory_.AddFile(FilePath(i), text);
      bytes_ += text.size();
      all += "---\n" + text;
    }
    fs::create_directories(dir_ / "onefile/app");
    std::ofstream(dir_ / "onefile/app/all.yaml") << all;
    memory_.AddFile("jsonnet/main.jsonnet", kJsonnet);
    memory_.AddFile("jsonnet-one/main.jsonnet",
                    "{apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'one'}}");
    files_ = std::move(*DiskTree::Open(dir_ / "files"));
    onefile_ = std::move(*DiskTree::Open(dir_ / "onefile"));
  }
  ~Fixture() { fs::remove_all(dir_); }

  const FileTree& files() const { return *files_; }
  const FileTree& onefile() const { return *onefile_; }
  const FileTree& memory() const { return memory_; }
  size_t bytes() const { return bytes_; }

 private:
  fs::path dir_;
  MemoryTree memory_;
  std::unique_ptr<DiskTree> files_, onefile_;
  size_t bytes_ = 0;
};

Fixture& Data() {
  static Fixture* fixture = new Fixture();
  return *fixture;
}

void Run(benchmark::State& state, const FileTree& tree, std::string_view path,
         const DirectoryOptions& options, size_t want) {
  for (auto _ : state) {
    Result<std::vector<RenderedObject>> got = RenderDirectory(tree, path, options);
    if (!got.ok() || got->size() != want) {
      state.SkipWithError(got.ok() ? "wrong number of objects" : got.status().message().c_str());
      return;
    }
    benchmark::DoNotOptimize(got);
  }
  state.SetItemsProcessed(state.iterations() * want);
}

void BM_Files_Disk(benchmark::State& state) {
  Run(state, Data().files(), "app", {.recurse = true}, kObjects);
  state.SetBytesProcessed(state.iterations() * Data().bytes());
}
void BM_Files_Memory(benchmark::State& state) {
  Run(state, Data().memory(), "app", {.recurse = true}, kObjects);
  state.SetBytesProcessed(state.iterations() * Data().bytes());
}
void BM_OneFile_Disk(benchmark::State& state) {
  Run(state, Data().onefile(), "app", {}, kObjects);
  state.SetBytesProcessed(state.iterations() * Data().bytes());
}
void BM_Globs_Disk(benchmark::State& state) {
  // Every file but those of team-9.
  Run(state, Data().files(), "app",
      {.recurse = true, .include = "{team-*/*.yaml,*.yml}", .exclude = "team-9/*"},
      kObjects - kObjects / kFolders);
}
void BM_Jsonnet_Memory(benchmark::State& state) {
  Run(state, Data().memory(), "jsonnet", {}, kObjects);
}

void BM_JsonnetOne_Memory(benchmark::State& state) {
  Run(state, Data().memory(), "jsonnet-one", {}, 1);
}

BENCHMARK(BM_Files_Disk)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Files_Memory)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_OneFile_Disk)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Globs_Disk)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Jsonnet_Memory)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_JsonnetOne_Memory)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace kstack::render

BENCHMARK_MAIN();
