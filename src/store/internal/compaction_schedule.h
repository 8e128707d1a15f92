#pragma once

// When and how far to compact, as a pure function of time and revisions (CompactionPolicy in
// store_options.h states the rule), so that it is tested without waiting.

#include <cstdint>
#include <deque>
#include <utility>

#include "core/clock.h"
#include "store/store_options.h"

namespace kstack::store::internal {

class CompactionSchedule {
 public:
  explicit CompactionSchedule(CompactionPolicy policy) : policy_(policy) {}

  // Records that `current` was the current revision at `now` (called every policy interval)
  // and returns the revision to compact to; 0 when nothing is old enough. Memory is bounded:
  // only the samples younger than max_age and the newest older one are kept.
  int64_t Tick(Clock::MonoTime now, int64_t current);

 private:
  CompactionPolicy policy_;
  std::deque<std::pair<Clock::MonoTime, int64_t>> samples_;
};

}  // namespace kstack::store::internal
