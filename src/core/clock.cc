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

}  // namespace kstack
