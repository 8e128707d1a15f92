#include "server/workloads/cron_schedule.h"

#include <date/tz.h>
#include <fmt/format.h>

#include <ctime>
#include <vector>

namespace kstack::server::workloads {
namespace {

constexpr std::string_view kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                        "jul", "aug", "sep", "oct", "nov", "dec"};
constexpr std::string_view kDays[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

Result<int> Number(std::string_view text, int min, int names_base, const std::string_view* names,
                   size_t name_count) {
  std::string lower = Lower(text);
  for (size_t i = 0; i < name_count; ++i) {
    if (lower == names[i]) return static_cast<int>(i) + names_base;
  }
  if (text.empty() || text.size() > 4) {
    return InvalidError(fmt::format("failed to parse int from {}", text));
  }
  int v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return InvalidError(fmt::format("failed to parse int from {}", text));
    v = v * 10 + (c - '0');
  }
  (void)min;
  return v;
}

// One field into `bits` (indices min..max). Sets *star when the field is `*` or `?`.
template <size_t N>
Status Field(std::string_view text, int min, int max, std::bitset<N>& bits, bool* star,
             const std::string_view* names = nullptr, size_t name_count = 0, int names_base = 0) {
  *star = text == "*" || text == "?";
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    std::string_view part =
        text.substr(start, comma == std::string_view::npos ? text.npos : comma - start);
    int step = 1;
    size_t slash = part.find('/');
    std::string_view range = part.substr(0, slash);
    if (slash != std::string_view::npos) {
      KSTACK_ASSIGN_OR_RETURN(step, Number(part.substr(slash + 1), 1, 0, nullptr, 0));
      if (step <= 0)
        return InvalidError(fmt::format("step of range should be a positive number: {}", part));
    }
    int low = min, high = max;
    if (range != "*" && range != "?") {
      size_t dash = range.find('-');
      KSTACK_ASSIGN_OR_RETURN(low,
                              Number(range.substr(0, dash), min, names_base, names, name_count));
      if (dash != std::string_view::npos) {
        KSTACK_ASSIGN_OR_RETURN(high,
                                Number(range.substr(dash + 1), min, names_base, names, name_count));
      } else {
        high = slash != std::string_view::npos ? max : low;
      }
    }
    if (low < min)
      return InvalidError(
          fmt::format("beginning of range ({}) below minimum ({}): {}", low, min, part));
    if (high > max)
      return InvalidError(fmt::format("end of range ({}) above maximum ({}): {}", high, max, part));
    if (low > high)
      return InvalidError(
          fmt::format("beginning of range ({}) beyond end of range ({}): {}", low, high, part));
    for (int v = low; v <= high; v += step) bits.set(static_cast<size_t>(v));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return Status::Ok();
}

}  // namespace

Result<CronSchedule> CronSchedule::Parse(std::string_view text) {
  std::string spec(text);
  while (!spec.empty() && spec.front() == ' ') spec.erase(0, 1);
  while (!spec.empty() && spec.back() == ' ') spec.pop_back();
  if (spec.starts_with("TZ=") || spec.starts_with("CRON_TZ=")) {
    return InvalidError("cannot use TZ or CRON_TZ in schedule, use timeZone field instead");
  }
  static const std::pair<std::string_view, std::string_view> kMacros[] = {
      {"@yearly", "0 0 1 1 *"}, {"@annually", "0 0 1 1 *"}, {"@monthly", "0 0 1 * *"},
      {"@weekly", "0 0 * * 0"}, {"@daily", "0 0 * * *"},    {"@midnight", "0 0 * * *"},
      {"@hourly", "0 * * * *"}};
  if (spec.starts_with('@')) {
    bool found = false;
    for (const auto& [macro, expansion] : kMacros) {
      if (spec == macro) spec = expansion, found = true;
    }
    if (!found) return InvalidError(fmt::format("unrecognized descriptor: {}", spec));
  }
  std::vector<std::string_view> fields;
  std::string_view rest = spec;
  while (!rest.empty()) {
    size_t space = rest.find_first_of(" \t");
    if (space != 0) fields.push_back(rest.substr(0, space));
    if (space == std::string_view::npos) break;
    rest.remove_prefix(space + 1);
  }
  if (fields.size() != 5) {
    return InvalidError(
        fmt::format("expected exactly 5 fields, found {}: {}", fields.size(), text));
  }
  CronSchedule s;
  bool star = false;
  KSTACK_RETURN_IF_ERROR(Field(fields[0], 0, 59, s.minutes_, &star));
  KSTACK_RETURN_IF_ERROR(Field(fields[1], 0, 23, s.hours_, &star));
  KSTACK_RETURN_IF_ERROR(Field(fields[2], 1, 31, s.days_, &s.day_star_));
  KSTACK_RETURN_IF_ERROR(Field(fields[3], 1, 12, s.months_, &star, kMonths, 12, 1));
  std::bitset<8> weekdays;
  KSTACK_RETURN_IF_ERROR(Field(fields[4], 0, 7, weekdays, &s.weekday_star_, kDays, 7, 0));
  for (size_t d = 0; d < 7; ++d) s.weekdays_[d] = weekdays[d];
  if (weekdays[7]) s.weekdays_.set(0);
  return s;
}

