#include "store/internal/sqlite_writer.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "core/log.h"
#include "store/internal/sqlite_queries.h"

namespace kstack::store::internal {
namespace {

constexpr const char* kInsert =
    "INSERT INTO log (revision, key, deleted, create_revision, prev_revision, value) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
// Compaction to T keeps, per key, only the newest row at or before T (unless it is a
// tombstone). A superseded row is always the prev_revision of the row that replaced it, so the
// rows to drop are found from the revision range (C, T] alone, not by scanning all history.
constexpr const char* kCompactSuperseded =
    "DELETE FROM log WHERE revision IN (SELECT prev_revision FROM log "
    "WHERE revision > ?1 AND revision <= ?2 AND prev_revision > 0)";
constexpr const char* kCompactTombstones =
    "DELETE FROM log WHERE revision > ?1 AND revision <= ?2 AND deleted = 1";
constexpr const char* kSetCompacted = "UPDATE meta SET value = ?1 WHERE name = 'compact_revision'";
// Revisions compacted per transaction, so that a long-deferred compaction does not stall writes.
constexpr int64_t kCompactStep = 5000;

Status Errno(std::string_view what, const std::string& path) {
  return UnavailableError(fmt::format("{} {}: {}", what, path, std::strerror(errno)));
}

// fsyncs a directory, so that the files created in it stay after a power loss.
Status SyncDirectory(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    return Errno("open", dir);
  }
  int rc = ::fsync(fd);
  ::close(fd);
  return rc == 0 ? Status::Ok() : Errno("fsync", dir);
}

}  // namespace

