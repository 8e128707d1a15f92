#include "store/internal/watch_hub.h"

#include <algorithm>

namespace kstack::store::internal {

WatchHub::WatchHub(size_t ring_capacity, int64_t revision)
    : ring_capacity_(std::max<size_t>(ring_capacity, 1)), last_revision_(revision) {}

int64_t WatchHub::last_revision() const {
  std::lock_guard lock(mu_);
  return last_revision_;
}

void WatchHub::Publish(const std::vector<EventPtr>& events) {
  if (events.empty()) {
    return;
  }
  std::vector<std::shared_ptr<WatchQueue>> to_notify;
  {
    std::lock_guard lock(mu_);
    for (const EventPtr& e : events) {
      ring_.push_back(e);
      if (ring_.size() > ring_capacity_) {
        ring_.pop_front();
      }
    }
    last_revision_ = events.back()->revision;
    for (size_t i = 0; i < watchers_.size();) {
      WatchQueue& q = *watchers_[i];
      bool notify = false;
      bool alive = true;
      for (const EventPtr& e : events) {
        if (!q.Matches(*e)) {
          continue;
        }
        bool n = false;
        alive = q.Push(e, &n);
        notify = notify || n;
        if (!alive) {
          break;
        }
      }
      if (notify) {
        to_notify.push_back(watchers_[i]);
      }
      if (!alive) {
        // Order among watchers does not matter; swap-remove keeps this O(1).
        watchers_[i] = std::move(watchers_.back());
        watchers_.pop_back();
      } else {
        ++i;
      }
    }
  }
  for (const auto& q : to_notify) {
    q->Notify();
  }
}

bool WatchHub::Register(const std::shared_ptr<WatchQueue>& queue) {
  {
    std::lock_guard lock(mu_);
    if (closed_.ok()) {
      int64_t after = queue->after_revision();
      if (after < last_revision_) {
        // The ring holds consecutive revisions, so it covers (after, last] when its first event
        // is at most after + 1.
        if (ring_.empty() || ring_.front()->revision > after + 1) {
          return false;
        }
        std::vector<EventPtr> replay;
        for (auto it = ring_.begin() + (after + 1 - ring_.front()->revision); it != ring_.end();
             ++it) {
          if (queue->Matches(**it)) {
            replay.push_back(*it);
          }
        }
        queue->AppendReplay(std::move(replay), last_revision_);
      }
      watchers_.push_back(queue);
      return true;
    }
    queue->End(closed_);
  }
  queue->Notify();
  return true;
}

void WatchHub::RegisterFromNow(const std::shared_ptr<WatchQueue>& queue) {
  {
    std::lock_guard lock(mu_);
    queue->AppendReplay({}, last_revision_);
  }
  Register(queue);
}

void WatchHub::Unregister(const WatchQueue* queue) {
  std::lock_guard lock(mu_);
  auto it = std::find_if(watchers_.begin(), watchers_.end(),
                         [&](const auto& w) { return w.get() == queue; });
  if (it != watchers_.end()) {
    *it = std::move(watchers_.back());
    watchers_.pop_back();
  }
}

void WatchHub::Close(Status why) {
  std::vector<std::shared_ptr<WatchQueue>> ended;
  {
    std::lock_guard lock(mu_);
    closed_ = why;
    ended.swap(watchers_);
    ring_.clear();
  }
  for (const auto& q : ended) {
    q->End(why);
    q->Notify();
  }
}

}  // namespace kstack::store::internal
