// Conformance: concurrent writers.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "tests/store/store_fixture.h"
#include "tests/store/watch_helpers.h"

namespace kstack::store::testing {
namespace {

class StoreConcurrencyTest : public StoreTest {};
KSTACK_STORE_CONFORMANCE(StoreConcurrencyTest);

constexpr int kThreads = 16;

// Runs `body(i)` on kThreads threads released at the same moment.
template <typename F>
void Race(F body) {
  std::atomic<bool> go = false;
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      while (!go) {
        std::this_thread::yield();
      }
      body(i);
    });
  }
  go = true;
  for (auto& t : threads) {
    t.join();
  }
}

TEST_P(StoreConcurrencyTest, RacingGuardedUpdatesExactlyOneWins) {
  for (int round = 0; round < 5; ++round) {
    std::string key = fmt::format("/race/{}", round);
    auto base = store().Create(key, "base");
    std::atomic<int> wins = 0;
    std::atomic<int> conflicts = 0;
    Race([&](int i) {
      auto r = store().Update(key, fmt::format("w{}", i), base->mod_revision);
      if (r.ok()) {
        ++wins;
      } else if (r.status().reason() == Reason::kConflict) {
        ++conflicts;
      }
    });
    EXPECT_EQ(wins.load(), 1);
    EXPECT_EQ(conflicts.load(), kThreads - 1);
  }
}

TEST_P(StoreConcurrencyTest, RacingCreatesExactlyOneWins) {
  std::atomic<int> wins = 0;
  std::atomic<int> exists = 0;
  Race([&](int i) {
    auto r = store().Create("/race/create", fmt::format("w{}", i));
    if (r.ok()) {
      ++wins;
    } else if (r.status().reason() == Reason::kAlreadyExists) {
      ++exists;
    }
  });
  EXPECT_EQ(wins.load(), 1);
  EXPECT_EQ(exists.load(), kThreads - 1);
}

TEST_P(StoreConcurrencyTest, RacingDeletesExactlyOneWins) {
  auto base = store().Create("/race/delete", "v");
  std::atomic<int> wins = 0;
  Race([&](int) {
    if (store().Delete("/race/delete", base->mod_revision).ok()) {
      ++wins;
    }
  });
  EXPECT_EQ(wins.load(), 1);
}

// Concurrent writes get distinct revisions, and a watcher sees them all in revision order.
TEST_P(StoreConcurrencyTest, ConcurrentWritesGetDistinctOrderedRevisions) {
  constexpr int kPerThread = 20;
  auto w = store().Watch({.prefix = "/many/", .queue_limit = 100000});
  std::mutex mu;
  std::set<int64_t> revisions;
  Race([&](int i) {
    for (int j = 0; j < kPerThread; ++j) {
      auto kv = store().Create(fmt::format("/many/{}/{}", i, j), "v");
      ASSERT_TRUE(kv.ok());
      std::lock_guard lock(mu);
      EXPECT_TRUE(revisions.insert(kv->mod_revision).second);
    }
  });
  ASSERT_EQ(revisions.size(), static_cast<size_t>(kThreads * kPerThread));
  EXPECT_EQ(*revisions.rbegin(), store().CurrentRevision().value());
  auto events = Collect(**w, kThreads * kPerThread);
  ASSERT_EQ(events.size(), revisions.size());
  EXPECT_TRUE(std::is_sorted(events.begin(), events.end(), [](const auto& a, const auto& b) {
    return a->revision < b->revision;
  }));
  EXPECT_EQ(store().Count("/many/").value(), kThreads * kPerThread);
}

}  // namespace
}  // namespace kstack::store::testing
