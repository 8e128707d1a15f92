// Template engine speed on argocd-example-apps' helm-guestbook chart (../shared/testdata):
// a Helm-style render (parse every template file, then execute each manifest) and execute-only
// (the deployment template, parsed once).

#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/yaml.h"
#include "template/template.h"

namespace kstack::tmpl {
namespace {

std::filesystem::path ChartDir() {
  return std::filesystem::path(KSTACK_SOURCE_DIR).parent_path() /
         "shared/testdata/argocd-example-apps/helm-guestbook";
}

std::string Read(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct Chart {
  std::vector<std::pair<std::string, std::string>> files;  // name, text
  Value data;
};

const Chart& Guestbook() {
  static const Chart chart = [] {
    Chart c;
    for (const char* f : {"_helpers.tpl", "deployment.yaml", "service.yaml"}) {
      c.files.emplace_back(std::string("helm-guestbook/templates/") + f,
                           Read(ChartDir() / "templates" / f));
    }
    Json values = ParseYaml(Read(ChartDir() / "values.yaml")).value();
    Map top;
    top.emplace("Values", FromJson(values, {.integers_as_float = true}));
    Map release;
    release.emplace("Name", Value::String("release-name"));
    release.emplace("Namespace", Value::String("default"));
    release.emplace("Service", Value::String("Helm"));
    top.emplace("Release", Value::MakeMap(std::move(release)));
    Map meta;
    meta.emplace("Name", Value::String("helm-guestbook"));
    meta.emplace("Version", Value::String("0.1.0"));
    meta.emplace("AppVersion", Value::String("1.0"));
    top.emplace("Chart", Value::MakeMap(std::move(meta)));
    c.data = Value::MakeMap(std::move(top));
    return c;
  }();
  return chart;
}

void BM_HelmStyleRender(benchmark::State& state) {
  const Chart& chart = Guestbook();
  ExecuteOptions options{.missing_key = MissingKey::kZero};
  size_t bytes = 0;
  for (auto _ : state) {
    Set set;
    for (const auto& [name, text] : chart.files) {
      if (!set.Parse(name, text).ok()) state.SkipWithError("parse failed");
    }
    for (size_t i = 1; i < chart.files.size(); ++i) {
      Result<std::string> out = set.Execute(chart.files[i].first, chart.data, options);
      if (!out.ok()) state.SkipWithError(out.status().message().c_str());
      bytes += out.ok() ? out->size() : 0;
    }
  }
  state.counters["renders/s"] = benchmark::Counter(static_cast<double>(state.iterations()),
                                                   benchmark::Counter::kIsRate);
  benchmark::DoNotOptimize(bytes);
}
BENCHMARK(BM_HelmStyleRender);

void BM_ParseChart(benchmark::State& state) {
  const Chart& chart = Guestbook();
  for (auto _ : state) {
    Set set;
    for (const auto& [name, text] : chart.files) {
      if (!set.Parse(name, text).ok()) state.SkipWithError("parse failed");
    }
    benchmark::DoNotOptimize(set);
  }
}
BENCHMARK(BM_ParseChart);

void BM_ExecuteDeployment(benchmark::State& state) {
  const Chart& chart = Guestbook();
  Set set;
  for (const auto& [name, text] : chart.files) {
    if (!set.Parse(name, text).ok()) state.SkipWithError("parse failed");
  }
  ExecuteOptions options{.missing_key = MissingKey::kZero};
  for (auto _ : state) {
    Result<std::string> out = set.Execute(chart.files[1].first, chart.data, options);
    if (!out.ok()) state.SkipWithError(out.status().message().c_str());
    benchmark::DoNotOptimize(out);
  }
}
BENCHMARK(BM_ExecuteDeployment);

}  // namespace
}  // namespace kstack::tmpl

BENCHMARK_MAIN();
