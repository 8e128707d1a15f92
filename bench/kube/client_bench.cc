// Figures of kube::HttpClient and kube::Informer against a running API server, named by a
// kubeconfig: request latency and rate through the keep-alive pool, a LIST of 500 objects,
// the delay from a write to its watch event, and an informer's first sync of 500 objects.
//   client_bench KUBECONFIG
// It works in a namespace of its own, made and deleted by it. A plain main, not Google
// Benchmark: the figures are quantiles and rates of a server in another process.

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "kube/http_client.h"
#include "kube/informer.h"
#include "kube/kubeconfig.h"

namespace {

using namespace kstack;
using namespace kstack::kube;
using Clock = std::chrono::steady_clock;

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

double Quantile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[std::min(v.size() - 1, static_cast<size_t>(q * v.size()))];
}

Json ConfigMap(const std::string& ns, const std::string& name) {
  return Json{{"apiVersion", "v1"},
              {"kind", "ConfigMap"},
              {"metadata", {{"name", name}, {"namespace", ns}}},
              {"data", {{"key", std::string(200, 'x')}}}};
}

int Fail(const std::string& what, const Status& status) {
  std::fprintf(stderr, "client_bench: %s: %s\n", what.c_str(), status.ToString().c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: client_bench KUBECONFIG\n");
    return 2;
  }
  Result<Kubeconfig> kubeconfig = LoadKubeconfig(argv[1]);
  if (!kubeconfig.ok()) return Fail("kubeconfig", kubeconfig.status());
  Result<std::unique_ptr<HttpClient>> made = HttpClient::Create(kubeconfig->config);
  if (!made.ok()) return Fail("client", made.status());
  HttpClient& client = **made;

  const std::string ns = "kube-bench-" + std::to_string(getpid());
  ResourceRef namespaces{.version = "v1", .resource = "namespaces"};
  ResourceRef configmaps{.version = "v1", .resource = "configmaps", .namespace_name = ns};
  Json ns_object = {{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", ns}}}};
  if (Result<Json> r = client.Create(namespaces, ns_object); !r.ok()) {
    return Fail("create namespace", r.status());
  }

  constexpr int kObjects = 500;
  constexpr int kThreads = 8;
  std::atomic<int> failures{0};
  Clock::time_point begin = Clock::now();
  {
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int i = t; i < kObjects; i += kThreads) {
          if (!client.Create(configmaps, ConfigMap(ns, "cm-" + std::to_string(i))).ok()) {
            failures.fetch_add(1);
          }
        }
      });
    }
    for (std::thread& t : threads) t.join();
  }
  double create_s = std::chrono::duration<double>(Clock::now() - begin).count();
  std::printf("create  %d ConfigMaps, %d threads: %.0f/s\n", kObjects, kThreads,
              kObjects / create_s);

  std::vector<double> latencies;
  ResourceRef one = configmaps;
  one.name = "cm-7";
  for (int i = 0; i < 2000; ++i) {
    Clock::time_point t0 = Clock::now();
    if (!client.Get(one).ok()) failures.fetch_add(1);
    latencies.push_back(Ms(Clock::now() - t0));
  }
  std::printf("get     sequential, 1 connection: p50 %.3f ms, p99 %.3f ms\n",
              Quantile(latencies, 0.5), Quantile(latencies, 0.99));

  constexpr int kPerThread = 1000;
  begin = Clock::now();
  {
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&] {
        for (int i = 0; i < kPerThread; ++i) {
          if (!client.Get(one).ok()) failures.fetch_add(1);
        }
      });
    }
    for (std::thread& t : threads) t.join();
  }
  double get_s = std::chrono::duration<double>(Clock::now() - begin).count();
  std::printf("get     %d threads: %.0f requests/s (%lld connections opened in all)\n", kThreads,
              kThreads * kPerThread / get_s, static_cast<long long>(client.connections_opened()));

  latencies.clear();
  for (int i = 0; i < 20; ++i) {
    Clock::time_point t0 = Clock::now();
    Result<Json> list = client.List(configmaps);
    if (!list.ok()) failures.fetch_add(1);
    latencies.push_back(Ms(Clock::now() - t0));
  }
  std::printf("list    %d ConfigMaps: p50 %.2f ms\n", kObjects, Quantile(latencies, 0.5));

  Result<std::unique_ptr<WatchStream>> watch = client.Watch(
      configmaps, {.resource_version = std::string(FindString(
                       client.List(configmaps, {.limit = 1})->at("metadata"), "resourceVersion"))});
  if (!watch.ok()) return Fail("watch", watch.status());
  latencies.clear();
  for (int i = 0; i < 200; ++i) {
    Clock::time_point t0 = Clock::now();
    Json patch = {{"data", {{"n", std::to_string(i)}}}};
    if (!client.Patch(one, PatchType::kMerge, patch).ok()) failures.fetch_add(1);
    while (true) {
      Result<std::optional<WatchEvent>> event = (*watch)->Next(std::chrono::seconds(5));
      if (!event.ok() || !event->has_value()) {
        return Fail("watch event", event.ok() ? TimeoutError("none in 5 s") : event.status());
      }
      if ((*event)->type == WatchEvent::Type::kModified) break;
    }
    latencies.push_back(Ms(Clock::now() - t0));
  }
  std::printf("watch   write -> event: p50 %.3f ms, p99 %.3f ms\n", Quantile(latencies, 0.5),
              Quantile(latencies, 0.99));
  watch->reset();

  begin = Clock::now();
  {
    Informer informer(&client, {.type = configmaps});
    informer.Start();
    if (!informer.WaitForSync(std::chrono::seconds(30))) {
      return Fail("informer", informer.last_error());
    }
    std::printf("informer first sync of %zu objects: %.1f ms\n", informer.List().size(),
                Ms(Clock::now() - begin));
  }

  ResourceRef ns_ref = namespaces;
  ns_ref.name = ns;
  if (Result<Json> r = client.Delete(ns_ref); !r.ok()) return Fail("delete namespace", r.status());
  if (failures.load() != 0) {
    std::fprintf(stderr, "client_bench: %d requests failed\n", failures.load());
    return 1;
  }
  return 0;
}
