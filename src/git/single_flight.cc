#include "git/internal/single_flight.h"

namespace kstack::git::internal {

Status SingleFlight::Do(const std::function<Status()>& fn) {
  std::unique_lock lock(mu_);
  if (running_) {
    uint64_t run = finished_runs_;
    done_.wait(lock, [&] { return finished_runs_ != run; });
    return last_;
  }
  running_ = true;
  lock.unlock();
  Status status = fn();
  lock.lock();
  last_ = status;
  running_ = false;
  ++finished_runs_;
  done_.notify_all();
  return status;
}

}  // namespace kstack::git::internal
