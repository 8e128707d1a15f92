#include "core/clock.h"

#include <gtest/gtest.h>

namespace kstack {
namespace {

TEST(FakeClock, MovesOnlyWhenTold) {
  FakeClock clock;
  EXPECT_EQ(FormatRfc3339(clock.Now()), "2024-01-01T00:00:00Z");
  auto mono = clock.Monotonic();
  EXPECT_EQ(clock.Monotonic(), mono);
  clock.Advance(std::chrono::milliseconds(1500));
  EXPECT_EQ(FormatRfc3339(clock.Now()), "2024-01-01T00:00:01Z");
  EXPECT_EQ(FormatRfc3339Micro(clock.Now()), "2024-01-01T00:00:01.500000Z");
  EXPECT_EQ(clock.Monotonic() - mono, std::chrono::milliseconds(1500));
  clock.SetNow(std::chrono::sys_days{std::chrono::year{2030} / 6 / 15});
  EXPECT_EQ(FormatRfc3339(clock.Now()), "2030-06-15T00:00:00Z");
}

TEST(SystemClock, MonotonicNeverGoesBack) {
  auto a = SystemClock().Monotonic();
  auto b = SystemClock().Monotonic();
  EXPECT_LE(a, b);
  EXPECT_GT(SystemClock().Now().time_since_epoch().count(), 0);
}

}  // namespace
}  // namespace kstack