Result<std::unique_ptr<SqliteWriter>> SqliteWriter::Start(const std::string& path,
                                                          std::unique_ptr<Connection> db,
                                                          std::shared_ptr<WatchHub> hub,
                                                          LatestCache* cache, size_t max_batch) {
  // The policy of the header: SQLite does not fsync commits, the syncer does; checkpoints run
  // beside the writer, not inside its commits.
  KSTACK_RETURN_IF_ERROR(db->Exec("PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 0;"));
  // A read in WAL mode opens (creating if needed) the WAL file, so that it exists below.
  KSTACK_ASSIGN_OR_RETURN(int64_t current, ReadSnapshotRevision(*db));
  KSTACK_ASSIGN_OR_RETURN(int64_t compacted,
                          db->QueryInt("SELECT value FROM meta WHERE name = 'compact_revision'"));
  // SQLite removes the WAL file only when its last connection closes; the writer's connection
  // lives as long as this descriptor, so both name the same file throughout.
  std::string wal_path = path + "-wal";
  int wal_fd = ::open(wal_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (wal_fd < 0) {
    return Errno("open", wal_path);
  }
  // Commits that reached the WAL before a crash, acknowledged or not, become durable before
  // anyone reads them; and the WAL's directory entry becomes durable too.
  if (::fdatasync(wal_fd) != 0) {
    Status status = Errno("fdatasync", wal_path);
    ::close(wal_fd);
    return status;
  }
  if (Status synced = SyncDirectory(std::filesystem::path(path).parent_path().string());
      !synced.ok()) {
    ::close(wal_fd);
    return synced;
  }
  auto checkpoint_db = Connection::Open(path, /*create=*/false);
  if (checkpoint_db.ok()) {
    // A connection learns that the database is in WAL mode when it first reads it; until then
    // checkpoints on it do nothing.
    auto mode = (*checkpoint_db)->QueryText("PRAGMA journal_mode");
    if (!mode.ok() || *mode != "wal") {
      checkpoint_db = mode.ok() ? InternalError("store " + path + ": not in WAL mode")
                                : Result<std::unique_ptr<Connection>>(mode.status());
    }
  }
  if (!checkpoint_db.ok()) {
    ::close(wal_fd);
    return checkpoint_db.status();
  }
  std::unique_ptr<SqliteWriter> writer(new SqliteWriter(std::move(db), std::move(hub), cache,
                                                        max_batch, current, compacted, wal_fd));
  sqlite3_wal_hook(
      writer->db_->raw(),
      [](void* self, sqlite3*, const char*, int pages) {
        static_cast<SqliteWriter*>(self)->Checkpoint(pages);
        return SQLITE_OK;
      },
      writer.get());
  writer->checkpointer_ = std::thread([w = writer.get(), c = std::move(*checkpoint_db)]() mutable {
    w->CheckpointLoop(std::move(c));
  });
  return writer;
}

SqliteWriter::SqliteWriter(std::unique_ptr<Connection> db, std::shared_ptr<WatchHub> hub,
                           LatestCache* cache, size_t max_batch, int64_t current, int64_t compacted,
                           int wal_fd)
    : db_(std::move(db)),
      hub_(std::move(hub)),
      cache_(cache),
      max_batch_(std::max<size_t>(max_batch, 1)),
      wal_fd_(wal_fd),
      current_(current),
      compacted_(compacted),
      committed_revision_(current) {}

SqliteWriter::~SqliteWriter() {
  {
    std::unique_lock lock(mu_);
    stopping_ = true;
    idle_cv_.wait(
        lock, [&] { return !committing_ && !syncing_ && queue_.empty() && committed_.empty(); });
  }
  {
    std::lock_guard lock(checkpoint_mu_);
    checkpoint_stopping_ = true;
  }
  checkpoint_cv_.notify_all();
  if (checkpointer_.joinable()) {
    checkpointer_.join();
  }
  ::close(wal_fd_);
}

void SqliteWriter::Tell(Request* request, Signal signal) {
  // Once the signal is stored the caller may return and free `request`; the waker stays.
  std::shared_ptr<Waker> waker = request->waker;
  waker->signal.store(signal, std::memory_order_release);
  waker->signal.notify_one();
}

void SqliteWriter::Answer(Request* request, Result<EventPtr> result) {
  request->result = std::move(result);
  Tell(request, kDone);
}

Result<EventPtr> SqliteWriter::Write(Op op, std::string_view key, std::string_view value,
                                     int64_t expected_mod_revision) {
  Request request;
  request.op = op;
  request.key = key;
  request.value = value;
  request.revision = expected_mod_revision;
  Run(&request);
  return std::move(request.result);
}

Status SqliteWriter::Compact(int64_t revision) {
  if (revision > current_revision()) {
    return InvalidError(fmt::format("cannot compact to revision {}: the current revision is {}",
                                    revision, current_revision()));
  }
  if (revision <= compacted_revision()) {
    return Status::Ok();
  }
  Request request;
  request.compact = true;
  request.revision = revision;
  Run(&request);
  return request.result.status();
}

void SqliteWriter::Run(Request* self) {
  Signal role = kWait;
  {
    std::lock_guard lock(mu_);
    if (stopping_) {
      self->result = UnavailableError("store is closing");
      return;
    }
    queue_.push_back(self);
    if (!committing_) {
      committing_ = true;
      role = kCommit;
    }
  }
  while (true) {
    switch (role) {
      case kCommit:
        role = Commit(self);
        break;
      case kSync:
        Sync(self);
        return;
      case kDone:
        return;
      case kWait: {
        // atomic::wait spins briefly before it sleeps, which spares a sleep and wake-up when the
        // answer is a few microseconds away.
        std::atomic<int>& signal = self->waker->signal;
        int s;
        while ((s = signal.exchange(kWait, std::memory_order_acq_rel)) == kWait) {
          signal.wait(kWait, std::memory_order_acquire);
        }
        role = static_cast<Signal>(s);
        break;
      }
    }
  }
}

SqliteWriter::Signal SqliteWriter::Commit(Request* self) {
  while (true) {
    bool worked = CommitNext();
    std::shared_ptr<Waker> wake;  // told after the lock is released
    Signal wake_with = kWait;
    Signal next = kCommit;
    {
      std::lock_guard lock(mu_);
      auto told = static_cast<Signal>(self->waker->signal.exchange(kWait));
      bool self_committed = std::find(queue_.begin(), queue_.end(), self) == queue_.end();
      if (told == kDone || told == kSync) {
        next = told;
      } else if (!syncing_ && !committed_.empty()) {
        // Committed batches wait for a syncer: become it, or make a waiting caller of theirs it.
        syncing_ = true;
        if (self_committed) {
          next = kSync;
        } else {
          wake = committed_.front().requests.front()->waker;
          wake_with = kSync;
        }
      } else if (queue_.empty() || !worked) {
        next = self_committed ? kWait : kCommit;
      }
      if (next != kCommit) {
        // Hand the committer role to the oldest queued caller, or free it.
        if (!queue_.empty()) {
          wake = queue_.front()->waker;
          wake_with = kCommit;
        } else {
          committing_ = false;
          idle_cv_.notify_all();
        }
      }
    }
    if (wake) {
      wake->signal.store(wake_with, std::memory_order_release);
      wake->signal.notify_one();
    }
    if (next != kCommit) {
      return next;
    }
  }
}

bool SqliteWriter::CommitNext() {
  std::vector<Request*> batch;
  Request* compaction = nullptr;
  Status broken;
  {
    std::lock_guard lock(mu_);
    broken = broken_;
    while (!queue_.empty() && batch.size() < max_batch_) {
      Request* r = queue_.front();
      if (r->compact) {
        if (!batch.empty()) {
          break;  // commit the writes ahead of it first
        }
        compaction = r;
        queue_.pop_front();
        break;
      }
      batch.push_back(r);
      queue_.pop_front();
    }
  }
  if (compaction != nullptr) {
    if (!CompactStep(compaction)) {
      std::lock_guard lock(mu_);
      queue_.push_back(compaction);  // behind the writes that arrived meanwhile
    }
    return true;
  }
  if (batch.empty()) {
    return false;
  }
  if (!broken.ok()) {
    for (Request* r : batch) {
      Answer(r, broken);
    }
    return true;
  }
  CommitBatch(std::move(batch));
  return true;
}

void SqliteWriter::CommitBatch(std::vector<Request*> batch) {
  auto fail_all = [&](const Status& status) {
    for (Request* r : batch) {
      Answer(r, status);
    }
  };
  // Values published since the last batch are in the cache now (it is updated before
  // current_), so the overlay only needs the newer ones.
  if (!overlay_.empty()) {
    int64_t published = current_revision();
    std::erase_if(overlay_, [&](const auto& entry) { return entry.second.revision <= published; });
  }
  if (Status begun = db_->Exec("BEGIN IMMEDIATE"); !begun.ok()) {
    fail_all(begun);
    return;
  }
  int64_t revision = committed_revision_;
  Batch committed;
  Overlay batch_overlay;
  for (Request* r : batch) {
    Result<Event> applied = Apply(*r, revision + 1, batch_overlay);
    if (applied.ok()) {
      ++revision;
      committed.events.push_back(std::make_shared<const Event>(std::move(*applied)));
      r->result = committed.events.back();
      continue;
    }
    Reason reason = applied.status().reason();
    if (reason != Reason::kNotFound && reason != Reason::kConflict &&
        reason != Reason::kAlreadyExists) {
      // The storage failed, not the request: nothing of the batch is kept.
      db_->Exec("ROLLBACK").IgnoreError();
      fail_all(applied.status());
      return;
    }
    r->result = applied.status();
  }
  if (Status done = db_->Exec("COMMIT"); !done.ok()) {
    db_->Exec("ROLLBACK").IgnoreError();
    Status broken = UnavailableError(
        "store write failed and the store refuses writes until restarted: " + done.message());
    {
      std::lock_guard lock(mu_);
      broken_ = broken;
    }
    fail_all(broken);
    return;
  }
  committed_revision_ = revision;
  for (auto& [key, unpublished] : batch_overlay) {
    overlay_.insert_or_assign(key, std::move(unpublished));
  }
  committed.requests = std::move(batch);
  committed.last_revision = revision;
  std::lock_guard lock(mu_);
  committed_.push_back(std::move(committed));
}

Result<Event> SqliteWriter::Apply(const Request& r, int64_t revision, Overlay& batch_overlay) {
  // Newest first: this batch's writes, then committed but unpublished ones, then the cache of
  // published values.
  std::shared_ptr<const KeyValue> prev;
  std::string key(r.key);
  if (auto it = batch_overlay.find(key); it != batch_overlay.end()) {
    prev = it->second.kv;
  } else if (auto it = overlay_.find(key); it != overlay_.end()) {
    prev = it->second.kv;
  } else {
    prev = cache_->Get(r.key);
  }
  Event event;
  event.revision = revision;
  event.kv.key = key;
  event.kv.mod_revision = revision;
  int64_t prev_revision = 0;
  if (r.op == Op::kCreate) {
    if (prev) {
      return AlreadyExistsError(fmt::format("key \"{}\" already exists", r.key));
    }
    event.type = Event::Type::kCreated;
    event.kv.create_revision = revision;
    event.kv.value = std::string(r.value);
  } else {
    if (!prev) {
      return NotFoundError(fmt::format("key \"{}\" not found", r.key));
    }
    if (r.revision != 0 && prev->mod_revision != r.revision) {
      return ConflictError(fmt::format("key \"{}\" has mod revision {}, not the expected {}", r.key,
                                       prev->mod_revision, r.revision));
    }
    event.type = r.op == Op::kUpdate ? Event::Type::kUpdated : Event::Type::kDeleted;
    event.kv.create_revision = prev->create_revision;
    if (r.op == Op::kUpdate) {
      event.kv.value = std::string(r.value);
    }
    prev_revision = prev->mod_revision;
    event.prev = *prev;
  }
  KSTACK_ASSIGN_OR_RETURN(Statement * insert, db_->Prepare(kInsert));
  Statement::Scope scope(*insert);
  insert->BindInt(1, revision);
  insert->BindBlob(2, event.kv.key);
  insert->BindInt(3, event.type == Event::Type::kDeleted ? 1 : 0);
  insert->BindInt(4, event.kv.create_revision);
  insert->BindInt(5, prev_revision);
  insert->BindBlob(6, event.kv.value);
  KSTACK_RETURN_IF_ERROR(insert->Run());
  batch_overlay.insert_or_assign(std::move(key),
                                 Unpublished{.kv = event.type == Event::Type::kDeleted
                                                       ? nullptr
                                                       : std::make_shared<const KeyValue>(event.kv),
                                             .revision = revision});
  return event;
}

void SqliteWriter::Sync(Request* self) {
  std::deque<Batch> batches;
  Status broken;
  {
    std::lock_guard lock(mu_);
    batches.swap(committed_);
    broken = broken_;
  }
  if (broken.ok() && ::fdatasync(wal_fd_) != 0) {
    broken = UnavailableError(
        fmt::format("store fsync failed and the store refuses writes until restarted: {}",
                    std::strerror(errno)));
    std::lock_guard lock(mu_);
    broken_ = broken;
  }
  if (broken.ok() && !batches.empty()) {
    // Visible in the order readers rely on: cache, then revision, then events.
    for (const Batch& batch : batches) {
      for (const EventPtr& e : batch.events) {
        if (e->type == Event::Type::kDeleted) {
          cache_->Erase(e->kv.key);
        } else {
          cache_->Put(std::make_shared<const KeyValue>(e->kv));
        }
      }
    }
    current_.store(batches.back().last_revision, std::memory_order_release);
    for (const Batch& batch : batches) {
      hub_->Publish(batch.events);
    }
  }
  // Hand the syncer role on before answering, so the next fsync overlaps the wake-ups.
  std::shared_ptr<Waker> next;
  {
    std::lock_guard lock(mu_);
    if (!committed_.empty()) {
      next = committed_.front().requests.front()->waker;
    } else {
      syncing_ = false;
      idle_cv_.notify_all();
    }
  }
  if (next) {
    next->signal.store(kSync, std::memory_order_release);
    next->signal.notify_one();
  }
  for (const Batch& batch : batches) {
    for (Request* r : batch.requests) {
      if (!broken.ok()) {
        r->result = broken;
      }
      if (r != self) {
        Tell(r, kDone);
      }
    }
  }
}

bool SqliteWriter::CompactStep(Request* request) {
  int64_t from = compacted_revision();
  int64_t to = std::min(request->revision, from + kCompactStep);
  auto fail = [&](const Status& status) {
    db_->Exec("ROLLBACK").IgnoreError();
    compacted_.store(from, std::memory_order_release);
    Answer(request, status);
    return true;
  };
  if (to <= from) {
    Answer(request, EventPtr());
    return true;
  }
  if (Status begun = db_->Exec("BEGIN IMMEDIATE"); !begun.ok()) {
    Answer(request, begun);
    return true;
  }
  for (const char* sql : {kCompactSuperseded, kCompactTombstones}) {
    auto stmt = db_->Prepare(sql);
    if (!stmt.ok()) {
      return fail(stmt.status());
    }
    Statement::Scope scope(**stmt);
    (*stmt)->BindInt(1, from);
    (*stmt)->BindInt(2, to);
    if (Status run = (*stmt)->Run(); !run.ok()) {
      return fail(run);
    }
  }
  auto set = db_->Prepare(kSetCompacted);
  if (!set.ok()) {
    return fail(set.status());
  }
  {
    Statement::Scope scope(**set);
    (*set)->BindInt(1, to);
    if (Status run = (*set)->Run(); !run.ok()) {
      return fail(run);
    }
  }
  compacted_.store(to, std::memory_order_release);
  // A compaction need not be durable before it is answered: if a crash takes it back, the
  // history it dropped comes back with it.
  if (Status done = db_->Exec("COMMIT"); !done.ok()) {
    return fail(done);
  }
  if (to < request->revision) {
    return false;
  }
  Answer(request, EventPtr());
  return true;
}

void SqliteWriter::Checkpoint(int pages) {
  // Called by the committer after each commit with the WAL's size in pages.
  if (pages < checkpointed_pages_) {
    checkpointed_pages_ = 0;  // the WAL was restarted from its beginning
  }
  if (catch_up_.exchange(false, std::memory_order_acq_rel) || pages >= kWalHardLimitPages) {
    // SQLite restarts the WAL from its beginning (rather than append to it) only at the first
    // write after a checkpoint has copied every frame, which a background checkpoint racing a
    // steady stream of commits never has. So once it has copied the bulk, the committer copies
    // the few frames written meanwhile. Fails with SQLITE_BUSY, harmlessly, if a background
    // checkpoint has started again.
    sqlite3_wal_checkpoint_v2(db_->raw(), "main", SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    checkpointed_pages_ = pages;
    return;
  }
  if (pages - checkpointed_pages_ >= kCheckpointPages) {
    checkpointed_pages_ = pages;
    {
      std::lock_guard lock(checkpoint_mu_);
      checkpoint_wanted_ = true;
    }
    checkpoint_cv_.notify_one();
  }
}

void SqliteWriter::CheckpointLoop(std::unique_ptr<Connection> db) {
  std::unique_lock lock(checkpoint_mu_);
  while (true) {
    checkpoint_cv_.wait(lock, [&] { return checkpoint_wanted_ || checkpoint_stopping_; });
    if (checkpoint_stopping_) {
      return;
    }
    checkpoint_wanted_ = false;
    lock.unlock();
    // PASSIVE copies what no reader needs without waiting for anyone; it fsyncs the WAL before
    // copying and the database file after.
    int rc =
        sqlite3_wal_checkpoint_v2(db->raw(), "main", SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    if (rc == SQLITE_OK) {
      catch_up_.store(true, std::memory_order_release);
    } else if ((rc & 0xff) != SQLITE_BUSY) {
      log::Warn("store: WAL checkpoint failed: {}", sqlite3_errstr(rc));
    }
    lock.lock();
  }
}

}  // namespace kstack::store::internal
