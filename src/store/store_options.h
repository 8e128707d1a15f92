#pragma once

// How a Store is opened: the backend, where its data lives, and its bounds.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/clock.h"

namespace kstack::store {

// The history a store keeps, so that disk and memory stay bounded however long it runs.
//
// Every `interval`, the store compacts to the newer of two revisions: the current revision minus
// `max_revisions`, and the revision that was current `max_age` ago. So a revision stays readable
// (and watchable) while it is both among the latest `max_revisions` revisions and younger than
// `max_age`; past either bound a request at it may fail with kExpired, and the client re-lists.
// The kept history is therefore at most `max_revisions` plus the writes of one `interval`.
struct CompactionPolicy {
  int64_t max_revisions = 10000;
  std::chrono::seconds max_age = std::chrono::minutes(5);
  // Zero disables automatic compaction (Store::Compact still works).
  std::chrono::seconds interval = std::chrono::seconds(30);
};

struct StoreOptions {
  // One of Backends() (open_store.h).
  std::string backend = "sqlite";
  // The directory that holds the store's files; created when absent. Used by one process at a
  // time: a second opener fails with kUnavailable.
  std::string data_dir{};
  CompactionPolicy compaction{};
  // Parallel readers (the sqlite backend opens this many read connections).
  size_t read_connections = 4;
  // Recent events kept in memory, from which a watch starting at a recent revision replays
  // without reading the database.
  size_t event_ring_capacity = 8192;
  // Default WatchOptions::queue_limit.
  size_t watch_queue_limit = 1000;
  // At most this many writes share one transaction (group commit).
  size_t max_batch = 1024;
  // Time for compaction by age; SystemClock() when null. Not owned; must outlive the store.
  Clock* clock = nullptr;
};

}  // namespace kstack::store
