#include "core/parallel.h"

#include <algorithm>
#include <numeric>
#include <thread>
#include <vector>

namespace kstack {

void ForEachRange(std::span<const size_t> weights, size_t min_per_thread,
                  const std::function<void(size_t begin, size_t end)>& body) {
  if (weights.empty()) return;
  size_t total = std::accumulate(weights.begin(), weights.end(), size_t{0});
  size_t cores = std::max(1u, std::thread::hardware_concurrency());
  size_t ranges = std::min({cores, weights.size(), total / std::max<size_t>(1, min_per_thread)});
  if (ranges <= 1) {
    body(0, weights.size());
    return;
  }
  // Range boundaries where the running weight crosses each multiple of total / ranges.
  std::vector<size_t> ends;
  size_t per_range = total / ranges + 1, running = 0;
  for (size_t i = 0; i < weights.size(); ++i) {
    running += weights[i];
    if (running >= per_range * (ends.size() + 1) || i + 1 == weights.size()) ends.push_back(i + 1);
  }
  std::vector<std::thread> pool;
  pool.reserve(ends.size() - 1);
  for (size_t r = 1; r < ends.size(); ++r) pool.emplace_back(body, ends[r - 1], ends[r]);
  body(0, ends.front());
  for (std::thread& t : pool) t.join();
}

}  // namespace kstack
