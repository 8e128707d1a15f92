#pragma once

// The single writer of the sqlite backend, with group commit.
//
// Callers on any thread enqueue a write and block. One thread takes every queued write (up to
// max_batch), applies them in one transaction on its own connection, commits, and only then
// hands the events to the WatchHub and wakes the callers: a write is acknowledged after its
// transaction is durable, and concurrent writers share one fsync instead of paying one each.
//
// Durability: the connection runs in WAL mode with synchronous=FULL, so every COMMIT fsyncs the
// WAL before returning, and checkpoints fsync the WAL before copying into the database file and
// the database file before the WAL is reset. An acknowledged write survives kill -9 and power
// loss (given a disk that honours fsync). synchronous=NORMAL would skip the per-commit fsync
// and could lose acknowledged writes on power loss, hence FULL.
//
// After a failed COMMIT the state of the file on disk is uncertain (a failed fsync may have
// dropped pages), so the writer refuses every later write with kUnavailable: the process must
// restart and recover from the WAL rather than build on a possibly lost commit.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "core/result.h"
#include "store/internal/latest_cache.h"
#include "store/internal/sqlite_db.h"
#include "store/internal/watch_hub.h"
#include "store/store.h"

namespace kstack::store::internal {

class SqliteWriter {
 public:
  enum class Op { kCreate, kUpdate, kDelete };

  // Takes the connection (schema ready) and starts the writer thread. `cache` holds every live
  // key (loaded by the caller); the writer keeps it current. Not owned; outlives the writer.
  static Result<std::unique_ptr<SqliteWriter>> Start(std::unique_ptr<Connection> db,
                                                     std::shared_ptr<WatchHub> hub,
                                                     LatestCache* cache, size_t max_batch);
  // Finishes every queued request, then stops.
  ~SqliteWriter();

  // Applies one write and blocks until it is durable and published; returns its event.
  // Errors: as Store::Create/Update/Delete.
  Result<EventPtr> Write(Op op, std::string_view key, std::string_view value,
                         int64_t expected_mod_revision);

  // Store::Compact. Runs on the writer thread in steps, so writes are not held up for long.
  Status Compact(int64_t revision);

  int64_t current_revision() const { return current_.load(std::memory_order_acquire); }
  // Raised before a compaction commits, so that a reader that checks it after its query never
  // misses a compaction its snapshot saw.
  int64_t compacted_revision() const { return compacted_.load(std::memory_order_acquire); }

 private:
  struct Request {
    bool compact = false;
    Op op = Op::kCreate;
    std::string_view key;
    std::string_view value;
    int64_t revision = 0;  // expected mod revision, or compaction target
    std::promise<Result<EventPtr>> done;
  };

  // The latest values written by the batch being built: nullptr for a deleted key. Keys view
  // the requests' keys, which live until the batch is answered.
  using Pending = std::unordered_map<std::string_view, std::shared_ptr<const KeyValue>>;

  SqliteWriter(std::unique_ptr<Connection> db, std::shared_ptr<WatchHub> hub, LatestCache* cache,
               size_t max_batch, int64_t current, int64_t compacted);
  Status Submit(Request* request);
  void Loop();
  void CommitBatch(const std::vector<Request*>& batch);
  Result<Event> Apply(const Request& request, int64_t revision, Pending& pending);
  // Returns true when the compaction is complete (or failed), false when it must run again.
  bool CompactStep(Request* request);
  void FailAll(const std::vector<Request*>& batch, const Status& status);

  std::unique_ptr<Connection> db_;
  std::shared_ptr<WatchHub> hub_;
  LatestCache* cache_;
  const size_t max_batch_;
  std::atomic<int64_t> current_;
  std::atomic<int64_t> compacted_;
  Status broken_;  // writer thread only

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Request*> queue_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace kstack::store::internal
