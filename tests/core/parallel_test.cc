#include "core/parallel.h"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>
#include <utility>
#include <vector>

namespace kstack {
namespace {

using Ranges = std::set<std::pair<size_t, size_t>>;

Ranges RangesOf(const std::vector<size_t>& weights, size_t min_per_thread,
                std::set<std::thread::id>* threads = nullptr) {
  std::mutex mu;
  Ranges ranges;
  ForEachRange(weights, min_per_thread, [&](size_t begin, size_t end) {
    std::lock_guard<std::mutex> hold(mu);
    ranges.emplace(begin, end);
    if (threads) threads->insert(std::this_thread::get_id());
  });
  return ranges;
}

TEST(ForEachRange, CoversEveryIndexOnceInContiguousRanges) {
  std::vector<size_t> weights(1000, 1);
  Ranges ranges = RangesOf(weights, 1);
  size_t next = 0;
  for (auto [begin, end] : ranges) {
    EXPECT_EQ(begin, next);
    EXPECT_LT(begin, end);
    next = end;
  }
  EXPECT_EQ(next, weights.size());
  EXPECT_LE(ranges.size(), std::max(1u, std::thread::hardware_concurrency()));
}

TEST(ForEachRange, SmallWorkStaysOnTheCallingThread) {
  std::set<std::thread::id> threads;
  Ranges ranges = RangesOf(std::vector<size_t>(10, 5), 100, &threads);
  EXPECT_EQ(ranges, (Ranges{{0, 10}}));
  EXPECT_EQ(threads, (std::set<std::thread::id>{std::this_thread::get_id()}));
  EXPECT_TRUE(RangesOf({}, 1).empty());
}

TEST(ForEachRange, SplitsByWeight) {
  // One heavy item first: it makes a range of its own (on one core, all is one range).
  std::vector<size_t> weights = {1000, 1, 1, 1, 1, 1, 1, 1, 1, 1};
  Ranges ranges = RangesOf(weights, 10);
  bool one_core = std::thread::hardware_concurrency() < 2;
  EXPECT_EQ(*ranges.begin(), (std::pair<size_t, size_t>{0, one_core ? 10 : 1}));
}

}  // namespace
}  // namespace kstack
