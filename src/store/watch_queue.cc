#include "store/internal/watch_queue.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

namespace kstack::store::internal {

WatchQueue::WatchQueue(std::string prefix, int64_t after_revision, size_t limit,
                       std::function<void()> on_ready)
    : prefix_(std::move(prefix)),
      limit_(limit),
      on_ready_(std::move(on_ready)),
      after_revision_(after_revision) {}

int64_t WatchQueue::after_revision() const {
  std::lock_guard lock(mu_);
  return after_revision_;
}

bool WatchQueue::Matches(const Event& event) const {
  // after_revision_ only changes before registration, so reading it here (under the hub's
  // lock, after registration) needs no lock of its own.
  return event.revision > after_revision_ && event.kv.key.starts_with(prefix_);
}

void WatchQueue::AppendReplay(std::vector<EventPtr> events, int64_t upto) {
  std::lock_guard lock(mu_);
  for (EventPtr& e : events) {
    queue_.push_back(std::move(e));
  }
  replay_left_ += events.size();
  after_revision_ = std::max(after_revision_, upto);
}

bool WatchQueue::Push(const EventPtr& event, bool* notify) {
  std::lock_guard lock(mu_);
  if (!end_.ok()) {
    return false;
  }
  if (queue_.size() >= limit_ + replay_left_) {
    end_ = GoneError(fmt::format(
        "watch of \"{}\" fell more than {} events behind at revision {}; re-list and watch again",
        prefix_, limit_, event->revision));
    queue_.clear();
    replay_left_ = 0;
    *notify = true;
    return false;
  }
  *notify = armed_;
  armed_ = false;
  queue_.push_back(event);
  return true;
}

void WatchQueue::End(Status why) {
  std::lock_guard lock(mu_);
  if (end_.ok()) {
    end_ = std::move(why);
    queue_.clear();
    replay_left_ = 0;
  }
}

void WatchQueue::Notify() {
  cv_.notify_all();
  if (on_ready_) {
    on_ready_();
  }
}

Result<std::vector<EventPtr>> WatchQueue::Next(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  if (timeout.count() > 0) {
    cv_.wait_for(lock, timeout, [&] { return !queue_.empty() || !end_.ok(); });
  }
  armed_ = true;
  if (!queue_.empty()) {
    std::vector<EventPtr> out(std::make_move_iterator(queue_.begin()),
                              std::make_move_iterator(queue_.end()));
    queue_.clear();
    replay_left_ = 0;
    return out;
  }
  if (!end_.ok()) {
    return end_;
  }
  return std::vector<EventPtr>();
}

}  // namespace kstack::store::internal
