#pragma once

// A work queue of keys as controllers use one: a key added while queued is queued once; a key
// added while a worker has it is handed out again once that worker is done, never to two
// workers at once; keys may be added for later (AddAfter), the earliest time winning.
//
// Thread safety: every method may be called from any thread.

#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>

namespace kstack::gitops::controller {

class WorkQueue {
 public:
  using Clock = std::chrono::steady_clock;

  void Add(const std::string& key) { AddAt(key, Clock::now()); }
  void AddAfter(const std::string& key, std::chrono::nanoseconds delay) {
    AddAt(key, Clock::now() + delay);
  }
  // The next key that is due, waiting for one; nullopt once ShutDown() was called.
  std::optional<std::string> Get();
  // Tells the queue that the worker that got `key` is done with it.
  void Done(const std::string& key);
  // Wakes every Get() with nullopt; later Adds are dropped.
  void ShutDown();

 private:
  void AddAt(const std::string& key, Clock::time_point at);

  std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, Clock::time_point> due_;  // queued keys and when they are due
  std::set<std::string> active_;                  // keys a worker has
  bool shutting_down_ = false;
};

}  // namespace kstack::gitops::controller
