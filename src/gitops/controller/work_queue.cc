#include "gitops/controller/work_queue.h"

#include <algorithm>

namespace kstack::gitops::controller {

void WorkQueue::AddAt(const std::string& key, Clock::time_point at) {
  std::lock_guard<std::mutex> hold(mu_);
  if (shutting_down_) return;
  auto [it, inserted] = due_.emplace(key, at);
  if (!inserted) it->second = std::min(it->second, at);
  cv_.notify_all();
}

std::optional<std::string> WorkQueue::Get() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!shutting_down_) {
    // The earliest due key that no worker has.
    auto next = due_.end();
    for (auto it = due_.begin(); it != due_.end(); ++it) {
      if (active_.count(it->first) == 0 && (next == due_.end() || it->second < next->second)) {
        next = it;
      }
    }
    if (next != due_.end() && next->second <= Clock::now()) {
      std::string key = next->first;
      due_.erase(next);
      active_.insert(key);
      return key;
    }
    if (next == due_.end()) {
      cv_.wait(lock);
    } else {
      cv_.wait_until(lock, next->second);
    }
  }
  return std::nullopt;
}

void WorkQueue::Done(const std::string& key) {
  std::lock_guard<std::mutex> hold(mu_);
  active_.erase(key);
  cv_.notify_all();
}

void WorkQueue::ShutDown() {
  std::lock_guard<std::mutex> hold(mu_);
  shutting_down_ = true;
  cv_.notify_all();
}

}  // namespace kstack::gitops::controller
