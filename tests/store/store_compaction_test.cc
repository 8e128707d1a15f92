// Conformance: compaction bounds history; compacted revisions fail with Expired.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "tests/store/store_fixture.h"
#include "tests/store/watch_helpers.h"

namespace kstack::store::testing {
namespace {

class StoreCompactionTest : public StoreTest {};
KSTACK_STORE_CONFORMANCE(StoreCompactionTest);

TEST_P(StoreCompactionTest, CompactedRevisionsExpireNewerOnesStay) {
  auto a1 = store().Create("/c/a", "a1");
  auto b1 = store().Create("/c/b", "b1");
  auto a2 = store().Update("/c/a", "a2", a1->mod_revision);
  auto gone = store().Delete("/c/b", b1->mod_revision);
  auto d1 = store().Create("/c/d", "d1");
  int64_t compact_to = gone->revision;
  ASSERT_TRUE(store().Compact(compact_to).ok());
  EXPECT_EQ(store().CompactedRevision().value(), compact_to);

  EXPECT_EQ(store().Get("/c/a", a1->mod_revision).status().reason(), Reason::kExpired);
  EXPECT_EQ(store().List({.prefix = "/c/", .revision = a2->mod_revision}).status().reason(),
            Reason::kExpired);
  EXPECT_EQ(store().Watch({.prefix = "/c/", .after_revision = a2->mod_revision}).status().reason(),
            Reason::kExpired);

  // At and after the compacted revision everything reads as before.
  EXPECT_EQ(store().Get("/c/a", compact_to)->value, "a2");
  EXPECT_EQ(store().Get("/c/b", compact_to).status().reason(), Reason::kNotFound);
  auto listed = store().List({.prefix = "/c/", .revision = compact_to});
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->kvs.size(), 1u);
  EXPECT_EQ(listed->kvs[0], *a2);
  EXPECT_EQ(store().List({.prefix = "/c/"})->kvs.size(), 2u);
  auto w = store().Watch({.prefix = "/c/", .after_revision = compact_to});
  ASSERT_TRUE(w.ok());
  auto events = Collect(**w, 1);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]->kv, *d1);
}

TEST_P(StoreCompactionTest, EventsAfterCompactionKeepPreviousValues) {
  auto a1 = store().Create("/c/a", "a1");
  ASSERT_TRUE(store().Compact(a1->mod_revision).ok());
  auto a2 = store().Update("/c/a", "a2", a1->mod_revision);
  auto del = store().Delete("/c/a", a2->mod_revision);
  ASSERT_TRUE(store().Compact(a2->mod_revision).ok());
  auto w = store().Watch({.prefix = "/c/", .after_revision = a2->mod_revision});
  ASSERT_TRUE(w.ok());
  auto events = Collect(**w, 1);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]->type, Event::Type::kDeleted);
  EXPECT_EQ(events[0]->revision, del->revision);
  EXPECT_EQ(*events[0]->prev, *a2);
}

TEST_P(StoreCompactionTest, OldOrRepeatedCompactionIsANoOpFutureIsInvalid) {
  ASSERT_TRUE(store().Create("/c/a", "1").ok());
  ASSERT_TRUE(store().Create("/c/b", "1").ok());
  ASSERT_TRUE(store().Compact(2).ok());
  EXPECT_TRUE(store().Compact(1).ok());
  EXPECT_EQ(store().CompactedRevision().value(), 2);
  EXPECT_EQ(store().Compact(99).reason(), Reason::kInvalid);
}

TEST_P(StoreCompactionTest, HistoryOfManyUpdatesCompactsToLatest) {
  auto kv = store().Create("/c/hot", "0");
  for (int i = 1; i <= 300; ++i) {
    kv = store().Update("/c/hot", std::to_string(i), kv->mod_revision);
    ASSERT_TRUE(kv.ok());
  }
  ASSERT_TRUE(store().Compact(kv->mod_revision).ok());
  EXPECT_EQ(store().Get("/c/hot")->value, "300");
  EXPECT_EQ(store().Get("/c/hot", kv->mod_revision)->value, "300");
  EXPECT_EQ(store().Get("/c/hot", kv->mod_revision - 1).status().reason(), Reason::kExpired);
  ASSERT_TRUE(Reopen().ok());
  EXPECT_EQ(store().CompactedRevision().value(), kv->mod_revision);
  EXPECT_EQ(store().Get("/c/hot")->value, "300");
}

TEST_P(StoreCompactionTest, AutomaticCompactionKeepsAtMostMaxRevisions) {
  options_.compaction = {
      .max_revisions = 10, .max_age = std::chrono::hours(1), .interval = std::chrono::seconds(1)};
  ASSERT_TRUE(Reopen().ok());
  for (int i = 0; i < 40; ++i) {
    ASSERT_TRUE(store().Create(fmt::format("/c/{}", i), "v").ok());
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (store().CompactedRevision().value() < 30 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(store().CompactedRevision().value(), 30);
  EXPECT_EQ(store().Count("/c/").value(), 40);
}

}  // namespace
}  // namespace kstack::store::testing
