#pragma once

// Helpers for tests that read watches.

#include <gtest/gtest.h>

#include <chrono>
#include <vector>

#include "store/store.h"

namespace kstack::store::testing {

// Reads from `w` until `count` events arrived or `timeout` passed; stops early on an error.
inline std::vector<EventPtr> Collect(
    Watcher& w, size_t count, std::chrono::milliseconds timeout = std::chrono::milliseconds(5000)) {
  std::vector<EventPtr> out;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (out.size() < count && std::chrono::steady_clock::now() < deadline) {
    auto next = w.Next(std::chrono::milliseconds(50));
    if (!next.ok()) {
      break;
    }
    out.insert(out.end(), next->begin(), next->end());
  }
  return out;
}

}  // namespace kstack::store::testing
