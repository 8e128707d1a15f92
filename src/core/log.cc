#include "core/log.h"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <atomic>

namespace kstack::log {
namespace {

std::atomic<Level> g_level{Level::kInfo};

spdlog::logger& Logger() {
  static std::shared_ptr<spdlog::logger> logger = [] {
    auto l = spdlog::stderr_color_mt("kstack");
    l->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%L%$ %v");
    l->set_level(spdlog::level::trace);
    return l;
  }();
  return *logger;
}

spdlog::level::level_enum ToSpdlog(Level level) {
  switch (level) {
    case Level::kDebug: return spdlog::level::debug;
    case Level::kInfo: return spdlog::level::info;
    case Level::kWarn: return spdlog::level::warn;
    case Level::kError: return spdlog::level::err;
    case Level::kOff: return spdlog::level::off;
  }
  return spdlog::level::info;
}

}  // namespace

void SetLevel(Level level) { g_level.store(level); }

bool Enabled(Level level) { return level != Level::kOff && level >= g_level.load(); }

bool ParseLevel(std::string_view name, Level* level) {
  if (name == "debug") { *level = Level::kDebug; return true; }
  if (name == "info") { *level = Level::kInfo; return true; }
  if (name == "warn") { *level = Level::kWarn; return true; }
  if (name == "error") { *level = Level::kError; return true; }
  if (name == "off") { *level = Level::kOff; return true; }
  return false;
}

void Write(Level level, std::string_view message) {
  Logger().log(ToSpdlog(level), "{}", message);
}

}  // namespace kstack::log
