#pragma once

// Small helpers shared by the store benchmark's parts.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

namespace kstack::store::bench {

using Clock = std::chrono::steady_clock;

inline double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

// Prints one figure: "name ............ value unit".
inline void Print(const std::string& name, double value, const char* unit) {
  std::printf("%-58s %12.1f %s\n", name.c_str(), value, unit);
  std::fflush(stdout);
}

// The q-quantile (0..1) of `v`, which it sorts.
inline double Quantile(std::vector<double>& v, double q) {
  if (v.empty()) {
    return 0;
  }
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(q * v.size()))];
}

// A fresh directory under /tmp, on the same file system as the stores being measured.
std::string FreshDir(const std::string& name);

// Raw SQLite through the C API, with the store's durability settings (WAL, synchronous=FULL).
// Returns inserts per second.
double RawSqliteOneCommitPerInsert(const std::string& dir, int count);
double RawSqliteOneTransaction(const std::string& dir, int count);

}  // namespace kstack::store::bench
