#pragma once

// Cron schedules as a CronJob's spec.schedule reads them (the standard five fields: minute,
// hour, day of month, month, day of week; `*`, `?`, lists, ranges, steps, month and weekday
// names, 7 for Sunday; @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly).
// When both day fields are restricted a day matching either runs, as in cron. The fields are
// read in UTC or in a time zone of the system's tz database (the date library's), as a
// CronJob's spec.timeZone asks. Written here because Debian packages no C or C++ cron
// expression library.
// Values are immutable after Parse; thread-safe.

#include <bitset>
#include <chrono>
#include <string>
#include <string_view>

#include "core/result.h"

namespace date {
class time_zone;
}

namespace kstack::server::workloads {

// A time zone of the system's tz database; UTC when default-constructed. Cheap to copy.
class TimeZone {
 public:
  TimeZone() = default;
  // "UTC", "Etc/UTC", "Europe/Paris", ... Errors: kInvalid "unknown time zone NAME".
  static Result<TimeZone> Find(std::string_view name);

 private:
  friend class CronSchedule;
  const date::time_zone* zone_ = nullptr;  // null: UTC
};

class CronSchedule {
 public:
  using Time = std::chrono::system_clock::time_point;

  // Errors: kInvalid with what is wrong ("expected exactly 5 fields, found 2: \"* *\"",
  // "end of range (60) above maximum (59): 0-60").
  static Result<CronSchedule> Parse(std::string_view text);

  // The first time after `t` (to the minute) that the schedule runs, reading its fields in
  // `zone`; Time::max() when none within five years (e.g. "0 0 30 2 *"). A local time that a
  // daylight-saving change skips runs at the change; one it repeats runs once.
  Time Next(Time t, TimeZone zone = {}) const;

 private:
  // The first local time (seconds of a UTC-like clock) at or after `local` that matches.
  int64_t NextLocal(int64_t local) const;

  std::bitset<60> minutes_;
  std::bitset<24> hours_;
  std::bitset<32> days_;     // 1..31
  std::bitset<13> months_;   // 1..12
  std::bitset<7> weekdays_;  // 0 = Sunday
  bool day_star_ = false;
  bool weekday_star_ = false;
};

}  // namespace kstack::server::workloads
