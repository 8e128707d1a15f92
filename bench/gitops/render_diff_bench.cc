// The GitOps engine's goal: render an app of 1,000 resources from Git's files and diff it
// against the live copies, under 50 ms. The app is a directory source of 1,000 files of one
// object each in 10 folders (read with `directory.recurse`, as Argo CD reads it, from disk),
// compared with what the API server returns for each object (see app_fixture.h).
//
//   build/bench/gitops/gitops_render_diff_bench
//
// Figures: the whole (render + compare) in sync and with one resource in ten drifted, then the
// two halves alone; the fastest and the median of 30 runs, and the CPU time of a run summed
// over its threads (on an idle machine with C cores, the time is about CPU / C).

#include <benchmark/benchmark.h>
#include <fmt/core.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include "bench/gitops/app_fixture.h"
#include "gitops/diff/compare_app.h"
#include "render/directory.h"
#include "render/disk_tree.h"

namespace kstack::gitops {
namespace {

namespace fs = std::filesystem;

constexpr int kResources = 1000;
constexpr int kFolders = 10;

struct App {
  fs::path dir;
  std::unique_ptr<render::DiskTree> tree;
  std::vector<Json> live;
  std::vector<Json> drifted_live;  // one Deployment in ten scaled, one ConfigMap in ten edited
  ~App() { fs::remove_all(dir); }
};

const App& TheApp() {
  static const App* app = [] {
    auto* a = new App();
    a->dir = fs::temp_directory_path() / fmt::format("kstack-render-diff-bench-{}", ::getpid());
    fs::remove_all(a->dir);
    for (int i = 0; i < kResources; ++i) {
      fs::path file = a->dir / "app" / fmt::format("part-{}", i % kFolders) /
                      fmt::format("resource-{:04}.yaml", i);
      fs::create_directories(file.parent_path());
      std::ofstream(file) << bench::DesiredYaml(i);
      a->live.push_back(bench::LiveObject(bench::DesiredObject(i), "shop"));
      Json drifted = a->live.back();
      if (i % 10 == 3) {
        drifted.at("spec").as_object()["replicas"] = 9;
      } else if (i % 10 == 7) {
        drifted.at("data").as_object()["enabled"] = "false";
      }
      a->drifted_live.push_back(std::move(drifted));
    }
    a->tree = std::move(render::DiskTree::Open(a->dir).value());
    return a;
  }();
  return *app;
}

diff::AppCompareOptions Options() {
  diff::AppCompareOptions o;
  o.tracking = {
      .app = "shop", .method = diff::TrackingMethod::kLabel, .destination_namespace = "shop"};
  o.diff.render_text = false;  // as a controller compares: texts only when someone asks
  return o;
}

std::vector<Json> Render(const App& app) {
  Result<std::vector<render::RenderedObject>> rendered =
      render::RenderDirectory(*app.tree, "app", {.recurse = true});
  if (!rendered.ok() || rendered->size() != kResources) {
    fmt::print(stderr, "render: {}\n",
               rendered.ok() ? "wrong count" : rendered.status().ToString());
    std::abort();
  }
  std::vector<Json> objects;
  objects.reserve(rendered->size());
  for (render::RenderedObject& o : *rendered) objects.push_back(std::move(o.object));
  return objects;
}

// Render and compare; the number of resources out of sync.
size_t RenderAndCompare(const App& app, const std::vector<Json>& live) {
  std::vector<Json> desired = Render(app);
  Result<diff::AppComparison> got = diff::CompareApp(desired, live, Options());
  if (!got.ok() || got->resources.size() != kResources) {
    fmt::print(stderr, "compare: {}\n", got.ok() ? "wrong count" : got.status().ToString());
    std::abort();
  }
  size_t out_of_sync = 0;
  for (const diff::ResourceComparison& r : got->resources) {
    out_of_sync += r.status != diff::ResourceStatus::kSynced;
  }
  return out_of_sync;
}

void BM_RenderAndCompareInSync(benchmark::State& state) {
  const App& app = TheApp();
  for (auto _ : state) {
    if (RenderAndCompare(app, app.live) != 0) state.SkipWithError("expected all in sync");
  }
  state.counters["resources/s"] =
      benchmark::Counter(kResources, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_RenderAndCompareInSync)->Unit(benchmark::kMillisecond)->MinTime(2)->UseRealTime();

void BM_RenderAndCompareTenPercentDrifted(benchmark::State& state) {
  const App& app = TheApp();
  for (auto _ : state) {
    if (RenderAndCompare(app, app.drifted_live) != 200) state.SkipWithError("expected 200 drifted");
  }
  state.counters["resources/s"] =
      benchmark::Counter(kResources, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_RenderAndCompareTenPercentDrifted)
    ->Unit(benchmark::kMillisecond)
    ->MinTime(2)
    ->UseRealTime();

struct Timing {
  double fastest = 0, median = 0;
  double cpu = 0;  // mean CPU time of all threads, which a loaded machine does not inflate
};

double ProcessCpuMs() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto ms = [](const timeval& t) { return t.tv_sec * 1e3 + t.tv_usec / 1e3; };
  return ms(usage.ru_utime) + ms(usage.ru_stime);
}

// The fastest and median of `runs` runs of `f`, in milliseconds: on a shared machine the
// fastest is the figure least disturbed by other work.
template <typename F>
Timing Time(int runs, F f) {
  std::vector<double> took;
  double cpu_start = ProcessCpuMs();
  for (int i = 0; i < runs; ++i) {
    auto start = std::chrono::steady_clock::now();
    f();
    took.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
            .count());
  }
  double cpu = (ProcessCpuMs() - cpu_start) / runs;
  std::sort(took.begin(), took.end());
  return {.fastest = took.front(), .median = took[took.size() / 2], .cpu = cpu};
}

void PrintFigures() {
  const App& app = TheApp();
  Timing whole = Time(30, [&] { benchmark::DoNotOptimize(RenderAndCompare(app, app.live)); });
  Timing drifted =
      Time(30, [&] { benchmark::DoNotOptimize(RenderAndCompare(app, app.drifted_live)); });
  Timing render = Time(30, [&] { benchmark::DoNotOptimize(Render(app)); });
  std::vector<Json> desired = Render(app);
  Timing compare = Time(30, [&] {
    Result<diff::AppComparison> got = diff::CompareApp(desired, app.live, Options());
    benchmark::DoNotOptimize(got);
  });
  fmt::print("\nFigures (30 runs, {} cores; goal: render and diff 1,000 resources under 50 ms)\n",
             std::thread::hardware_concurrency());
  auto line = [](std::string_view what, Timing t) {
    fmt::print("  {:<44} fastest {:6.1f} ms   median {:6.1f} ms   CPU {:6.1f} ms\n", what,
               t.fastest, t.median, t.cpu);
  };
  line("render + diff, 1,000 resources in sync:", whole);
  line("render + diff, 200 of 1,000 out of sync:", drifted);
  line("render alone (1,000 files from disk):", render);
  line("diff alone (1,000 resources in sync):", compare);
}

}  // namespace
}  // namespace kstack::gitops

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  kstack::gitops::PrintFigures();
  return 0;
}
