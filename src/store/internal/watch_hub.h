#pragma once

// Watch fan-out: one stream of events, fed by the writer after each durable commit, shared by
// every watcher. The hub keeps a ring of recent events so that a watch from a recent revision
// replays from memory; each watcher gets its own bounded WatchQueue, so publishing costs one
// pointer push per interested watcher and never waits for a consumer.

#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <vector>

#include "core/status.h"
#include "store/internal/watch_queue.h"
#include "store/store.h"

namespace kstack::store::internal {

class WatchHub {
 public:
  // `revision` is the current revision of the store: published events follow it.
  WatchHub(size_t ring_capacity, int64_t revision);

  // Delivers `events` to every matching watcher. Called by the single writer, after the commit
  // that made them durable. REQUIRES: revisions follow last_revision() in increasing order.
  void Publish(const std::vector<EventPtr>& events);

  // Registers `queue` so it receives every matching event after its after_revision(), copying
  // from the ring those already published. Returns false, without registering, when the ring no
  // longer holds them all: the caller reads them from the database, appends them with
  // AppendReplay and tries again. After Close, ends the queue and returns true.
  bool Register(const std::shared_ptr<WatchQueue>& queue);

  // Registers `queue` for the events after the last published one.
  void RegisterFromNow(const std::shared_ptr<WatchQueue>& queue);

  void Unregister(const WatchQueue* queue);

  // Ends every watch with `why` (and any registered later).
  void Close(Status why);

  // The revision of the last published event (or the store's revision at start).
  int64_t last_revision() const;

 private:
  mutable std::mutex mu_;
  const size_t ring_capacity_;
  std::deque<EventPtr> ring_;
  int64_t last_revision_;
  std::vector<std::shared_ptr<WatchQueue>> watchers_;
  Status closed_;
};

// The Store::Watcher handed to callers: a queue and its registration in a hub.
class HubWatcher : public Watcher {
 public:
  HubWatcher(std::shared_ptr<WatchHub> hub, std::shared_ptr<WatchQueue> queue)
      : hub_(std::move(hub)), queue_(std::move(queue)) {}
  ~HubWatcher() override { hub_->Unregister(queue_.get()); }

  Result<std::vector<EventPtr>> Next(std::chrono::milliseconds timeout) override {
    return queue_->Next(timeout);
  }

 private:
  std::shared_ptr<WatchHub> hub_;
  std::shared_ptr<WatchQueue> queue_;
};

}  // namespace kstack::store::internal
