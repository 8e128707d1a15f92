#pragma once

// The read queries of the sqlite backend, one function each, on a connection the caller owns
// for the duration of the call. None of them checks compaction: callers compare the revision
// they read at with the compacted revision after the query (see SqliteStore).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "store/internal/sqlite_db.h"
#include "store/store.h"

namespace kstack::store::internal {

// The keys [lower, upper); no upper bound when `upper` is empty.
struct KeyRange {
  std::string lower;
  std::optional<std::string> upper;
};
// Every key starting with `prefix`.
KeyRange PrefixRange(std::string_view prefix);

// Holds one read transaction (one consistent snapshot) open for its lifetime.
class ReadTransaction {
 public:
  explicit ReadTransaction(Connection& db) : db_(db) {}
  ~ReadTransaction();
  Status Begin();

 private:
  Connection& db_;
  bool open_ = false;
};

// The row of `key` that is current at `revision` (0 = latest); nullopt when the key does not
// exist then (never written, or deleted).
Result<std::optional<KeyValue>> ReadKey(Connection& db, std::string_view key, int64_t revision);

// The revision of the snapshot the connection reads (the newest committed write it sees).
Result<int64_t> ReadSnapshotRevision(Connection& db);

// Up to `limit` (0 = all) live keys in `range` at `revision`, in key order.
Result<std::vector<KeyValue>> ReadRange(Connection& db, const KeyRange& range, int64_t revision,
                                        int64_t limit);

// The number of live keys in `range` at `revision`.
Result<int64_t> CountRange(Connection& db, const KeyRange& range, int64_t revision);

// The events in `range` with revisions in (after, upto], in order, with previous values.
Result<std::vector<EventPtr>> ReadHistory(Connection& db, const KeyRange& range, int64_t after,
                                          int64_t upto);

}  // namespace kstack::store::internal
