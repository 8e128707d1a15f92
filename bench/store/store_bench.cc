// Prints the store's figures (issue 4): write throughput with 1 and 16 writers against raw
// SQLite, point reads, a list of 10,000 keys, write-to-event delay at 1,000 watchers, and
// resident memory as history grows past the compaction window.
//
//   store_bench [--quick] [raw|writes|reads|watch|memory]...   (default: every part)

#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <filesystem>
#include <thread>

#include "bench/store/bench_util.h"
#include "bench/store/watch_latency.h"
#include "store/open_store.h"

namespace kstack::store::bench {
namespace {

std::unique_ptr<Store> Open(const std::string& name) {
  auto store = OpenStore({.backend = "sqlite",
                          .data_dir = FreshDir(name),
                          .compaction = {.interval = std::chrono::seconds(0)}});
  if (!store.ok()) {
    std::fprintf(stderr, "%s\n", store.status().ToString().c_str());
    std::exit(1);
  }
  return std::move(*store);
}

// Runs `per_thread` operations on each of `threads` threads; returns operations per second.
template <typename Op>
double Throughput(int threads, int per_thread, Op op) {
  std::vector<std::thread> ts;
  auto start = Clock::now();
  for (int t = 0; t < threads; ++t) {
    ts.emplace_back([&, t] {
      for (int i = 0; i < per_thread; ++i) {
        op(t, i);
      }
    });
  }
  for (auto& th : ts) {
    th.join();
  }
  return threads * per_thread / Seconds(Clock::now() - start);
}

const std::string kValue(300, 'v');

void Must(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "%s failed\n", what);
    std::exit(1);
  }
}

void Writes(int scale) {
  for (int writers : {1, 16}) {
    auto store = Open(fmt::format("creates-{}", writers));
    int per = (writers == 1 ? 2000 : 1000) / scale;
    double creates = Throughput(writers, per, [&](int t, int i) {
      Must(store->Create(fmt::format("/registry/configmaps/ns{}/c{}", t, i), kValue).ok(),
           "create");
    });
    Print(fmt::format("store creates/s, {} writer(s)", writers), creates, "/s");
    std::vector<int64_t> revs(writers);
    for (int t = 0; t < writers; ++t) {
      revs[t] = store->Create(fmt::format("/registry/hot/{}", t), kValue)->mod_revision;
    }
    double updates = Throughput(writers, per, [&](int t, int) {
      auto kv = store->Update(fmt::format("/registry/hot/{}", t), kValue, revs[t]);
      Must(kv.ok(), "update");
      revs[t] = kv->mod_revision;
    });
    Print(fmt::format("store guarded updates/s, {} writer(s)", writers), updates, "/s");
  }
}

void Reads(int scale) {
  auto store = Open("reads");
  constexpr int kKeys = 10000;
  std::vector<std::thread> loaders;
  for (int t = 0; t < 16; ++t) {
    loaders.emplace_back([&, t] {
      for (int i = t; i < kKeys; i += 16) {
        Must(store->Create(fmt::format("/registry/configmaps/default/cm-{:05d}", i), kValue).ok(),
             "load");
      }
    });
  }
  for (auto& th : loaders) {
    th.join();
  }
  for (int threads : {1, 2}) {
    double reads = Throughput(threads, 200000 / scale, [&](int t, int i) {
      int k = static_cast<int>((i * 7919L + t * 104729L) % kKeys);
      Must(store->Get(fmt::format("/registry/configmaps/default/cm-{:05d}", k)).ok(), "get");
    });
    Print(fmt::format("store point reads/s, {} reader thread(s)", threads), reads, "/s");
  }
  int rounds = 20 / scale;
  auto start = Clock::now();
  for (int r = 0; r < rounds; ++r) {
    auto listed = store->List({.prefix = "/registry/configmaps/"});
    Must(listed.ok() && listed->kvs.size() == kKeys, "list");
  }
  Print("store list of 10,000 keys (one call)", Seconds(Clock::now() - start) / rounds * 1000,
        "ms");
  start = Clock::now();
  for (int r = 0; r < rounds; ++r) {
    ListOptions options{.prefix = "/registry/configmaps/", .limit = 500};
    size_t total = 0;
    while (true) {
      auto page = store->List(options);
      Must(page.ok(), "page");
      total += page->kvs.size();
      if (page->continue_token.empty()) {
        break;
      }
      options.continue_token = page->continue_token;
    }
    Must(total == kKeys, "pages");
  }
  Print("store list of 10,000 keys (pages of 500)", Seconds(Clock::now() - start) / rounds * 1000,
        "ms");
}

