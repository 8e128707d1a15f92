#pragma once

// An informer: the objects of one resource type (optionally one namespace, label and field
// selector) kept in memory by a list and then a watch from the list's resourceVersion, with
// handlers told of every add, update and delete in the order the server made them.
//
// When the watch ends it is resumed from the last resourceVersion seen (bookmarks included);
// when the server says that version is gone (410 Expired/Gone) or a resumed watch cannot be
// started, the informer lists again and reconciles its store with the new list: objects that
// appeared are added, changed ones updated, vanished ones deleted, each through the handlers.
// Failures are retried with exponential backoff (min_backoff doubling up to max_backoff).
//
// Thread safety: one thread of its own runs the list/watch loop and calls the handlers (one at
// a time, never with a lock of the informer held, so a handler may read the store). Get, List,
// HasSynced and WaitForSync may be called from any thread. Start and Stop from the owner.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/json.h"
#include "kube/client.h"

namespace kstack::kube {

struct InformerOptions {
  // The type, and the namespace to keep (empty: every namespace). name is ignored.
  ResourceRef type;
  std::string label_selector;
  std::string field_selector;
  // Objects per list page.
  int64_t page_size = 500;
  std::chrono::milliseconds min_backoff{100};
  std::chrono::milliseconds max_backoff{5000};
  // Asked of the server for each watch, after which the watch is resumed.
  int64_t watch_timeout_seconds = 300;
};

struct InformerHandlers {
  std::function<void(const Json& object)> on_add;
  std::function<void(const Json& old_object, const Json& new_object)> on_update;
  std::function<void(const Json& object)> on_delete;
};

using ObjectPtr = std::shared_ptr<const Json>;

class Informer {
 public:
  // `client` is not owned and must outlive the informer.
  Informer(Client* client, InformerOptions options, InformerHandlers handlers = {});
  // Stops the informer when it still runs.
  ~Informer();
  Informer(const Informer&) = delete;
  Informer& operator=(const Informer&) = delete;

  // Starts the list/watch thread. REQUIRES: not started before.
  void Start();
  // Cancels the watch and joins the thread; no handler runs after it returns. Idempotent.
  // REQUIRES: not called from a handler (it would wait for itself).
  void Stop();

  // True once the first list has been stored (and its adds handled).
  bool HasSynced() const;
  // Waits until HasSynced() or `timeout`; returns HasSynced().
  bool WaitForSync(std::chrono::milliseconds timeout) const;

  // The object namespace/name ("" namespace for cluster-scoped); null when absent.
  ObjectPtr Get(std::string_view namespace_name, std::string_view name) const;
  // Every object, ordered by namespace then name.
  std::vector<ObjectPtr> List() const;
  // The resourceVersion the store is current at.
  std::string ResourceVersion() const;
  // How many full lists were made (1 after the first sync; more after relists).
  int64_t list_count() const { return lists_.load(); }
  // The last error the loop met (cleared by the next success); OK when none.
  Status last_error() const;

 private:
  void Run();
  Status ListAndReplace();
  void ApplyEvent(const WatchEvent& event);
  // Sleeps for the current backoff (cut short by Stop), then doubles it. False when stopping.
  bool Backoff();
  void SetError(Status status);

  Client* client_;
  InformerOptions options_;
  InformerHandlers handlers_;

  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  std::map<std::string, ObjectPtr> objects_;  // key: namespace/name
  std::string resource_version_;
  bool synced_ = false;
  bool stopping_ = false;
  WatchStream* watch_ = nullptr;  // the running watch, for Stop to cancel
  Status last_error_;

  std::atomic<int64_t> lists_{0};
  std::chrono::milliseconds backoff_;
  std::thread thread_;
};

}  // namespace kstack::kube
