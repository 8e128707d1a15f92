#pragma once

// The sqlite backend: one database file `store.db` in the data directory, in WAL mode; one
// writer with pipelined group commit (SqliteWriter, which states the fsync policy); the latest
// value of every live key in memory for point reads (LatestCache, which says why); a pool of
// read connections for parallel readers of history and lists; a WatchHub for watch fan-out; and
// a compactor thread that applies the CompactionPolicy.

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "store/internal/latest_cache.h"
#include "store/internal/read_pool.h"
#include "store/internal/sqlite_writer.h"
#include "store/internal/watch_hub.h"
#include "store/store.h"
#include "store/store_options.h"

namespace kstack::store::internal {

class SqliteStore : public Store {
 public:
  // The database file inside a data directory.
  static constexpr const char* kFileName = "store.db";

  // OpenStore for backend "sqlite". Errors as OpenStore.
  static Result<std::unique_ptr<Store>> Open(const StoreOptions& options);
  // Finishes queued writes, ends every watch with kUnavailable, and closes the files.
  ~SqliteStore() override;

  Result<KeyValue> Get(std::string_view key, int64_t revision) override;
  Result<ListResult> List(const ListOptions& options) override;
  Result<int64_t> Count(std::string_view prefix) override;
  Result<KeyValue> Create(std::string_view key, std::string_view value) override;
  Result<KeyValue> Update(std::string_view key, std::string_view value,
                          int64_t expected_mod_revision) override;
  Result<Deleted> Delete(std::string_view key, int64_t expected_mod_revision) override;
  Result<std::unique_ptr<Watcher>> Watch(const WatchOptions& options) override;
  Result<int64_t> CurrentRevision() override;
  Result<int64_t> CompactedRevision() override;
  Status Compact(int64_t revision) override;

 private:
  SqliteStore() = default;
  // kExpired when `revision` is older than the compacted revision; kTimeout when it is newer
  // than the current (durable) revision.
  Status CheckReadable(int64_t revision);
  void CompactorLoop();

  StoreOptions options_;
  int lock_fd_ = -1;  // flock on the data directory: one process per store
  std::unique_ptr<ReadPool> readers_;
  LatestCache cache_;
  std::shared_ptr<WatchHub> hub_;
  std::unique_ptr<SqliteWriter> writer_;

  std::mutex compactor_mu_;
  std::condition_variable compactor_cv_;
  bool stopping_ = false;
  std::thread compactor_;
};

}  // namespace kstack::store::internal
