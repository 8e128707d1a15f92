#include "server/workloads/cron_schedule.h"

#include <gtest/gtest.h>

#include "core/clock.h"

namespace kstack::server::workloads {
namespace {

std::string NextAfter(std::string_view schedule, std::string_view after,
                      std::string_view zone_name = "") {
  Result<CronSchedule> s = CronSchedule::Parse(schedule);
  if (!s.ok()) return "error: " + s.status().message();
  Result<TimeZone> zone = TimeZone::Find(zone_name);
  if (!zone.ok()) return "error: " + zone.status().message();
  Clock::WallTime t{};
  if (!ParseRfc3339(after, &t)) return "bad time";
  Clock::WallTime next = s->Next(t, *zone);
  if (next == Clock::WallTime::max()) return "never";
  return FormatRfc3339(next);
}

TEST(CronScheduleTest, NextTimes) {
  struct Case {
    std::string_view schedule, after, want;
  } cases[] = {
      {"* * * * *", "2024-01-01T00:00:30Z", "2024-01-01T00:01:00Z"},
      {"* * * * *", "2024-01-01T00:01:00Z", "2024-01-01T00:02:00Z"},
      {"*/15 * * * *", "2024-01-01T00:16:00Z", "2024-01-01T00:30:00Z"},
      {"5 4 * * *", "2024-01-01T04:05:00Z", "2024-01-02T04:05:00Z"},
      {"0 0 1 * *", "2024-01-15T10:00:00Z", "2024-02-01T00:00:00Z"},
      {"0 12 * * MON-FRI", "2024-01-06T00:00:00Z", "2024-01-08T12:00:00Z"},  // a Saturday
      {"0 0 * * 7", "2024-01-01T00:00:00Z", "2024-01-07T00:00:00Z"},         // Sunday as 7
      {"0 0 13 * 5", "2024-01-01T00:00:00Z", "2024-01-05T00:00:00Z"},        // day 13 or a Friday
      {"0 0 29 2 *", "2024-03-01T00:00:00Z", "2028-02-29T00:00:00Z"},
      {"0 0 30 2 *", "2024-01-01T00:00:00Z", "never"},
      {"30 1-5/2 * jan,Mar ?", "2024-01-31T04:00:00Z", "2024-01-31T05:30:00Z"},
      {"@hourly", "2024-01-01T00:00:01Z", "2024-01-01T01:00:00Z"},
      {"@weekly", "2024-01-01T00:00:00Z", "2024-01-07T00:00:00Z"},
      {"@yearly", "2024-06-01T00:00:00Z", "2025-01-01T00:00:00Z"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(NextAfter(c.schedule, c.after), c.want) << c.schedule << " after " << c.after;
  }
}

TEST(CronScheduleTest, TimeZonesReadTheFieldsInLocalTime) {
  // 03:00 in Paris is 02:00 UTC in winter, 01:00 UTC in summer.
  EXPECT_EQ(NextAfter("0 3 * * *", "2024-01-10T00:00:00Z", "Europe/Paris"), "2024-01-10T02:00:00Z");
  EXPECT_EQ(NextAfter("0 3 * * *", "2024-07-10T00:00:00Z", "Europe/Paris"), "2024-07-10T01:00:00Z");
  // 02:30 does not exist in Paris on 2024-03-31: the run is at the change (03:00 local).
  EXPECT_EQ(NextAfter("30 2 * * *", "2024-03-31T00:00:00Z", "Europe/Paris"),
            "2024-03-31T01:00:00Z");
  // 02:30 happens twice on 2024-10-27: it runs once, at the first.
  EXPECT_EQ(NextAfter("30 2 * * *", "2024-10-27T00:00:00Z", "Europe/Paris"),
            "2024-10-27T00:30:00Z");
  EXPECT_EQ(NextAfter("30 2 * * *", "2024-10-27T00:30:00Z", "Europe/Paris"),
            "2024-10-28T01:30:00Z");
  EXPECT_EQ(NextAfter("* * * * *", "2024-01-01T00:00:00Z", "Mars/Olympus"),
            "error: unknown time zone Mars/Olympus");
}

TEST(CronScheduleTest, BadSchedulesNameTheProblem) {
  EXPECT_EQ(NextAfter("* *", "2024-01-01T00:00:00Z"),
            "error: expected exactly 5 fields, found 2: * *");
  EXPECT_EQ(NextAfter("0-60 * * * *", "2024-01-01T00:00:00Z"),
            "error: end of range (60) above maximum (59): 0-60");
  EXPECT_EQ(NextAfter("* * 0 * *", "2024-01-01T00:00:00Z"),
            "error: beginning of range (0) below minimum (1): 0");
  EXPECT_EQ(NextAfter("*/0 * * * *", "2024-01-01T00:00:00Z"),
            "error: step of range should be a positive number: */0");
  EXPECT_EQ(NextAfter("x * * * *", "2024-01-01T00:00:00Z"), "error: failed to parse int from x");
  EXPECT_EQ(NextAfter("@sometimes", "2024-01-01T00:00:00Z"),
            "error: unrecognized descriptor: @sometimes");
  EXPECT_EQ(NextAfter("TZ=UTC * * * * *", "2024-01-01T00:00:00Z"),
            "error: cannot use TZ or CRON_TZ in schedule, use timeZone field instead");
}

}  // namespace
}  // namespace kstack::server::workloads
