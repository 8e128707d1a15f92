#include "server/internal/uid.h"

#include <fmt/format.h>

#include <mutex>
#include <random>

namespace kstack::server {
namespace {

std::mt19937_64& Engine(std::unique_lock<std::mutex>& lock) {
  static std::mutex mu;
  static std::mt19937_64 engine{std::random_device{}()};
  lock = std::unique_lock<std::mutex>(mu);
  return engine;
}

}  // namespace

std::string NewUid() {
  std::unique_lock<std::mutex> lock;
  auto& engine = Engine(lock);
  uint64_t hi = engine(), lo = engine();
  hi = (hi & 0xFFFFFFFFFFFF0FFFULL) | 0x0000000000004000ULL;  // version 4
  lo = (lo & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;  // RFC 4122 variant
  return fmt::format("{:08x}-{:04x}-{:04x}-{:04x}-{:012x}", hi >> 32, (hi >> 16) & 0xFFFF,
                     hi & 0xFFFF, lo >> 48, lo & 0xFFFFFFFFFFFFULL);
}

std::string RandomNameSuffix(int n) {
  // No vowels and no look-alike characters, so that generated names never spell words.
  static constexpr std::string_view kAlphabet = "bcdfghjklmnpqrstvwxz2456789";
  std::unique_lock<std::mutex> lock;
  auto& engine = Engine(lock);
  std::string out;
  for (int i = 0; i < n; ++i) out.push_back(kAlphabet[engine() % kAlphabet.size()]);
  return out;
}

}  // namespace kstack::server
