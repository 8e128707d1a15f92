#include "store/internal/compaction_schedule.h"

#include <algorithm>

namespace kstack::store::internal {

int64_t CompactionSchedule::Tick(Clock::MonoTime now, int64_t current) {
  samples_.emplace_back(now, current);
  Clock::MonoTime horizon = now - policy_.max_age;
  // Drop samples once a newer one is also older than the horizon: the newest old sample is the
  // revision that was current max_age ago.
  while (samples_.size() >= 2 && samples_[1].first <= horizon) {
    samples_.pop_front();
  }
  int64_t by_age = samples_.front().first <= horizon ? samples_.front().second : 0;
  int64_t by_count = current - policy_.max_revisions;
  return std::max<int64_t>({by_age, by_count, 0});
}

}  // namespace kstack::store::internal