Result<TimeZone> TimeZone::Find(std::string_view name) {
  TimeZone zone;
  if (name.empty() || name == "UTC" || name == "Etc/UTC") return zone;
  try {
    zone.zone_ = date::locate_zone(name);
  } catch (const std::exception&) {
    return InvalidError(fmt::format("unknown time zone {}", name));
  }
  return zone;
}

int64_t CronSchedule::NextLocal(int64_t local) const {
  std::time_t seconds = local;
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  for (int guard = 0; guard < 5 * 366 * 24 * 60 / 30; ++guard) {
    if (!months_[static_cast<size_t>(tm.tm_mon + 1)]) {
      tm.tm_mon += 1, tm.tm_mday = 1, tm.tm_hour = 0, tm.tm_min = 0;
    } else {
      bool day = days_[static_cast<size_t>(tm.tm_mday)];
      bool weekday = weekdays_[static_cast<size_t>(tm.tm_wday)];
      bool day_ok = (day_star_ || weekday_star_) ? (day && weekday) : (day || weekday);
      if (!day_ok) {
        tm.tm_mday += 1, tm.tm_hour = 0, tm.tm_min = 0;
      } else if (!hours_[static_cast<size_t>(tm.tm_hour)]) {
        tm.tm_hour += 1, tm.tm_min = 0;
      } else if (!minutes_[static_cast<size_t>(tm.tm_min)]) {
        tm.tm_min += 1;
      } else {
        return timegm(&tm);
      }
    }
    std::time_t normalized = timegm(&tm);  // carries overflowing fields, sets tm_wday
    if (normalized - local > 5LL * 366 * 24 * 3600) break;
    gmtime_r(&normalized, &tm);
  }
  return INT64_MAX;
}

CronSchedule::Time CronSchedule::Next(Time t, TimeZone zone) const {
  using std::chrono::seconds;
  std::time_t now = std::chrono::system_clock::to_time_t(t);
  if (zone.zone_ == nullptr) {
    int64_t next = NextLocal(now - now % 60 + 60);
    return next == INT64_MAX ? Time::max() : std::chrono::system_clock::from_time_t(next);
  }
  try {
    auto sys = date::sys_seconds(seconds(now));
    int64_t local = zone.zone_->to_local(sys).time_since_epoch().count();
    for (int tries = 0; tries < 4; ++tries) {
      int64_t next = NextLocal(local - local % 60 + 60);
      if (next == INT64_MAX) return Time::max();
      date::local_seconds candidate{seconds(next)};
      date::local_info info = zone.zone_->get_info(candidate);
      date::sys_seconds at;
      if (info.result == date::local_info::nonexistent) {
        at = info.second.begin;  // skipped by a change: runs at the change
      } else {
        at = zone.zone_->to_sys(candidate, date::choose::earliest);
      }
      if (at.time_since_epoch().count() > now) {
        return std::chrono::system_clock::from_time_t(at.time_since_epoch().count());
      }
      local = next;  // a repeated local hour already passed: look further
    }
  } catch (const std::exception&) {
    // The tz database could not be read: no time is due rather than a wrong one.
  }
  return Time::max();
}

}  // namespace kstack::server::workloads
