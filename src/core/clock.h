#pragma once

// Time comes through this interface so that tests can drive it (FakeClock) and stay
// deterministic. Implementations are thread-safe.

#include <chrono>
#include <mutex>
#include <string>
#include <string_view>

namespace kstack {

class Clock {
 public:
  using WallTime = std::chrono::system_clock::time_point;
  using MonoTime = std::chrono::steady_clock::time_point;

  virtual ~Clock() = default;
  // Wall-clock time, for timestamps shown to people and stored in objects.
  virtual WallTime Now() const = 0;
  // Monotonic time, for timeouts, backoff and measuring durations.
  virtual MonoTime Monotonic() const = 0;
};

// The process-wide real clock. Never null; lives for the whole program.
Clock& SystemClock();

// A clock that moves only when told to. Starts at 2024-01-01T00:00:00Z.
class FakeClock : public Clock {
 public:
  FakeClock();
  WallTime Now() const override;
  MonoTime Monotonic() const override;
  // Moves both the wall and the monotonic time forward by `d` (d >= 0).
  void Advance(std::chrono::nanoseconds d);
  // Sets the wall time; the monotonic time is unchanged.
  void SetNow(WallTime t);

 private:
  mutable std::mutex mu_;
  WallTime now_;
  MonoTime mono_;
};

// RFC 3339 in UTC with second precision, as Kubernetes writes metav1.Time:
// "2024-01-01T00:00:00Z".
std::string FormatRfc3339(Clock::WallTime t);
// The same with microseconds, as metav1.MicroTime: "2024-01-01T00:00:00.000000Z".
std::string FormatRfc3339Micro(Clock::WallTime t);
// Parses RFC 3339 ("2024-01-01T00:00:00Z", with optional fraction and a Z or ±hh:mm offset);
// false when `text` is not in that form.
bool ParseRfc3339(std::string_view text, Clock::WallTime* out);

}  // namespace kstack
