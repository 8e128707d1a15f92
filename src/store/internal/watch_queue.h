#pragma once

// The queue of one watcher: filled by the store's writer (through WatchHub), drained by the
// watcher's consumer. Bounded: a consumer that falls behind has its watch ended with kGone
// instead of slowing the writer or holding memory.

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "core/result.h"
#include "store/store.h"

namespace kstack::store::internal {

class WatchQueue {
 public:
  // Receives events under `prefix` with a revision greater than `after_revision`.
  WatchQueue(std::string prefix, int64_t after_revision, size_t limit,
             std::function<void()> on_ready);

  int64_t after_revision() const;
  bool Matches(const Event& event) const;

  // Appends replayed history (which does not count against the limit) and moves the start of
  // the watch to `upto`. REQUIRES: not yet registered with a hub; events match and are in order.
  void AppendReplay(std::vector<EventPtr> events, int64_t upto);

  // Appends a live event. Returns false when the queue overflowed and the watch ended (the
  // caller stops feeding it). `*notify` is set when Notify() must be called: the first event
  // since the consumer last called Next, or the end of the watch.
  bool Push(const EventPtr& event, bool* notify);

  // Ends the watch with `why` and drops undelivered events. The caller then calls Notify().
  void End(Status why);

  // Wakes a consumer blocked in Next and calls on_ready. Call without holding hub locks that
  // on_ready could need.
  void Notify();

  // Store::Watcher::Next.
  Result<std::vector<EventPtr>> Next(std::chrono::milliseconds timeout);

 private:
  const std::string prefix_;
  const size_t limit_;
  const std::function<void()> on_ready_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  int64_t after_revision_;
  std::deque<EventPtr> queue_;
  size_t replay_left_ = 0;  // replayed events still queued; they are allowed past the limit
  // True when the consumer has drained since the last notification, so the next event must
  // wake it. Starts true: replayed events do not notify (they are ready when Watch returns).
  bool armed_ = true;
  Status end_;
};

}  // namespace kstack::store::internal
