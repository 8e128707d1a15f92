#pragma once

namespace kstack {

// Tunes glibc's allocator for a long-running process that builds and drops large JSON trees
// (manifest streams, list responses): freed memory is kept for reuse instead of being handed
// back to the kernel and faulted in again page by page, which otherwise costs more than the
// parsing itself. Call once at start, before threads start.
void TuneAllocatorForLargeTrees();

}  // namespace kstack
