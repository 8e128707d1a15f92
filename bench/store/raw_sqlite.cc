// The two reference figures: what SQLite itself does with one commit per insert (bound by
// fsync) and with every insert in one transaction (the ceiling for a single writer).

#include <fmt/format.h>
#include <sqlite3.h>

#include <filesystem>

#include "bench/store/bench_util.h"

namespace kstack::store::bench {
namespace {

sqlite3* OpenRaw(const std::string& dir) {
  sqlite3* db = nullptr;
  sqlite3_open((dir + "/raw.db").c_str(), &db);
  sqlite3_exec(db,
               "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
               "CREATE TABLE IF NOT EXISTS kv (revision INTEGER PRIMARY KEY, key BLOB NOT NULL,"
               " value BLOB NOT NULL);"
               "CREATE INDEX IF NOT EXISTS kv_key ON kv (key, revision);",
               nullptr, nullptr, nullptr);
  return db;
}

double Insert(const std::string& dir, int count, bool one_transaction) {
  sqlite3* db = OpenRaw(dir);
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(db, "INSERT INTO kv (key, value) VALUES (?1, ?2)", -1, &stmt, nullptr);
  std::string value(300, 'x');  // about the size of a small ConfigMap's JSON
  auto start = Clock::now();
  if (one_transaction) {
    sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr);
  }
  for (int i = 0; i < count; ++i) {
    std::string key = fmt::format("/registry/raw/{}/{}", one_transaction, i);
    sqlite3_bind_blob(stmt, 1, key.data(), static_cast<int>(key.size()), SQLITE_STATIC);
    sqlite3_bind_blob(stmt, 2, value.data(), static_cast<int>(value.size()), SQLITE_STATIC);
    sqlite3_step(stmt);
    sqlite3_reset(stmt);
  }
  if (one_transaction) {
    sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
  }
  double seconds = Seconds(Clock::now() - start);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return count / seconds;
}

}  // namespace

std::string FreshDir(const std::string& name) {
  std::string dir = "/tmp/kstack-store-bench/" + name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

double RawSqliteOneCommitPerInsert(const std::string& dir, int count) {
  return Insert(dir, count, false);
}

double RawSqliteOneTransaction(const std::string& dir, int count) {
  return Insert(dir, count, true);
}

}  // namespace kstack::store::bench
