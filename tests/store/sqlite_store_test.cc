// The sqlite backend beyond the conformance suite: its files, schema versions and options.

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include "store/open_store.h"
#include "tests/testing/temp_dir.h"

namespace kstack::store::testing {
using kstack::testing::TempDir;
namespace {

StoreOptions Sqlite(const TempDir& dir) {
  return {.backend = "sqlite", .data_dir = dir.path(), .compaction = {.interval = {}}};
}

// Runs `sql` on the store's database file directly.
void RunSql(const TempDir& dir, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir.path() + "/store.db").c_str(), &db), SQLITE_OK);
  char* error = nullptr;
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error), SQLITE_OK)
      << (error ? error : "");
  sqlite3_free(error);
  sqlite3_close(db);
}

TEST(SqliteStoreTest, BackendsAreListedAndUnknownOnesRefused) {
  std::vector<std::string_view> names(Backends().begin(), Backends().end());
  EXPECT_EQ(names, (std::vector<std::string_view>{"sqlite", "etcd"}));
  TempDir dir;
  StoreOptions options = Sqlite(dir);
  options.backend = "mysql";
  auto opened = OpenStore(options);
  EXPECT_EQ(opened.status().reason(), Reason::kInvalid);
  EXPECT_NE(opened.status().message().find("sqlite, etcd"), std::string::npos);
  options.backend = "etcd";
  EXPECT_EQ(OpenStore(options).status().reason(), Reason::kUnavailable);
  EXPECT_EQ(OpenStore({.backend = "sqlite"}).status().reason(), Reason::kInvalid);
}

TEST(SqliteStoreTest, UsesWal) {
  TempDir dir;
  { ASSERT_TRUE(OpenStore(Sqlite(dir)).ok()); }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir.path() + "/store.db").c_str(), &db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &stmt, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)), "wal");
  sqlite3_finalize(stmt);
  sqlite3_close(db);
}

// Checkpoints run beside the commits (sqlite_writer.h): the WAL must still be restarted from its
// beginning regularly, so that it stays small, and nothing written through them may be lost.
TEST(SqliteStoreTest, CheckpointsKeepTheWalSmallAndLoseNothing) {
  TempDir dir;
  constexpr int kThreads = 8;
  constexpr int kKeys = 64;
  constexpr int kRounds = 150;
  const std::string value(4000, 'x');  // a page or more per write, so the WAL grows quickly
  {
    auto store = OpenStore(Sqlite(dir));
    ASSERT_TRUE(store.ok());
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int k = t; k < kKeys; k += kThreads) {
          ASSERT_TRUE((*store)->Create("/k/" + std::to_string(k), value + "0").ok());
        }
        for (int round = 1; round <= kRounds; ++round) {
          for (int k = t; k < kKeys; k += kThreads) {
            std::string key = "/k/" + std::to_string(k);
            ASSERT_TRUE((*store)->Update(key, value + std::to_string(round), 0).ok()) << key;
          }
        }
      });
    }
    for (auto& thread : threads) {
      thread.join();
    }
    // About 9,600 writes of two pages or more: without restarts the WAL would pass 75 MB.
    auto wal_bytes = std::filesystem::file_size(dir.path() + "/store.db-wal");
    EXPECT_LT(wal_bytes, 24u << 20) << "the WAL is not being restarted";
  }
  auto store = OpenStore(Sqlite(dir));
  ASSERT_TRUE(store.ok());
  EXPECT_EQ((*store)->Count("/k/").value(), kKeys);
  for (int k = 0; k < kKeys; ++k) {
    auto got = (*store)->Get("/k/" + std::to_string(k));
    ASSERT_TRUE(got.ok()) << k;
    EXPECT_EQ(got->value, value + std::to_string(kRounds)) << k;
  }
}

TEST(SqliteStoreTest, SecondOpenerOfADataDirectoryIsRefused) {
  TempDir dir;
  auto first = OpenStore(Sqlite(dir));
  ASSERT_TRUE(first.ok());
  auto second = OpenStore(Sqlite(dir));
  EXPECT_EQ(second.status().reason(), Reason::kUnavailable);
  EXPECT_NE(second.status().message().find("in use"), std::string::npos);
  first->reset();
  EXPECT_TRUE(OpenStore(Sqlite(dir)).ok());
}

TEST(SqliteStoreTest, NewerSchemaIsRefused) {
  TempDir dir;
  {
    auto store = OpenStore(Sqlite(dir));
    ASSERT_TRUE((*store)->Create("/k", "v").ok());
  }
  RunSql(dir, "UPDATE schema_version SET version = 7");
  auto opened = OpenStore(Sqlite(dir));
  EXPECT_EQ(opened.status().reason(), Reason::kInvalid);
  EXPECT_NE(opened.status().message().find("newer kstack (store schema version 7"),
            std::string::npos)
      << opened.status().message();
}

TEST(SqliteStoreTest, OlderSchemaWithoutMigrationIsRefused) {
  TempDir dir;
  { ASSERT_TRUE(OpenStore(Sqlite(dir)).ok()); }
  RunSql(dir, "UPDATE schema_version SET version = 0");
  auto opened = OpenStore(Sqlite(dir));
  EXPECT_EQ(opened.status().reason(), Reason::kInvalid);
  EXPECT_NE(opened.status().message().find("no migration"), std::string::npos)
      << opened.status().message();
}

TEST(SqliteStoreTest, ForeignDatabaseIsRefusedUntouched) {
  TempDir dir;
  RunSql(dir, "CREATE TABLE kine (id INTEGER PRIMARY KEY, name TEXT)");
  auto opened = OpenStore(Sqlite(dir));
  EXPECT_EQ(opened.status().reason(), Reason::kInvalid);
  EXPECT_NE(opened.status().message().find("not a kstack store"), std::string::npos)
      << opened.status().message();
}

TEST(SqliteStoreTest, NonSqliteFileIsRefused) {
  TempDir dir;
  std::ofstream(dir.path() + "/store.db") << "this is not a database, just some text......."
                                             "................................................";
  auto opened = OpenStore(Sqlite(dir));
  EXPECT_EQ(opened.status().reason(), Reason::kInvalid);
  EXPECT_NE(opened.status().message().find("not a readable SQLite database"), std::string::npos)
      << opened.status().message();
}

}  // namespace
}  // namespace kstack::store::testing
