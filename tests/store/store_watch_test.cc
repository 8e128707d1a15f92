// Conformance: watch events, replay from a revision, prefixes, slow watchers, close.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <atomic>

#include "tests/store/store_fixture.h"
#include "tests/store/watch_helpers.h"

namespace kstack::store::testing {
namespace {

class StoreWatchTest : public StoreTest {};
KSTACK_STORE_CONFORMANCE(StoreWatchTest);

TEST_P(StoreWatchTest, DeliversEveryEventInOrderWithPreviousValues) {
  auto w = store().Watch({.prefix = "/w/"});
  ASSERT_TRUE(w.ok());
  auto c = store().Create("/w/a", "1");
  auto u = store().Update("/w/a", "2", c->mod_revision);
  auto d = store().Delete("/w/a", u->mod_revision);
  auto events = Collect(**w, 3);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0]->type, Event::Type::kCreated);
  EXPECT_EQ(events[0]->kv, *c);
  EXPECT_FALSE(events[0]->prev.has_value());
  EXPECT_EQ(events[1]->type, Event::Type::kUpdated);
  EXPECT_EQ(events[1]->kv, *u);
  ASSERT_TRUE(events[1]->prev.has_value());
  EXPECT_EQ(*events[1]->prev, *c);
  EXPECT_EQ(events[2]->type, Event::Type::kDeleted);
  EXPECT_EQ(events[2]->revision, d->revision);
  EXPECT_EQ(events[2]->kv.key, "/w/a");
  EXPECT_EQ(events[2]->kv.mod_revision, d->revision);
  ASSERT_TRUE(events[2]->prev.has_value());
  EXPECT_EQ(*events[2]->prev, *u);
}

TEST_P(StoreWatchTest, FiltersByPrefix) {
  auto w = store().Watch({.prefix = "/w/"});
  ASSERT_TRUE(store().Create("/x/a", "1").ok());
  ASSERT_TRUE(store().Create("/wa", "1").ok());
  ASSERT_TRUE(store().Create("/w/b", "1").ok());
  auto events = Collect(**w, 1);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]->kv.key, "/w/b");
  EXPECT_TRUE((*w)->Next(std::chrono::milliseconds(20))->empty());
}

// The events after a revision, replayed whether they are still in memory or only on disk.
void ExpectReplay(Store& store) {
  std::vector<int64_t> revisions;
  for (int i = 0; i < 50; ++i) {
    auto kv = store.Create(fmt::format("/r/{}", i), "v");
    ASSERT_TRUE(kv.ok());
    revisions.push_back(kv->mod_revision);
    ASSERT_TRUE(store.Create(fmt::format("/other/{}", i), "v").ok());
  }
  auto first = store.Get("/r/10");
  ASSERT_TRUE(store.Update("/r/10", "v2", first->mod_revision).ok());
  auto w = store.Watch({.prefix = "/r/", .after_revision = revisions[4]});
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  ASSERT_TRUE(store.Create("/r/live", "v").ok());
  auto events = Collect(**w, 47);
  ASSERT_EQ(events.size(), 47u);
  for (size_t i = 0; i < 45; ++i) {
    EXPECT_EQ(events[i]->revision, revisions[i + 5]);
    EXPECT_EQ(events[i]->type, Event::Type::kCreated);
  }
  EXPECT_EQ(events[45]->type, Event::Type::kUpdated);
  ASSERT_TRUE(events[45]->prev.has_value());
  EXPECT_EQ(events[45]->prev->mod_revision, first->mod_revision);
  EXPECT_EQ(events[46]->kv.key, "/r/live");
  EXPECT_TRUE((*w)->Next(std::chrono::milliseconds(20))->empty());
}

TEST_P(StoreWatchTest, ReplaysFromRevisionInMemory) { ExpectReplay(store()); }

TEST_P(StoreWatchTest, ReplaysFromRevisionOnDisk) {
  options_.event_ring_capacity = 4;  // too small to hold the history
  ASSERT_TRUE(Reopen().ok());
  ExpectReplay(store());
}

TEST_P(StoreWatchTest, ReplaysAfterReopen) {
  auto a = store().Create("/r/a", "1");
  ASSERT_TRUE(store().Update("/r/a", "2", a->mod_revision).ok());
  ASSERT_TRUE(Reopen().ok());
  auto w = store().Watch({.prefix = "/r/", .after_revision = 0});
  ASSERT_TRUE(w.ok());
  auto events = Collect(**w, 2);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1]->prev->value, "1");
  EXPECT_EQ(events[1]->kv.value, "2");
}

TEST_P(StoreWatchTest, AcknowledgedWriteIsVisibleToALaterWatch) {
  for (int i = 0; i < 20; ++i) {
    auto kv = store().Create(fmt::format("/k/{}", i), "v");
    auto w = store().Watch({.prefix = "/k/", .after_revision = kv->mod_revision - 1});
    ASSERT_TRUE(w.ok());
    auto events = (*w)->Next(std::chrono::milliseconds(0));
    ASSERT_TRUE(events.ok());
    ASSERT_EQ(events->size(), 1u);
    EXPECT_EQ((*events)[0]->revision, kv->mod_revision);
  }
}

TEST_P(StoreWatchTest, SlowWatcherEndsWithGoneAndWritersGoOn) {
  auto slow = store().Watch({.prefix = "/s/", .queue_limit = 10});
  auto fast = store().Watch({.prefix = "/s/"});
  for (int i = 0; i < 50; ++i) {
    ASSERT_TRUE(store().Create(fmt::format("/s/{}", i), "v").ok());
  }
  auto ended = (*slow)->Next(std::chrono::milliseconds(0));
  EXPECT_EQ(ended.status().reason(), Reason::kGone) << ended.status().ToString();
  EXPECT_EQ((*slow)->Next(std::chrono::milliseconds(0)).status().reason(), Reason::kGone);
  EXPECT_EQ(Collect(**fast, 50).size(), 50u);
}

TEST_P(StoreWatchTest, OnReadyFiresWhenEventsArrive) {
  std::atomic<int> calls = 0;
  auto w = store().Watch({.prefix = "/n/", .on_ready = [&] { ++calls; }});
  ASSERT_TRUE(store().Create("/n/a", "v").ok());
  EXPECT_GE(calls.load(), 1);  // the write returns after its event was handed out
  EXPECT_EQ((*w)->Next(std::chrono::milliseconds(0))->size(), 1u);
}

TEST_P(StoreWatchTest, OnReadyFiresForTheFirstLiveEventAfterReplay) {
  auto first = store().Create("/n/a", "v");
  std::atomic<int> calls = 0;
  auto w = store().Watch(
      {.prefix = "/n/", .after_revision = first->mod_revision - 1, .on_ready = [&] { ++calls; }});
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(calls.load(), 0);  // the replay is ready without a call
  ASSERT_TRUE(store().Create("/n/b", "v").ok());
  ASSERT_TRUE(store().Create("/n/c", "v").ok());
  EXPECT_EQ(calls.load(), 1);  // once until the consumer drains
  EXPECT_EQ((*w)->Next(std::chrono::milliseconds(0))->size(), 3u);
  ASSERT_TRUE(store().Create("/n/d", "v").ok());
  EXPECT_EQ(calls.load(), 2);
}

TEST_P(StoreWatchTest, WatchEndsWhenStoreCloses) {
  auto w = store().Watch({.prefix = "/"});
  ASSERT_TRUE(w.ok());
  store_.reset();
  EXPECT_EQ((*w)->Next(std::chrono::milliseconds(100)).status().reason(), Reason::kUnavailable);
}

}  // namespace
}  // namespace kstack::store::testing
