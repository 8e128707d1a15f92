#pragma once

// The loop every built-in controller runs, as Kubernetes' controllers do with a work queue:
// object keys ("namespace/name") are queued by write events and by a periodic resync, and
// worker threads hand each key to the controller's Reconcile. A key is never reconciled by two
// workers at once; a key queued again while it is being reconciled runs once more afterwards;
// a key queued several times before a worker takes it runs once. A Reconcile that fails is
// retried after a backoff (doubling from `retry_base` up to `retry_max`); one that asks to be
// looked at again later (`requeue_after`) is queued at that time. Failures are logged as
// warnings, except Conflicts (another writer came first), which are only retried.
//
// Thread safety: Enqueue(), EnqueueAfter() may be called from any thread, also from inside
// Reconcile; Start() and Stop() from one thread.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/result.h"

namespace kstack::server::workloads {

using Duration = std::chrono::milliseconds;

// What one Reconcile asks of the loop besides success.
struct ReconcileResult {
  // > 0: reconcile this key again after this long (a simulated delay, a deadline).
  Duration requeue_after{0};
};

struct ControllerLoopOptions {
  // Names the loop in logs.
  std::string name;
  // Worker threads; keys are spread over them.
  int workers = 1;
  // Every `resync`, `list_keys` is called and each key it returns is queued; 0 disables.
  Duration resync{0};
  std::function<std::vector<std::string>()> list_keys{};
  // Reconciles one key; an error is logged and the key retried after a backoff.
  std::function<Result<ReconcileResult>(const std::string& key)> reconcile;
  Duration retry_base{20};
  Duration retry_max{2000};
};

class ControllerLoop {
 public:
  explicit ControllerLoop(ControllerLoopOptions options);
  // Stops the workers.
  ~ControllerLoop();
  ControllerLoop(const ControllerLoop&) = delete;
  ControllerLoop& operator=(const ControllerLoop&) = delete;

  // Starts the workers and the resync timer; the first resync runs at once.
  void Start();
  // Stops taking keys, waits for reconciles in progress; queued keys are dropped.
  void Stop();

  void Enqueue(const std::string& key);
  // Queues `key` once `delay` has passed (an earlier pending time wins).
  void EnqueueAfter(const std::string& key, Duration delay);

  // Keys waiting or being reconciled (for tests and benchmarks).
  size_t pending() const;

 private:
  using TimePoint = std::chrono::steady_clock::time_point;
  void Work();
  void Timer();
  void PushLocked(const std::string& key);

  ControllerLoopOptions options_;
  mutable std::mutex mu_;
  std::condition_variable work_cv_;
  std::condition_variable timer_cv_;
  std::vector<std::string> queue_;  // FIFO, consumed from `head_`
  size_t head_ = 0;
  std::set<std::string> dirty_;       // queued and not yet taken
  std::set<std::string> processing_;  // being reconciled
  std::map<std::string, TimePoint> delayed_;
  std::map<std::string, int> failures_;
  bool stopping_ = true;
  std::vector<std::thread> workers_;
  std::thread timer_;
};

}  // namespace kstack::server::workloads
