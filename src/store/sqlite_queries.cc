#include "store/internal/sqlite_queries.h"

#include <memory>

namespace kstack::store::internal {
namespace {

// Keys are BLOBs so that they compare bytewise (memcmp) and any byte is allowed.
// The list queries take a key's newest row at or before the revision (SQLite fills bare
// columns from the row that max() picked) and drop tombstones; GROUP BY walks the
// (key, revision) index in key order, so LIMIT stops the scan early.
constexpr const char* kRangeBounded =
    "SELECT key, max(revision), deleted, create_revision, value FROM log "
    "WHERE key >= ?1 AND key < ?2 AND revision <= ?3 "
    "GROUP BY key HAVING deleted = 0 ORDER BY key LIMIT ?4";
constexpr const char* kRangeOpen =
    "SELECT key, max(revision), deleted, create_revision, value FROM log "
    "WHERE key >= ?1 AND revision <= ?3 "
    "GROUP BY key HAVING deleted = 0 ORDER BY key LIMIT ?4";
constexpr const char* kCountBounded =
    "SELECT count(*) FROM (SELECT max(revision), deleted FROM log "
    "WHERE key >= ?1 AND key < ?2 AND revision <= ?3 GROUP BY key HAVING deleted = 0)";
constexpr const char* kCountOpen =
    "SELECT count(*) FROM (SELECT max(revision), deleted FROM log "
    "WHERE key >= ?1 AND revision <= ?3 GROUP BY key HAVING deleted = 0)";
constexpr const char* kHistoryBounded =
    "SELECT l.revision, l.key, l.deleted, l.create_revision, l.value, p.revision, p.value "
    "FROM log l LEFT JOIN log p ON p.revision = l.prev_revision "
    "WHERE l.revision > ?3 AND l.revision <= ?4 AND l.key >= ?1 AND l.key < ?2 "
    "ORDER BY l.revision";
constexpr const char* kHistoryOpen =
    "SELECT l.revision, l.key, l.deleted, l.create_revision, l.value, p.revision, p.value "
    "FROM log l LEFT JOIN log p ON p.revision = l.prev_revision "
    "WHERE l.revision > ?3 AND l.revision <= ?4 AND l.key >= ?1 "
    "ORDER BY l.revision";
constexpr const char* kLatest =
    "SELECT revision, deleted, create_revision, value FROM log WHERE key = ?1 "
    "ORDER BY revision DESC LIMIT 1";
constexpr const char* kAtRevision =
    "SELECT revision, deleted, create_revision, value FROM log WHERE key = ?1 "
    "AND revision <= ?2 ORDER BY revision DESC LIMIT 1";
// A compaction may have removed the newest row (a tombstone); its revision is then the
// compacted one.
constexpr const char* kSnapshotRevision =
    "SELECT max(coalesce((SELECT max(revision) FROM log), 0), "
    "(SELECT value FROM meta WHERE name = 'compact_revision'))";

void BindRange(Statement& s, const KeyRange& range) {
  s.BindBlob(1, range.lower);
  if (range.upper) {
    s.BindBlob(2, *range.upper);
  }
}

}  // namespace

KeyRange PrefixRange(std::string_view prefix) {
  KeyRange range{.lower = std::string(prefix), .upper = std::nullopt};
  std::string upper(prefix);
  while (!upper.empty() && static_cast<unsigned char>(upper.back()) == 0xff) {
    upper.pop_back();
  }
  if (!upper.empty()) {
    upper.back() = static_cast<char>(static_cast<unsigned char>(upper.back()) + 1);
    range.upper = std::move(upper);
  }
  return range;
}

ReadTransaction::~ReadTransaction() {
  if (open_) {
    if (auto commit = db_.Prepare("COMMIT"); commit.ok()) {
      (*commit)->Run().IgnoreError();  // a read-only transaction has nothing to lose
      (*commit)->Reset();
    }
  }
}

Status ReadTransaction::Begin() {
  KSTACK_ASSIGN_OR_RETURN(Statement * begin, db_.Prepare("BEGIN"));
  Statement::Scope scope(*begin);
  KSTACK_RETURN_IF_ERROR(begin->Run());
  open_ = true;
  return Status::Ok();
}

Result<std::optional<KeyValue>> ReadKey(Connection& db, std::string_view key, int64_t revision) {
  KSTACK_ASSIGN_OR_RETURN(Statement * s, db.Prepare(revision == 0 ? kLatest : kAtRevision));
  Statement::Scope scope(*s);
  s->BindBlob(1, key);
  if (revision != 0) {
    s->BindInt(2, revision);
  }
  KSTACK_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row || s->Int(1) != 0) {
    return std::optional<KeyValue>();
  }
  return std::optional<KeyValue>(KeyValue{
      .key = std::string(key),
      .value = s->Blob(3),
      .create_revision = s->Int(2),
      .mod_revision = s->Int(0),
  });
}

Result<int64_t> ReadSnapshotRevision(Connection& db) { return db.QueryInt(kSnapshotRevision); }

Result<std::vector<KeyValue>> ReadRange(Connection& db, const KeyRange& range, int64_t revision,
                                        int64_t limit) {
  KSTACK_ASSIGN_OR_RETURN(Statement * s, db.Prepare(range.upper ? kRangeBounded : kRangeOpen));
  Statement::Scope scope(*s);
  BindRange(*s, range);
  s->BindInt(3, revision);
  s->BindInt(4, limit > 0 ? limit : -1);
  std::vector<KeyValue> out;
  while (true) {
    KSTACK_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) {
      break;
    }
    out.push_back(KeyValue{
        .key = s->Blob(0),
        .value = s->Blob(4),
        .create_revision = s->Int(3),
        .mod_revision = s->Int(1),
    });
  }
  return out;
}

Result<int64_t> CountRange(Connection& db, const KeyRange& range, int64_t revision) {
  KSTACK_ASSIGN_OR_RETURN(Statement * s, db.Prepare(range.upper ? kCountBounded : kCountOpen));
  Statement::Scope scope(*s);
  BindRange(*s, range);
  s->BindInt(3, revision);
  KSTACK_ASSIGN_OR_RETURN(bool row, s->Step());
  return row ? s->Int(0) : 0;
}

Result<std::vector<EventPtr>> ReadHistory(Connection& db, const KeyRange& range, int64_t after,
                                          int64_t upto) {
  KSTACK_ASSIGN_OR_RETURN(Statement * s, db.Prepare(range.upper ? kHistoryBounded : kHistoryOpen));
  Statement::Scope scope(*s);
  BindRange(*s, range);
  s->BindInt(3, after);
  s->BindInt(4, upto);
  std::vector<EventPtr> out;
  while (true) {
    KSTACK_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) {
      break;
    }
    auto e = std::make_shared<Event>();
    e->revision = s->Int(0);
    bool deleted = s->Int(2) != 0;
    e->kv = KeyValue{.key = s->Blob(1),
                     .value = deleted ? std::string() : s->Blob(4),
                     .create_revision = s->Int(3),
                     .mod_revision = e->revision};
    if (!s->IsNull(5)) {
      e->prev = KeyValue{.key = e->kv.key,
                         .value = s->Blob(6),
                         .create_revision = e->kv.create_revision,
                         .mod_revision = s->Int(5)};
    }
    e->type =
        deleted ? Event::Type::kDeleted : (e->prev ? Event::Type::kUpdated : Event::Type::kCreated);
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace kstack::store::internal
