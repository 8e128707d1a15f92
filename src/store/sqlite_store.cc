#include "store/internal/sqlite_store.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "core/log.h"
#include "store/internal/compaction_schedule.h"
#include "store/internal/continue_token.h"
#include "store/internal/sqlite_queries.h"
#include "store/internal/sqlite_schema.h"

namespace kstack::store::internal {
namespace {

// A watch from an old revision reads history, then tries to join the live stream; each round
// reads only what was written meanwhile, so a few rounds suffice unless writes outrun reads.
constexpr int kMaxCatchUpRounds = 100;

Status ExpiredAt(int64_t revision, int64_t compacted) {
  return ExpiredError(
      fmt::format("revision {} is older than the compacted revision {}; re-list to get a newer one",
                  revision, compacted));
}

}  // namespace

Result<std::unique_ptr<Store>> SqliteStore::Open(const StoreOptions& options) {
  if (options.data_dir.empty()) {
    return InvalidError("store: data_dir is required for backend \"sqlite\"");
  }
  std::error_code ec;
  std::filesystem::create_directories(options.data_dir, ec);
  if (ec) {
    return InternalError(
        fmt::format("store: cannot create data directory {}: {}", options.data_dir, ec.message()));
  }
  std::unique_ptr<SqliteStore> store(new SqliteStore());
  store->options_ = options;

  std::string lock_path = options.data_dir + "/store.lock";
  store->lock_fd_ = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (store->lock_fd_ < 0) {
    return InternalError(fmt::format("store: cannot open {}: {}", lock_path, strerror(errno)));
  }
  if (::flock(store->lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    return UnavailableError(
        fmt::format("store: data directory {} is in use by another process", options.data_dir));
  }

  std::string path = options.data_dir + "/" + kFileName;
  KSTACK_ASSIGN_OR_RETURN(auto db, Connection::Open(path, /*create=*/true));
  KSTACK_RETURN_IF_ERROR(EnsureSchema(*db, path));
  KSTACK_ASSIGN_OR_RETURN(std::string mode, db->QueryText("PRAGMA journal_mode = WAL"));
  if (mode != "wal") {
    return InternalError(
        fmt::format("store {}: cannot enable WAL (journal mode is {})", path, mode));
  }
  // journal_size_limit trims the WAL file after checkpoints, so the disk use of a burst of
  // writes does not stay. SqliteWriter::Start sets the fsync policy.
  KSTACK_RETURN_IF_ERROR(db->Exec("PRAGMA journal_size_limit = 67108864;"));

  KSTACK_ASSIGN_OR_RETURN(store->readers_, ReadPool::Open(path, options.read_connections));
  KSTACK_ASSIGN_OR_RETURN(int64_t current, ReadSnapshotRevision(*db));
  store->hub_ = std::make_shared<WatchHub>(options.event_ring_capacity, current);
  // Start makes what the WAL holds durable before anything of it is read below.
  auto reader = store->readers_->Acquire();
  KSTACK_ASSIGN_OR_RETURN(store->writer_, SqliteWriter::Start(path, std::move(db), store->hub_,
                                                              &store->cache_, options.max_batch));
  KSTACK_ASSIGN_OR_RETURN(std::vector<KeyValue> live,
                          ReadRange(*reader, PrefixRange(""), current, /*limit=*/0));
  for (KeyValue& kv : live) {
    store->cache_.Put(std::make_shared<const KeyValue>(std::move(kv)));
  }
  if (options.compaction.interval.count() > 0) {
    SqliteStore* raw = store.get();
    store->compactor_ = std::thread([raw] { raw->CompactorLoop(); });
  }
  return std::unique_ptr<Store>(std::move(store));
}

SqliteStore::~SqliteStore() {
  {
    std::lock_guard lock(compactor_mu_);
    stopping_ = true;
  }
  compactor_cv_.notify_all();
  if (compactor_.joinable()) {
    compactor_.join();
  }
  writer_.reset();  // answers every queued write first
  if (hub_) {
    hub_->Close(UnavailableError("store closed"));
  }
  readers_.reset();
  if (lock_fd_ >= 0) {
    ::close(lock_fd_);
  }
}

void SqliteStore::CompactorLoop() {
  CompactionSchedule schedule(options_.compaction);
  Clock& clock = options_.clock != nullptr ? *options_.clock : SystemClock();
  std::unique_lock lock(compactor_mu_);
  while (!compactor_cv_.wait_for(lock, options_.compaction.interval, [&] { return stopping_; })) {
    lock.unlock();
    int64_t target = schedule.Tick(clock.Monotonic(), writer_->current_revision());
    if (target > writer_->compacted_revision()) {
      if (Status s = writer_->Compact(target); !s.ok()) {
        log::Warn("store: compaction to revision {} failed: {}", target, s.ToString());
      }
    }
    lock.lock();
  }
}

Status SqliteStore::CheckReadable(int64_t revision) {
  int64_t compacted = writer_->compacted_revision();
  if (revision < compacted) {
    return ExpiredAt(revision, compacted);
  }
  // Not the snapshot's newest revision: it may hold commits that are not durable yet (see
  // sqlite_writer.h).
  int64_t current = writer_->current_revision();
  if (revision > current) {
    return TimeoutError(
        fmt::format("revision {} is newer than the current revision {}", revision, current));
  }
  return Status::Ok();
}

Result<KeyValue> SqliteStore::Get(std::string_view key, int64_t revision) {
  if (revision == 0) {
    std::shared_ptr<const KeyValue> latest = cache_.Get(key);
    if (latest == nullptr) {
      return NotFoundError(fmt::format("key \"{}\" not found", key));
    }
    return *latest;
  }
  auto db = readers_->Acquire();
  KSTACK_RETURN_IF_ERROR(CheckReadable(revision));
  KSTACK_ASSIGN_OR_RETURN(std::optional<KeyValue> kv, ReadKey(*db, key, revision));
  if (revision != 0 && revision < writer_->compacted_revision()) {
    return ExpiredAt(revision, writer_->compacted_revision());  // compacted during the read
  }
  if (!kv) {
    return NotFoundError(fmt::format("key \"{}\" not found", key));
  }
  return std::move(*kv);
}

Result<ListResult> SqliteStore::List(const ListOptions& options) {
  KeyRange range = PrefixRange(options.prefix);
  int64_t revision = options.revision;
  if (!options.continue_token.empty()) {
    KSTACK_ASSIGN_OR_RETURN(ContinueToken token, DecodeContinueToken(options.continue_token));
    if (!token.last_key.starts_with(options.prefix)) {
      return BadRequestError("continue token does not belong to prefix \"" + options.prefix + "\"");
    }
    revision = token.revision;
    // The smallest key after last_key.
    range.lower = token.last_key + std::string(1, '\0');
  }
  if (revision == 0) {
    // The latest durable revision, read before the snapshot starts so that it holds it; the
    // snapshot may also hold newer commits that are not durable yet, which the query skips.
    revision = writer_->current_revision();
  } else {
    KSTACK_RETURN_IF_ERROR(CheckReadable(revision));
  }
  auto db = readers_->Acquire();
  ReadTransaction txn(*db);
  KSTACK_RETURN_IF_ERROR(txn.Begin());
  int64_t fetch = options.limit > 0 ? options.limit + 1 : 0;
  ListResult result;
  KSTACK_ASSIGN_OR_RETURN(result.kvs, ReadRange(*db, range, revision, fetch));
  if (revision < writer_->compacted_revision()) {
    return ExpiredAt(revision, writer_->compacted_revision());
  }
  result.revision = revision;
  if (options.limit > 0 && static_cast<int64_t>(result.kvs.size()) > options.limit) {
    result.kvs.pop_back();
    result.continue_token =
        EncodeContinueToken({.revision = revision, .last_key = result.kvs.back().key});
  }
  return result;
}

Result<int64_t> SqliteStore::Count(std::string_view prefix) {
  int64_t revision = writer_->current_revision();  // see List
  auto db = readers_->Acquire();
  return CountRange(*db, PrefixRange(prefix), revision);
}

Result<KeyValue> SqliteStore::Create(std::string_view key, std::string_view value) {
  KSTACK_ASSIGN_OR_RETURN(EventPtr e, writer_->Write(SqliteWriter::Op::kCreate, key, value, 0));
  return e->kv;
}

Result<KeyValue> SqliteStore::Update(std::string_view key, std::string_view value,
                                     int64_t expected_mod_revision) {
  KSTACK_ASSIGN_OR_RETURN(
      EventPtr e, writer_->Write(SqliteWriter::Op::kUpdate, key, value, expected_mod_revision));
  return e->kv;
}

Result<Deleted> SqliteStore::Delete(std::string_view key, int64_t expected_mod_revision) {
  KSTACK_ASSIGN_OR_RETURN(
      EventPtr e, writer_->Write(SqliteWriter::Op::kDelete, key, "", expected_mod_revision));
  return Deleted{.revision = e->revision, .last = *e->prev};
}

Result<std::unique_ptr<Watcher>> SqliteStore::Watch(const WatchOptions& options) {
  size_t limit = options.queue_limit > 0 ? options.queue_limit : options_.watch_queue_limit;
  int64_t after = options.after_revision.value_or(0);
  auto queue = std::make_shared<WatchQueue>(options.prefix, after, limit, options.on_ready);
  if (!options.after_revision) {
    hub_->RegisterFromNow(queue);
    return std::unique_ptr<Watcher>(new HubWatcher(hub_, queue));
  }
  if (after < writer_->compacted_revision()) {
    return ExpiredAt(after, writer_->compacted_revision());
  }
  KeyRange range = PrefixRange(options.prefix);
  for (int round = 0; round < kMaxCatchUpRounds; ++round) {
    if (hub_->Register(queue)) {
      return std::unique_ptr<Watcher>(new HubWatcher(hub_, queue));
    }
    // Up to the last published event, read before the snapshot starts (see List): the hub's
    // ring holds what follows it, and nothing newer is durable yet.
    int64_t upto = hub_->last_revision();
    auto db = readers_->Acquire();
    ReadTransaction txn(*db);
    KSTACK_RETURN_IF_ERROR(txn.Begin());
    int64_t from = queue->after_revision();
    KSTACK_ASSIGN_OR_RETURN(std::vector<EventPtr> events, ReadHistory(*db, range, from, upto));
    if (from < writer_->compacted_revision()) {
      return ExpiredAt(from, writer_->compacted_revision());
    }
    queue->AppendReplay(std::move(events), upto);
  }
  return UnavailableError("watch could not catch up with the writes; retry");
}

Result<int64_t> SqliteStore::CurrentRevision() { return writer_->current_revision(); }

Result<int64_t> SqliteStore::CompactedRevision() { return writer_->compacted_revision(); }

Status SqliteStore::Compact(int64_t revision) { return writer_->Compact(revision); }

}  // namespace kstack::store::internal
