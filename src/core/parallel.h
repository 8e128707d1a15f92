#pragma once

// Independent work split over the machine's cores: parsing the files of a directory, comparing
// the resources of an application.

#include <cstddef>
#include <functional>
#include <span>

namespace kstack {

// Calls `body(begin, end)` for contiguous ranges that together cover [0, weights.size()), each
// of about equal total weight, one range per thread, and returns when all have returned. The
// calling thread takes the first range. No more ranges than cores, and none lighter than
// `min_per_thread` (weights are in any unit: bytes, objects), so that small inputs stay on the
// calling thread and pay nothing for threads.
//
// Thread safety: `body` runs concurrently with itself on disjoint ranges; what it touches
// outside its range must be safe to share (an arena that is not thread-safe must be one per
// range).
void ForEachRange(std::span<const size_t> weights, size_t min_per_thread,
                  const std::function<void(size_t begin, size_t end)>& body);

}  // namespace kstack
