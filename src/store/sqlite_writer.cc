#include "store/internal/sqlite_writer.h"

#include <fmt/format.h>

#include <algorithm>

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

}  // namespace

Result<std::unique_ptr<SqliteWriter>> SqliteWriter::Start(std::unique_ptr<Connection> db,
                                                          std::shared_ptr<WatchHub> hub,
                                                          LatestCache* cache, size_t max_batch) {
  KSTACK_ASSIGN_OR_RETURN(int64_t current, ReadSnapshotRevision(*db));
  KSTACK_ASSIGN_OR_RETURN(int64_t compacted,
                          db->QueryInt("SELECT value FROM meta WHERE name = 'compact_revision'"));
  return std::unique_ptr<SqliteWriter>(
      new SqliteWriter(std::move(db), std::move(hub), cache, max_batch, current, compacted));
}

SqliteWriter::SqliteWriter(std::unique_ptr<Connection> db, std::shared_ptr<WatchHub> hub,
                           LatestCache* cache, size_t max_batch, int64_t current, int64_t compacted)
    : db_(std::move(db)),
      hub_(std::move(hub)),
      cache_(cache),
      max_batch_(std::max<size_t>(max_batch, 1)),
      current_(current),
      compacted_(compacted) {
  thread_ = std::thread([this] { Loop(); });
}

SqliteWriter::~SqliteWriter() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

Status SqliteWriter::Submit(Request* request) {
  {
    std::lock_guard lock(mu_);
    if (stopping_) {
      return UnavailableError("store is closing");
    }
    queue_.push_back(request);
  }
  cv_.notify_one();
  return Status::Ok();
}

Result<EventPtr> SqliteWriter::Write(Op op, std::string_view key, std::string_view value,
                                     int64_t expected_mod_revision) {
  Request request;
  request.op = op;
  request.key = key;
  request.value = value;
  request.revision = expected_mod_revision;
  auto done = request.done.get_future();
  KSTACK_RETURN_IF_ERROR(Submit(&request));
  return done.get();
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
  auto done = request.done.get_future();
  KSTACK_RETURN_IF_ERROR(Submit(&request));
  return done.get().status();
}

void SqliteWriter::Loop() {
  std::vector<Request*> batch;
  while (true) {
    Request* compaction = nullptr;
    batch.clear();
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) {
        return;  // stopping, and every request is answered
      }
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
      continue;
    }
    if (!broken_.ok()) {
      FailAll(batch, broken_);
      continue;
    }
    CommitBatch(batch);
  }
}

void SqliteWriter::FailAll(const std::vector<Request*>& batch, const Status& status) {
  for (Request* r : batch) {
    r->done.set_value(status);
  }
}

void SqliteWriter::CommitBatch(const std::vector<Request*>& batch) {
  if (Status begun = db_->Exec("BEGIN IMMEDIATE"); !begun.ok()) {
    FailAll(batch, begun);
    return;
  }
  int64_t revision = current_revision();
  std::vector<EventPtr> events;
  std::vector<Result<EventPtr>> results;
  results.reserve(batch.size());
  Pending pending;
  for (Request* r : batch) {
    Result<Event> applied = Apply(*r, revision + 1, pending);
    if (applied.ok()) {
      ++revision;
      events.push_back(std::make_shared<const Event>(std::move(*applied)));
      results.push_back(events.back());
      continue;
    }
    Reason reason = applied.status().reason();
    if (reason != Reason::kNotFound && reason != Reason::kConflict &&
        reason != Reason::kAlreadyExists) {
      // The storage failed, not the request: nothing of the batch is kept.
      db_->Exec("ROLLBACK").IgnoreError();
      FailAll(batch, applied.status());
      return;
    }
    results.push_back(applied.status());
  }
  if (Status committed = db_->Exec("COMMIT"); !committed.ok()) {
    db_->Exec("ROLLBACK").IgnoreError();
    broken_ = UnavailableError("store write failed and the store refuses writes until restarted: " +
                               committed.message());
    FailAll(batch, broken_);
    return;
  }
  current_.store(revision, std::memory_order_release);
  for (auto& [key, kv] : pending) {
    if (kv) {
      cache_->Put(std::move(kv));
    } else {
      cache_->Erase(key);
    }
  }
  hub_->Publish(events);
  for (size_t i = 0; i < batch.size(); ++i) {
    batch[i]->done.set_value(std::move(results[i]));
  }
}

Result<Event> SqliteWriter::Apply(const Request& r, int64_t revision, Pending& pending) {
  // The cache is authoritative for the latest committed values; `pending` overlays the writes
  // of this batch so that they see each other.
  auto in_batch = pending.find(r.key);
  std::shared_ptr<const KeyValue> prev =
      in_batch != pending.end() ? in_batch->second : cache_->Get(r.key);
  Event event;
  event.revision = revision;
  event.kv.key = std::string(r.key);
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
  pending[r.key] =
      event.type == Event::Type::kDeleted ? nullptr : std::make_shared<const KeyValue>(event.kv);
  return event;
}

bool SqliteWriter::CompactStep(Request* request) {
  int64_t from = compacted_revision();
  int64_t to = std::min(request->revision, from + kCompactStep);
  auto fail = [&](const Status& status) {
    db_->Exec("ROLLBACK").IgnoreError();
    compacted_.store(from, std::memory_order_release);
    request->done.set_value(status);
    return true;
  };
  if (to <= from) {
    request->done.set_value(EventPtr());
    return true;
  }
  if (Status begun = db_->Exec("BEGIN IMMEDIATE"); !begun.ok()) {
    request->done.set_value(begun);
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
  if (Status committed = db_->Exec("COMMIT"); !committed.ok()) {
    return fail(committed);
  }
  if (to < request->revision) {
    return false;
  }
  request->done.set_value(EventPtr());
  return true;
}

}  // namespace kstack::store::internal
