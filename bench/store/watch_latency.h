#pragma once

#include <cstddef>

#include "store/store.h"

namespace kstack::store::bench {

struct WatchLatency {
  size_t delivered = 0;  // (event, watcher) pairs received
  double p50_ms = 0;
  double p99_ms = 0;
  double max_ms = 0;
};

// Starts `watchers` watches of "/lat/", makes `writes` spaced creates, and measures for every
// (event, watcher) pair the delay from the start of the write to the consumer holding the event.
WatchLatency MeasureWatchLatency(Store& store, int watchers, int writes);

}  // namespace kstack::store::bench
