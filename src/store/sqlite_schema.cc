#include "store/internal/sqlite_schema.h"

#include <fmt/format.h>

#include <array>
#include <span>

namespace kstack::store::internal {
namespace {

constexpr const char* kCreateV1 = R"sql(
CREATE TABLE log (
  revision INTEGER PRIMARY KEY,
  key BLOB NOT NULL,
  deleted INTEGER NOT NULL,
  create_revision INTEGER NOT NULL,
  prev_revision INTEGER NOT NULL,
  value BLOB NOT NULL
);
CREATE INDEX log_key_revision ON log (key, revision);
CREATE TABLE meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
INSERT INTO meta (name, value) VALUES ('compact_revision', 0);
CREATE TABLE schema_version (version INTEGER NOT NULL);
INSERT INTO schema_version (version) VALUES (1);
)sql";

// Upgrades a database from `from` to `from + 1`. The statements end by updating
// schema_version. Empty while version 1 is the only one that ever shipped.
struct Migration {
  int from;
  const char* sql;
};
constexpr std::array<Migration, 0> kMigrations{};

const Migration* FindMigration(int from) {
  for (const Migration& m : std::span(kMigrations)) {
    if (m.from == from) {
      return &m;
    }
  }
  return nullptr;
}

Status Refuse(const std::string& path, std::string why) {
  return InvalidError(fmt::format("store {}: {}; refusing to open it", path, why));
}

}  // namespace

Status EnsureSchema(Connection& db, const std::string& path) {
  auto tables = db.QueryInt("SELECT count(*) FROM sqlite_master WHERE type = 'table'");
  if (!tables.ok()) {
    return Refuse(path, "not a readable SQLite database: " + tables.status().message());
  }
  if (*tables == 0) {
    KSTACK_RETURN_IF_ERROR(db.Exec("BEGIN IMMEDIATE"));
    Status created = db.Exec(kCreateV1);
    if (!created.ok()) {
      db.Exec("ROLLBACK").IgnoreError();
      return created;
    }
    return db.Exec("COMMIT");
  }
  KSTACK_ASSIGN_OR_RETURN(
      int64_t has_version,
      db.QueryInt("SELECT count(*) FROM sqlite_master WHERE name = 'schema_version'"));
  if (has_version == 0) {
    return Refuse(path,
                  "it is an SQLite database without a schema_version table, not a kstack "
                  "store");
  }
  KSTACK_ASSIGN_OR_RETURN(int64_t version, db.QueryInt("SELECT max(version) FROM schema_version"));
  if (version > kSchemaVersion) {
    return Refuse(path, fmt::format("it was written by a newer kstack (store schema version {}, "
                                    "this build reads up to {})",
                                    version, kSchemaVersion));
  }
  while (version < kSchemaVersion) {
    const Migration* m = FindMigration(static_cast<int>(version));
    if (m == nullptr) {
      return Refuse(path, fmt::format("store schema version {} has no migration to version {}",
                                      version, kSchemaVersion));
    }
    KSTACK_RETURN_IF_ERROR(db.Exec("BEGIN IMMEDIATE"));
    Status migrated = db.Exec(m->sql);
    if (!migrated.ok()) {
      db.Exec("ROLLBACK").IgnoreError();
      return migrated.WithContext(
          fmt::format("migrating {} from schema version {}", path, version));
    }
    KSTACK_RETURN_IF_ERROR(db.Exec("COMMIT"));
    ++version;
  }
  return Status::Ok();
}

}  // namespace kstack::store::internal
