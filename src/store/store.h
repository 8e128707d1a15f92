#pragma once

// store::Store: the revisioned key/value store with watch that the API server keeps every object
// in. It gives the guarantees Kubernetes expects of etcd:
//
// - Every successful write (create, update, delete) gets the next global revision; revisions are
//   strictly increasing, never reused (also across restarts) and become
//   `metadata.resourceVersion`. Revision 0 is never assigned.
// - A write is acknowledged (its call returns) only once it is durable and once its event has
//   been handed to every watcher, so a watch started after an acknowledged write sees it.
// - History is kept back to the compacted revision (see CompactionPolicy in store_options.h);
//   reading, listing or watching at an older revision fails with Reason::kExpired (HTTP 410), on
//   which clients re-list, as they do against Kubernetes.
//
// Keys are byte strings such as "/registry/configmaps/default/x", compared bytewise; values are
// opaque bytes (the server stores the JSON text of objects).
//
// Errors: every operation may also fail with kUnavailable (the store is closing or its storage
// failed) or kInternal (the storage returned something unexpected, e.g. corruption).
//
// Thread safety: every method of Store may be called from any thread concurrently. A Watcher is
// used by one consumer at a time.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/status.h"

namespace kstack::store {

// One key at one revision.
struct KeyValue {
  std::string key{};
  std::string value{};
  int64_t create_revision = 0;  // revision of the create that started this key's life
  int64_t mod_revision = 0;     // revision of the write that produced this value

  friend bool operator==(const KeyValue&, const KeyValue&) = default;
};

// One write as seen by a watcher.
struct Event {
  enum class Type { kCreated, kUpdated, kDeleted };
  Type type = Type::kCreated;
  // The revision of the write.
  int64_t revision = 0;
  // kCreated, kUpdated: the new value. kDeleted: the key with an empty value, create_revision of
  // the deleted life and mod_revision = the deletion's revision.
  KeyValue kv{};
  // kUpdated, kDeleted: the value just before this write. Empty for kCreated.
  std::optional<KeyValue> prev{};
};
// Events are shared between all watchers that receive them, hence immutable and refcounted.
using EventPtr = std::shared_ptr<const Event>;

struct ListOptions {
  // Keys starting with this prefix; "" is every key.
  std::string prefix{};
  // At most this many keys per page; 0 is no limit.
  int64_t limit = 0;
  // The revision to read at; 0 is the latest. Ignored when continue_token is set (the token
  // carries the revision of the first page).
  int64_t revision = 0;
  // ListResult::continue_token of the previous page, to read the next page; "" for the first.
  // REQUIRES: the same prefix as the request that returned the token.
  std::string continue_token{};
};

struct ListResult {
  // Live keys in ascending byte order.
  std::vector<KeyValue> kvs{};
  // The revision the whole listing (every page) is consistent at.
  int64_t revision = 0;
  // Non-empty when more keys follow; pass it in ListOptions to read them. Opaque.
  std::string continue_token{};
};

// The result of a delete.
struct Deleted {
  int64_t revision = 0;  // the revision of the deletion
  KeyValue last{};       // the key's value just before it was deleted
};

// A watch of a prefix. Ends (its Next returns an error) when it falls behind, when the store
// closes, or never otherwise. Destroying it stops it; it may outlive the Store.
class Watcher {
 public:
  virtual ~Watcher() = default;

  // Waits up to `timeout` for events and returns every event queued so far, in revision order
  // (empty when the timeout passed first; Next(0ms) never blocks). Errors, after which every
  // call returns the same error:
  //   kGone: the consumer fell behind by more than the queue limit and events were dropped;
  //          the client must re-list, as with a Kubernetes "too old resource version".
  //   kUnavailable: the store closed.
  virtual Result<std::vector<EventPtr>> Next(std::chrono::milliseconds timeout) = 0;
};

struct WatchOptions {
  // Keys starting with this prefix; "" is every key.
  std::string prefix{};
  // Deliver every event with a revision greater than this one (history is replayed first).
  // Unset: only writes after the watch starts. Older than the compacted revision: kExpired.
  std::optional<int64_t> after_revision{};
  // Called for the first event queued after each Next call (and when the watch ends), so that
  // an event loop can drain the watcher without a thread per watcher. Replayed history does not
  // trigger it: it is ready when Watch returns, so call Next once then. Called by the store while
  // it completes writes, possibly on the thread of any caller of a write (the sqlite backend
  // has no writer thread of its own): it must be quick, must not block, must not take a lock that
  // a caller may hold while it writes, and must not call into the store or destroy the watcher
  // (post the work elsewhere instead). May be empty.
  std::function<void()> on_ready{};
  // Events the watcher may hold undelivered before it ends with kGone; 0 is the store's
  // default (StoreOptions::watch_queue_limit). Replayed history does not count against it.
  size_t queue_limit = 0;
};

// The interface the server needs from a storage backend. Backends are listed in open_store.h.
class Store {
 public:
  virtual ~Store() = default;

  // The value of `key` at `revision` (0 = latest).
  // Errors: kNotFound when the key does not exist at that revision; kExpired when `revision` is
  // older than the compacted revision; kTimeout when it is newer than the current revision.
  virtual Result<KeyValue> Get(std::string_view key, int64_t revision = 0) = 0;

  // A page of the live keys under a prefix, consistent at one revision across pages.
  // Errors: kExpired when the requested or continued revision has been compacted; kTimeout when
  // it is newer than the current one; kBadRequest for a malformed continue token.
  virtual Result<ListResult> List(const ListOptions& options) = 0;

  // The number of live keys under `prefix` at the latest revision.
  virtual Result<int64_t> Count(std::string_view prefix) = 0;

  // Creates `key`. Returns the stored key value (mod_revision = create_revision = its revision).
  // Errors: kAlreadyExists when the key exists.
  virtual Result<KeyValue> Create(std::string_view key, std::string_view value) = 0;

  // Replaces the value of `key` if its mod_revision is still `expected_mod_revision` (0 = any).
  // Returns the stored key value. Errors: kNotFound when the key does not exist; kConflict when
  // its mod_revision differs from the expected one.
  virtual Result<KeyValue> Update(std::string_view key, std::string_view value,
                                  int64_t expected_mod_revision) = 0;

  // Deletes `key` if its mod_revision is still `expected_mod_revision` (0 = any). Errors as
  // Update.
  virtual Result<Deleted> Delete(std::string_view key, int64_t expected_mod_revision) = 0;

  // Starts a watch; see WatchOptions. Errors: kExpired when after_revision is compacted.
  virtual Result<std::unique_ptr<Watcher>> Watch(const WatchOptions& options) = 0;

  // The revision of the latest acknowledged write (0 for an empty new store).
  virtual Result<int64_t> CurrentRevision() = 0;

  // The oldest revision that can still be read: history at and after it is kept.
  virtual Result<int64_t> CompactedRevision() = 0;

  // Discards the history older than `revision`: afterwards reads at revisions >= `revision`
  // still work and older ones fail with kExpired. A revision at or below the compacted one is a
  // no-op. Errors: kInvalid when `revision` is newer than the current revision.
  virtual Status Compact(int64_t revision) = 0;
};

}  // namespace kstack::store
