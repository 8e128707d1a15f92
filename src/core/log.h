#pragma once

// Logging to stderr through spdlog, with fmt-style format strings:
//   log::Info("listening on {}", address);
// Log what an operator needs to follow the program; an error that is returned is not also
// logged (the caller decides).

#include <fmt/core.h>

#include <string_view>
#include <utility>

namespace kstack::log {

enum class Level { kDebug, kInfo, kWarn, kError, kOff };

// Sets the lowest level written. Default kInfo. Thread-safe.
void SetLevel(Level level);
bool Enabled(Level level);
// Parses "debug", "info", "warn", "error", "off"; false when the name is unknown.
bool ParseLevel(std::string_view name, Level* level);
void Write(Level level, std::string_view message);

template <typename... Args>
void Debug(fmt::format_string<Args...> f, Args&&... args) {
  if (Enabled(Level::kDebug)) Write(Level::kDebug, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
void Info(fmt::format_string<Args...> f, Args&&... args) {
  if (Enabled(Level::kInfo)) Write(Level::kInfo, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
void Warn(fmt::format_string<Args...> f, Args&&... args) {
  if (Enabled(Level::kWarn)) Write(Level::kWarn, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
void Error(fmt::format_string<Args...> f, Args&&... args) {
  if (Enabled(Level::kError)) Write(Level::kError, fmt::format(f, std::forward<Args>(args)...));
}

}  // namespace kstack::log
