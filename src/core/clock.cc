#include "core/clock.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

namespace kstack {
namespace {

class RealClock : public Clock {
 public:
  WallTime Now() const override { return std::chrono::system_clock::now(); }
  MonoTime Monotonic() const override { return std::chrono::steady_clock::now(); }
};

}  // namespace

Clock& SystemClock() {
  static RealClock* clock = new RealClock();  // never destroyed: usable during shutdown
  return *clock;
}

FakeClock::FakeClock()
    : now_(std::chrono::sys_days{std::chrono::year{2024} / 1 / 1}), mono_() {}

Clock::WallTime FakeClock::Now() const {
  std::lock_guard lock(mu_);
  return now_;
}

Clock::MonoTime FakeClock::Monotonic() const {
  std::lock_guard lock(mu_);
  return mono_;
}

void FakeClock::Advance(std::chrono::nanoseconds d) {
  std::lock_guard lock(mu_);
  now_ += std::chrono::duration_cast<WallTime::duration>(d);
  mono_ += d;
}

void FakeClock::SetNow(WallTime t) {
  std::lock_guard lock(mu_);
  now_ = t;
}

std::string FormatRfc3339(Clock::WallTime t) {
  auto secs = std::chrono::floor<std::chrono::seconds>(t);
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}Z", secs);
}

std::string FormatRfc3339Micro(Clock::WallTime t) {
  auto secs = std::chrono::floor<std::chrono::seconds>(t);
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(t - secs).count();
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:06d}Z", secs, micros);
}

bool ParseRfc3339(std::string_view text, Clock::WallTime* out) {
  auto digits = [&](size_t at, size_t n, int* value) {
    if (at + n > text.size()) return false;
    int v = 0;
    for (size_t i = at; i < at + n; ++i) {
      if (text[i] < '0' || text[i] > '9') return false;
      v = v * 10 + (text[i] - '0');
    }
    *value = v;
    return true;
  };
  int y, mo, d, h, mi, s;
  if (!digits(0, 4, &y) || text.size() < 20 || text[4] != '-' || !digits(5, 2, &mo) ||
      text[7] != '-' || !digits(8, 2, &d) || (text[10] != 'T' && text[10] != 't') ||
      !digits(11, 2, &h) || text[13] != ':' || !digits(14, 2, &mi) || text[16] != ':' ||
      !digits(17, 2, &s)) {
    return false;
  }
  using namespace std::chrono;
  year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok() || h > 23 || mi > 59 || s > 60) return false;
  size_t at = 19;
  nanoseconds frac{0};
  if (at < text.size() && text[at] == '.') {
    int64_t scale = 100000000;
    ++at;
    size_t start = at;
    while (at < text.size() && text[at] >= '0' && text[at] <= '9') {
      frac += nanoseconds((text[at] - '0') * scale);
      scale /= 10;
      ++at;
    }
    if (at == start) return false;
  }
  minutes offset{0};
  if (at < text.size() && (text[at] == 'Z' || text[at] == 'z') && at + 1 == text.size()) {
    // UTC
  } else if (at + 6 == text.size() && (text[at] == '+' || text[at] == '-') &&
             text[at + 3] == ':') {
    int oh, om;
    if (!digits(at + 1, 2, &oh) || !digits(at + 4, 2, &om)) return false;
    offset = minutes(oh * 60 + om);
    if (text[at] == '-') offset = -offset;
  } else {
    return false;
  }
  *out = time_point_cast<Clock::WallTime::duration>(sys_days(ymd) + hours(h) + minutes(mi) +
                                                    seconds(s) + frac - offset);
  return true;
}

}  // namespace kstack
