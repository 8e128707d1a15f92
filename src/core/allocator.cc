#include "core/allocator.h"

#include <malloc.h>

namespace kstack {

void TuneAllocatorForLargeTrees() {
  // Fixed thresholds also turn off glibc's dynamic mmap threshold, which otherwise moves up and
  // down with the workload.
  mallopt(M_MMAP_THRESHOLD, 64 << 20);
  mallopt(M_TRIM_THRESHOLD, 512 << 20);
  mallopt(M_TOP_PAD, 64 << 20);
}

}  // namespace kstack
