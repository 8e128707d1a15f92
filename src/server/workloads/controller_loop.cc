#include "server/workloads/controller_loop.h"

#include <algorithm>
#include <utility>

#include "core/log.h"

namespace kstack::server::workloads {

ControllerLoop::ControllerLoop(ControllerLoopOptions options) : options_(std::move(options)) {}

ControllerLoop::~ControllerLoop() { Stop(); }

void ControllerLoop::Start() {
  {
    std::lock_guard lock(mu_);
    if (!stopping_) return;
    stopping_ = false;
  }
  for (int i = 0; i < std::max(1, options_.workers); ++i) {
    workers_.emplace_back([this] { Work(); });
  }
  timer_ = std::thread([this] { Timer(); });
}

void ControllerLoop::Stop() {
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  work_cv_.notify_all();
  timer_cv_.notify_all();
  for (std::thread& t : workers_) t.join();
  workers_.clear();
  if (timer_.joinable()) timer_.join();
  std::lock_guard lock(mu_);
  queue_.clear();
  head_ = 0;
  dirty_.clear();
  delayed_.clear();
}

void ControllerLoop::PushLocked(const std::string& key) {
  if (!dirty_.insert(key).second) return;
  // A key being reconciled is queued once its reconcile ends (see Work).
  if (processing_.contains(key)) return;
  queue_.push_back(key);
  work_cv_.notify_one();
}

void ControllerLoop::Enqueue(const std::string& key) {
  std::lock_guard lock(mu_);
  PushLocked(key);
}

void ControllerLoop::EnqueueAfter(const std::string& key, Duration delay) {
  if (delay.count() <= 0) return Enqueue(key);
  std::lock_guard lock(mu_);
  TimePoint at = std::chrono::steady_clock::now() + delay;
  auto [it, inserted] = delayed_.emplace(key, at);
  if (!inserted && at < it->second) it->second = at;
  timer_cv_.notify_one();
}

size_t ControllerLoop::pending() const {
  std::lock_guard lock(mu_);
  return dirty_.size() + processing_.size();
}

void ControllerLoop::Work() {
  std::unique_lock lock(mu_);
  while (true) {
    work_cv_.wait(lock, [this] { return stopping_ || head_ < queue_.size(); });
    if (stopping_) return;
    std::string key = std::move(queue_[head_++]);
    if (head_ > 1024 && head_ * 2 > queue_.size()) {
      queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(head_));
      head_ = 0;
    }
    dirty_.erase(key);
    processing_.insert(key);
    lock.unlock();
    Result<ReconcileResult> result = options_.reconcile(key);
    lock.lock();
    processing_.erase(key);
    if (dirty_.contains(key)) {
      queue_.push_back(key);  // written again meanwhile
      work_cv_.notify_one();
    }
    if (!result.ok()) {
      int& failures = failures_[key];
      ++failures;
      auto backoff = options_.retry_base * (1 << std::min(failures - 1, 16));
      backoff = std::min<Duration>(backoff, options_.retry_max);
      // A conflict only means another writer came first: retried without a word.
      bool conflict = result.status().reason() == Reason::kConflict;
      if (!conflict && (failures <= 3 || failures % 20 == 0)) {
        log::Warn("{}: {}: {} (retrying)", options_.name, key, result.status().ToString());
      }
      TimePoint at = std::chrono::steady_clock::now() + backoff;
      auto [it, inserted] = delayed_.emplace(key, at);
      if (!inserted && at < it->second) it->second = at;
      timer_cv_.notify_one();
      continue;
    }
    failures_.erase(key);
    if (result->requeue_after.count() > 0) {
      TimePoint at = std::chrono::steady_clock::now() + result->requeue_after;
      auto [it, inserted] = delayed_.emplace(key, at);
      if (!inserted && at < it->second) it->second = at;
      timer_cv_.notify_one();
    }
  }
}

void ControllerLoop::Timer() {
  TimePoint next_resync = std::chrono::steady_clock::now();
  std::unique_lock lock(mu_);
  while (!stopping_) {
    TimePoint now = std::chrono::steady_clock::now();
    if (options_.resync.count() > 0 && options_.list_keys && now >= next_resync) {
      lock.unlock();
      std::vector<std::string> keys = options_.list_keys();
      lock.lock();
      for (const std::string& key : keys) PushLocked(key);
      next_resync = now + options_.resync;
      continue;
    }
    TimePoint wake = options_.resync.count() > 0 ? next_resync : now + std::chrono::hours(1);
    for (auto it = delayed_.begin(); it != delayed_.end();) {
      if (it->second <= now) {
        PushLocked(it->first);
        it = delayed_.erase(it);
      } else {
        wake = std::min(wake, it->second);
        ++it;
      }
    }
    timer_cv_.wait_until(lock, wake);
  }
}

}  // namespace kstack::server::workloads