// Resident memory of this process, in MiB.
double ResidentMiB() {
  long pages_total = 0;
  long pages_resident = 0;
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  if (f == nullptr || std::fscanf(f, "%ld %ld", &pages_total, &pages_resident) != 2) {
    std::fprintf(stderr, "cannot read /proc/self/statm\n");
    std::exit(1);
  }
  std::fclose(f);
  return static_cast<double>(pages_resident) * sysconf(_SC_PAGESIZE) / (1024.0 * 1024.0);
}

// Updates the same 1,024 keys over and over with compaction running, far past the compaction
// window, and prints resident memory as history grows: it should level off once the window
// (and the event ring) is full, instead of growing with the number of writes.
void Memory(int scale) {
  constexpr int kKeys = 1024;  // a multiple of kThreads
  constexpr int kThreads = 16;
  constexpr int64_t kWindow = 5000;
  auto store =
      OpenStore({.backend = "sqlite",
                 .data_dir = FreshDir("memory"),
                 .compaction = {.max_revisions = kWindow, .interval = std::chrono::seconds(1)}});
  Must(store.ok(), "open");
  std::vector<int64_t> revs(kKeys);
  for (int k = 0; k < kKeys; ++k) {
    revs[k] =
        (*store)->Create(fmt::format("/registry/configmaps/mem/k{:04d}", k), kValue)->mod_revision;
  }
  int64_t written = 0;
  for (int64_t stage : {40000, 80000, 120000, 160000, 200000, 240000}) {
    int64_t per_thread = (stage / scale - written) / kThreads;
    Throughput(kThreads, static_cast<int>(per_thread), [&](int t, int i) {
      // Thread t owns the keys k with k % kThreads == t, so its guards never conflict.
      int k = (t + i * kThreads) % kKeys;
      auto kv =
          (*store)->Update(fmt::format("/registry/configmaps/mem/k{:04d}", k), kValue, revs[k]);
      Must(kv.ok(), "update");
      revs[k] = kv->mod_revision;
    });
    written += per_thread * kThreads;
    // Let the compactor catch up, so each figure is taken at the same point of its cycle.
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    int64_t current = (*store)->CurrentRevision().value();
    int64_t kept = current - (*store)->CompactedRevision().value();
    Print(fmt::format("resident memory after {}k updates of 1,024 keys ({} revs kept)",
                      written / 1000, kept),
          ResidentMiB(), "MiB");
  }
}

void Watches(int scale) {
  auto store = Open("watch");
  WatchLatency l = MeasureWatchLatency(*store, 1000, 300 / scale);
  Print("write->event delay, 1,000 watchers, p50", l.p50_ms, "ms");
  Print("write->event delay, 1,000 watchers, p99", l.p99_ms, "ms");
  Print(fmt::format("  ({} deliveries, max {:.2f} ms)", l.delivered, l.max_ms), 0, "");
}

}  // namespace
}  // namespace kstack::store::bench

int main(int argc, char** argv) {
  using namespace kstack::store::bench;
  int scale = 1;
  std::vector<std::string> parts;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--quick") == 0) {
      scale = 10;
    } else {
      parts.push_back(argv[i]);
    }
  }
  auto run = [&](const char* part) {
    return parts.empty() || std::find(parts.begin(), parts.end(), part) != parts.end();
  };
  if (run("raw")) {
    Print("raw SQLite inserts/s, one commit per insert (WAL, FULL)",
          RawSqliteOneCommitPerInsert(FreshDir("raw-each"), 3000 / scale), "/s");
    Print("raw SQLite inserts/s, all in one transaction (WAL, FULL)",
          RawSqliteOneTransaction(FreshDir("raw-one"), 200000 / scale), "/s");
  }
  if (run("writes")) {
    Writes(scale);
  }
  if (run("reads")) {
    Reads(scale);
  }
  if (run("watch")) {
    Watches(scale);
  }
  if (run("memory")) {
    Memory(scale);
  }
  std::filesystem::remove_all("/tmp/kstack-store-bench");
  return 0;
}
