#pragma once

// The on-disk layout of the sqlite backend and its versioning.
//
// Table `log` is the history: one row per revision (create, update or delete of one key), the
// revision being the rowid. A key's value at revision R is its newest row at or before R, absent
// when that row is a deletion (a tombstone). `prev_revision` points at the row a write replaced,
// which gives watchers the previous value and lets compaction find superseded rows without a scan.
// Table `meta` holds `compact_revision`. Table `schema_version` holds one row: the layout version.

#include <string>

#include "core/status.h"
#include "store/internal/sqlite_db.h"

namespace kstack::store::internal {

// The layout this build writes. Bump it with every layout change and add a migration from the
// previous version in sqlite_schema.cc.
inline constexpr int kSchemaVersion = 1;

// Makes the database at `path` (opened as `db`) ready for this build: creates the layout in an
// empty database, migrates an older version in one transaction, and refuses (kInvalid, with a
// message naming the file and both versions) a newer version, a version with no migration, or a
// database that is not a kstack store.
Status EnsureSchema(Connection& db, const std::string& path);

}  // namespace kstack::store::internal
