#include "store/internal/compaction_schedule.h"

#include <gtest/gtest.h>

namespace kstack::store::internal {
namespace {

using std::chrono::minutes;

TEST(CompactionScheduleTest, ByCountKeepsTheLatestRevisions) {
  CompactionSchedule s({.max_revisions = 100, .max_age = minutes(60)});
  FakeClock clock;
  EXPECT_EQ(s.Tick(clock.Monotonic(), 50), 0);
  EXPECT_EQ(s.Tick(clock.Monotonic(), 1000), 900);
}

TEST(CompactionScheduleTest, ByAgeCompactsToTheRevisionCurrentMaxAgeAgo) {
  CompactionSchedule s({.max_revisions = 1'000'000, .max_age = minutes(5)});
  FakeClock clock;
  EXPECT_EQ(s.Tick(clock.Monotonic(), 10), 0);
  clock.Advance(minutes(3));
  EXPECT_EQ(s.Tick(clock.Monotonic(), 20), 0);
  clock.Advance(minutes(2));
  EXPECT_EQ(s.Tick(clock.Monotonic(), 30), 10);  // 10 was current 5 minutes ago
  clock.Advance(minutes(1));
  EXPECT_EQ(s.Tick(clock.Monotonic(), 40), 10);
  clock.Advance(minutes(2));
  EXPECT_EQ(s.Tick(clock.Monotonic(), 50), 20);
}

TEST(CompactionScheduleTest, TheNewerOfTheTwoBoundsWins) {
  CompactionSchedule s({.max_revisions = 5, .max_age = minutes(5)});
  FakeClock clock;
  EXPECT_EQ(s.Tick(clock.Monotonic(), 100), 95);
  clock.Advance(minutes(10));
  EXPECT_EQ(s.Tick(clock.Monotonic(), 101), 100);  // by age 100, by count 96
}

}  // namespace
}  // namespace kstack::store::internal
