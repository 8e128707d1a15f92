// Conformance: get, create, update, delete, revisions.

#include <gtest/gtest.h>

#include "tests/store/store_fixture.h"

namespace kstack::store::testing {
namespace {

class StoreCrudTest : public StoreTest {};
KSTACK_STORE_CONFORMANCE(StoreCrudTest);

TEST_P(StoreCrudTest, CreateThenGet) {
  auto created = store().Create("/registry/configmaps/default/a", "v1");
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_GT(created->mod_revision, 0);
  EXPECT_EQ(created->create_revision, created->mod_revision);
  auto got = store().Get("/registry/configmaps/default/a");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(*got, *created);
  EXPECT_EQ(got->value, "v1");
  EXPECT_EQ(store().CurrentRevision().value(), created->mod_revision);
}

TEST_P(StoreCrudTest, CreateExistingFailsAlreadyExists) {
  ASSERT_TRUE(store().Create("/k", "v").ok());
  auto again = store().Create("/k", "w");
  EXPECT_EQ(again.status().reason(), Reason::kAlreadyExists);
  EXPECT_EQ(store().Get("/k")->value, "v");
}

TEST_P(StoreCrudTest, GetMissingFailsNotFound) {
  EXPECT_EQ(store().Get("/nope").status().reason(), Reason::kNotFound);
}

TEST_P(StoreCrudTest, GuardedUpdate) {
  auto created = store().Create("/k", "v1");
  auto updated = store().Update("/k", "v2", created->mod_revision);
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  EXPECT_GT(updated->mod_revision, created->mod_revision);
  EXPECT_EQ(updated->create_revision, created->create_revision);
  auto stale = store().Update("/k", "v3", created->mod_revision);
  EXPECT_EQ(stale.status().reason(), Reason::kConflict);
  EXPECT_EQ(store().Get("/k")->value, "v2");
  auto any = store().Update("/k", "v4", 0);
  ASSERT_TRUE(any.ok());
  EXPECT_EQ(store().Get("/k")->value, "v4");
}

TEST_P(StoreCrudTest, UpdateMissingFailsNotFound) {
  EXPECT_EQ(store().Update("/k", "v", 1).status().reason(), Reason::kNotFound);
  EXPECT_EQ(store().Update("/k", "v", 0).status().reason(), Reason::kNotFound);
}

TEST_P(StoreCrudTest, GuardedDelete) {
  auto created = store().Create("/k", "v1");
  auto updated = store().Update("/k", "v2", created->mod_revision);
  EXPECT_EQ(store().Delete("/k", created->mod_revision).status().reason(), Reason::kConflict);
  auto deleted = store().Delete("/k", updated->mod_revision);
  ASSERT_TRUE(deleted.ok()) << deleted.status().ToString();
  EXPECT_GT(deleted->revision, updated->mod_revision);
  EXPECT_EQ(deleted->last, *updated);
  EXPECT_EQ(store().Get("/k").status().reason(), Reason::kNotFound);
  EXPECT_EQ(store().Delete("/k", 0).status().reason(), Reason::kNotFound);
  EXPECT_EQ(store().CurrentRevision().value(), deleted->revision);
}

TEST_P(StoreCrudTest, RecreateStartsANewLife) {
  auto first = store().Create("/k", "v1");
  ASSERT_TRUE(store().Delete("/k", first->mod_revision).ok());
  auto second = store().Create("/k", "v2");
  ASSERT_TRUE(second.ok());
  EXPECT_GT(second->create_revision, first->create_revision);
  EXPECT_EQ(second->create_revision, second->mod_revision);
}

TEST_P(StoreCrudTest, GetAtRevisionReadsHistory) {
  auto v1 = store().Create("/k", "v1");
  auto v2 = store().Update("/k", "v2", v1->mod_revision);
  auto gone = store().Delete("/k", v2->mod_revision);
  EXPECT_EQ(store().Get("/k", v1->mod_revision)->value, "v1");
  EXPECT_EQ(store().Get("/k", v2->mod_revision)->value, "v2");
  EXPECT_EQ(store().Get("/k", gone->revision).status().reason(), Reason::kNotFound);
  EXPECT_EQ(store().Get("/k", v1->mod_revision - 1).status().reason(), Reason::kNotFound);
  EXPECT_EQ(store().Get("/k", gone->revision + 100).status().reason(), Reason::kTimeout);
}

TEST_P(StoreCrudTest, FailedWritesTakeNoRevision) {
  auto v1 = store().Create("/k", "v1");
  ASSERT_FALSE(store().Create("/k", "x").ok());
  ASSERT_FALSE(store().Update("/k", "x", v1->mod_revision + 7).ok());
  auto v2 = store().Create("/other", "v");
  EXPECT_EQ(v2->mod_revision, v1->mod_revision + 1);
}

TEST_P(StoreCrudTest, BinaryKeysAndValues) {
  std::string key("/bin/\x01\xff\x00z", 8);
  std::string value("\x00\x01\x02", 3);
  ASSERT_TRUE(store().Create(key, value).ok());
  ASSERT_TRUE(store().Create("/bin/empty", "").ok());
  EXPECT_EQ(store().Get(key)->value, value);
  EXPECT_EQ(store().Get("/bin/empty")->value, "");
  EXPECT_EQ(store().Count("/bin/").value(), 2);
}

TEST_P(StoreCrudTest, RevisionsSurviveReopen) {
  auto v1 = store().Create("/k", "v1");
  auto gone = store().Delete("/k", v1->mod_revision);
  // Compact everything, including the tombstone that holds the newest revision.
  ASSERT_TRUE(store().Compact(gone->revision).ok());
  ASSERT_TRUE(Reopen().ok());
  EXPECT_EQ(store().CurrentRevision().value(), gone->revision);
  auto next = store().Create("/k", "v2");
  EXPECT_EQ(next->mod_revision, gone->revision + 1);
}

}  // namespace
}  // namespace kstack::store::testing
