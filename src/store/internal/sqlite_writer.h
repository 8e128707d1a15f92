#pragma once

// The single writer of the sqlite backend, with pipelined group commit.
//
// There is no writer thread: the threads that call Write take turns in two roles, each held by
// at most one thread at a time.
//
// - The committer takes every queued write (up to max_batch), applies them in one transaction on
//   the writer connection and commits it. The commit does not fsync (see below), so it takes
//   microseconds.
// - The syncer takes every committed batch, fsyncs the WAL once for all of them, then makes them
//   visible (current revision, LatestCache, WatchHub) and acknowledges their callers.
//
// So a lone caller commits and syncs its own write with no thread hand-off (the fsync is the
// only wait, as with one SQLite commit per insert), and under concurrency the next batch is
// applied and committed while the previous one is being fsynced: each fsync makes every write
// that arrived during the previous fsync durable. A role is handed to a waiting caller only when
// its holder moves on, and that caller would have to be woken for its own answer anyway.
//
// Durability policy. The writer connection runs in WAL mode with synchronous=NORMAL, so SQLite
// writes each commit's WAL frames (commit marker included) without fsyncing them; the syncer
// then calls fdatasync on the WAL file itself, and a write is acknowledged only after an
// fdatasync that started after its COMMIT returned has succeeded. That is the fsync that
// synchronous=FULL would make inside COMMIT, moved out of it so that it covers several commits.
// It is as safe as FULL: WAL frames are only ever appended, except when SQLite restarts the WAL
// from its beginning, which it does only after a checkpoint has copied every frame into the
// database file and (at synchronous=NORMAL too) fsynced it; so frames covered by a successful
// fdatasync stay recoverable until they are in the durable database file. Checkpoints fsync the
// WAL before copying from it. After a crash the store fsyncs the WAL again at open (see Start),
// so that commits which reached the file but were never acknowledged are durable before anyone
// can read them. An acknowledged write survives kill -9 and power loss (given a disk that honours
// fsync).
//
// Visibility. A committed but not yet synced write is visible to no reader: current_revision(),
// the LatestCache and the watch stream advance only after the fsync, and readers of the database
// read at (or cap their snapshot to) current_revision() (see SqliteStore). Otherwise a reader
// could see a revision that a power loss then takes back and a later write reuses.
//
// Checkpoints. wal_autocheckpoint is off on the writer connection: a checkpoint copies pages and
// fsyncs the database file, which would stall the committer. A background thread with its own
// connection runs a passive checkpoint whenever the WAL has grown by kCheckpointPages since the
// last one; readers and writers go on meanwhile. SQLite restarts the WAL from its beginning only
// after a checkpoint has copied every frame, which one racing the commits never does; so after
// each background checkpoint the committer checkpoints the few frames written meanwhile (two
// short fsyncs per kCheckpointPages pages instead of a full checkpoint). Should the WAL outgrow
// kWalHardLimitPages anyway, the committer checkpoints inline, which bounds the WAL's size.
//
// Failures. After a failed COMMIT or fdatasync the state of the file on disk is uncertain (a
// failed fsync may have dropped pages, and a retried fsync can report success for them), so the
// writer refuses every later write with kUnavailable, including those committed but not yet
// synced: the process must restart and recover from the WAL rather than build on a possibly lost
// commit.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
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

  // WAL pages written between two background checkpoints (SQLite's default autocheckpoint).
  static constexpr int kCheckpointPages = 1000;
  // WAL size in pages past which the committer checkpoints inline.
  static constexpr int kWalHardLimitPages = 16 * kCheckpointPages;

  // Takes the writer connection (schema ready, WAL mode) of the database file at `path`, sets
  // its durability policy, makes everything already in the WAL durable, and starts the
  // checkpoint thread. `cache` holds every live key (loaded by the caller after Start); the
  // writer keeps it current. Not owned; outlives the writer.
  static Result<std::unique_ptr<SqliteWriter>> Start(const std::string& path,
                                                     std::unique_ptr<Connection> db,
                                                     std::shared_ptr<WatchHub> hub,
                                                     LatestCache* cache, size_t max_batch);
  // Waits for the writes in progress to be answered, then stops the checkpoint thread.
  // REQUIRES: no Write or Compact call starts once destruction has begun.
  ~SqliteWriter();

  // Applies one write and blocks until it is durable and published; returns its event. The
  // calling thread may do the commit and the fsync of other callers' writes meanwhile.
  // Errors: as Store::Create/Update/Delete.
  Result<EventPtr> Write(Op op, std::string_view key, std::string_view value,
                         int64_t expected_mod_revision);

  // Store::Compact. Runs as the committer in steps, so writes are not held up for long.
  Status Compact(int64_t revision);

  // The revision of the latest durable (and acknowledged or about to be) write.
  int64_t current_revision() const { return current_.load(std::memory_order_acquire); }
  // Raised before a compaction commits, so that a reader that checks it after its query never
  // misses a compaction its snapshot saw.
  int64_t compacted_revision() const { return compacted_.load(std::memory_order_acquire); }

 private:
  // What a waiting caller is told to do next.
  enum Signal : int { kWait = 0, kDone, kCommit, kSync };

  // Shared with whoever signals it, so that signalling never touches a finished caller's stack.
  struct Waker {
    std::atomic<int> signal{kWait};
  };

  struct Request {
    bool compact = false;
    Op op = Op::kCreate;
    std::string_view key;
    std::string_view value;
    int64_t revision = 0;  // expected mod revision, or compaction target
    Result<EventPtr> result = EventPtr();
    std::shared_ptr<Waker> waker = std::make_shared<Waker>();
  };

  // A committed transaction waiting for its fsync.
  struct Batch {
    std::vector<Request*> requests;
    std::vector<EventPtr> events;
    int64_t last_revision = 0;
  };

  // A key's value written by a committed but not yet published batch: kv is null for a deletion.
  struct Unpublished {
    std::shared_ptr<const KeyValue> kv;
    int64_t revision = 0;
  };
  using Overlay = std::unordered_map<std::string, Unpublished>;

  SqliteWriter(std::unique_ptr<Connection> db, std::shared_ptr<WatchHub> hub, LatestCache* cache,
               size_t max_batch, int64_t current, int64_t compacted, int wal_fd);

  // Queues `request` and returns once it is answered, taking the roles it is given.
  void Run(Request* request);
  // The committer role: commits batches until `self` is answered or the queue is empty, then
  // hands the role on. Returns the role `self` goes on with (kSync, kDone or kWait).
  Signal Commit(Request* self);
  // Takes the next batch (or compaction step) from the queue and commits it. Returns false when
  // the queue was empty. REQUIRES: the committer role.
  bool CommitNext();
  void CommitBatch(std::vector<Request*> batch);
  Result<Event> Apply(const Request& request, int64_t revision, Overlay& batch_overlay);
  // Returns true when the compaction is complete (or failed), false when it must run again.
  bool CompactStep(Request* request);
  // The syncer role: fsyncs, publishes and answers every committed batch, then hands the role
  // on. REQUIRES: `self` is in one of those batches.
  void Sync(Request* self);
  // The WAL hook: called by the committer after each commit with the WAL's size in pages.
  void Checkpoint(int pages);
  void CheckpointLoop(std::unique_ptr<Connection> db);

  static void Tell(Request* request, Signal signal);
  static void Answer(Request* request, Result<EventPtr> result);

  std::unique_ptr<Connection> db_;  // committer only
  std::shared_ptr<WatchHub> hub_;
  LatestCache* cache_;
  const size_t max_batch_;
  const int wal_fd_;  // our own descriptor of the WAL file, for fdatasync
  std::atomic<int64_t> current_;
  std::atomic<int64_t> compacted_;
  int64_t committed_revision_;  // committer only: the revision of the last committed write
  Overlay overlay_;             // committer only: unpublished values, newer than cache_

  std::mutex mu_;
  std::deque<Request*> queue_;   // not yet taken by a committer
  std::deque<Batch> committed_;  // committed, waiting for the syncer
  bool committing_ = false;      // a thread holds the committer role
  bool syncing_ = false;         // a thread holds the syncer role
  Status broken_;                // set once; refuses every later write
  bool stopping_ = false;
  std::condition_variable idle_cv_;  // the destructor waits for both roles to be free

  int checkpointed_pages_ = 0;  // committer only: WAL size when a checkpoint was last started

  // The checkpoint thread.
  std::mutex checkpoint_mu_;
  std::condition_variable checkpoint_cv_;
  bool checkpoint_wanted_ = false;
  // A background checkpoint has finished: the committer copies what was written meanwhile.
  std::atomic<bool> catch_up_{false};
  bool checkpoint_stopping_ = false;
  std::thread checkpointer_;
};

}  // namespace kstack::store::internal
