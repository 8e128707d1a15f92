#pragma once

// Creating many objects at once as Kubernetes' controllers do ("slow start"): batches of 1, 2,
// 4, ... run in parallel (at most `max_width` threads), and the first batch with a failure ends
// the run, so a controller that cannot create one pod does not hammer the API with all of
// them. Parallel writes share the store's group commit. Thread-safe if `create` is.

#include <algorithm>
#include <atomic>
#include <functional>
#include <thread>
#include <vector>

#include "core/status.h"

namespace kstack::server::workloads {

// Calls create(i) for i in [0, count) in growing parallel batches. Returns how many succeeded
// and the first error (Ok when none).
inline std::pair<size_t, Status> SlowStart(size_t count, size_t max_width,
                                           const std::function<Status(size_t)>& create) {
  size_t done = 0, ok = 0;
  size_t batch = 1;
  while (done < count) {
    size_t width = std::min({batch, count - done, max_width});
    std::vector<Status> results(width);
    if (width == 1) {
      results[0] = create(done);
    } else {
      std::vector<std::thread> threads;
      threads.reserve(width);
      for (size_t i = 0; i < width; ++i) {
        threads.emplace_back([&, i] { results[i] = create(done + i); });
      }
      for (std::thread& t : threads) t.join();
    }
    done += width;
    for (const Status& s : results) {
      if (!s.ok()) return {ok, s};
      ++ok;
    }
    batch *= 2;
  }
  return {ok, Status::Ok()};
}

}  // namespace kstack::server::workloads
