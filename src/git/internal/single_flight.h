#pragma once

// Coalesces concurrent runs of one operation: while a run is in progress, other callers wait
// for it and share its Status instead of starting their own.

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>

#include "core/status.h"

namespace kstack::git::internal {

class SingleFlight {
 public:
  // Runs `fn` on this thread, or, when another thread is already running the operation, waits
  // for that run to end and returns its Status without calling `fn`. `fn` must not call Do on
  // the same SingleFlight.
  Status Do(const std::function<Status()>& fn);

 private:
  std::mutex mu_;
  std::condition_variable done_;
  bool running_ = false;
  uint64_t finished_runs_ = 0;
  Status last_;
};

}  // namespace kstack::git::internal
