// The delay from a write (the moment Create is called) to its event being taken out of each of
// 1,000 watchers by consumers driven by on_ready, as an event loop would be.

#include "bench/store/watch_latency.h"

#include <fmt/format.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "bench/store/bench_util.h"

namespace kstack::store::bench {

WatchLatency MeasureWatchLatency(Store& store, int watchers, int writes) {
  std::vector<Clock::time_point> written(writes);
  std::mutex mu;
  std::condition_variable cv;
  std::deque<int> ready;  // watchers with events, as an event loop's run queue
  std::vector<std::unique_ptr<Watcher>> ws;
  for (int i = 0; i < watchers; ++i) {
    auto w = store.Watch({.prefix = "/lat/", .on_ready = [&, i] {
                            {
                              std::lock_guard lock(mu);
                              ready.push_back(i);
                            }
                            cv.notify_one();
                          }});
    ws.push_back(std::move(*w));
  }
  std::atomic<bool> stop = false;
  std::mutex samples_mu;
  std::vector<double> samples;
  auto consume = [&] {
    std::vector<double> mine;
    while (true) {
      int i;
      {
        std::unique_lock lock(mu);
        cv.wait(lock, [&] { return stop || !ready.empty(); });
        if (ready.empty()) {
          break;
        }
        i = ready.front();
        ready.pop_front();
      }
      auto events = ws[i]->Next(std::chrono::milliseconds(0));
      auto now = Clock::now();
      if (!events.ok()) {
        continue;
      }
      for (const EventPtr& e : *events) {
        int n = std::stoi(e->kv.key.substr(5));
        mine.push_back(std::chrono::duration<double, std::milli>(now - written[n]).count());
      }
    }
    std::lock_guard lock(samples_mu);
    samples.insert(samples.end(), mine.begin(), mine.end());
  };
  std::vector<std::thread> consumers;
  for (int c = 0; c < 2; ++c) {
    consumers.emplace_back(consume);
  }
  for (int n = 0; n < writes; ++n) {
    written[n] = Clock::now();
    auto kv = store.Create(fmt::format("/lat/{}", n), std::string(300, 'x'));
    (void)kv;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  // Let the consumers drain, then stop them.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  {
    std::lock_guard lock(mu);
    stop = true;
  }
  cv.notify_all();
  for (auto& t : consumers) {
    t.join();
  }
  WatchLatency result;
  result.delivered = samples.size();
  result.p50_ms = Quantile(samples, 0.50);
  result.p99_ms = Quantile(samples, 0.99);
  result.max_ms = samples.empty() ? 0 : samples.back();
  return result;
}

}  // namespace kstack::store::bench
