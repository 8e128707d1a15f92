#pragma once

// Reading and atomically replacing the small files the server keeps in its data directory.

#include <sys/types.h>

#include <string>

#include "core/result.h"

namespace kstack::server::internal {

// The whole file. Errors: kNotFound when it does not exist, kInternal when it cannot be read.
Result<std::string> ReadFileContents(const std::string& path);

// Replaces `path` with `contents` so that a reader sees the old file or the new one, never a
// part: a temporary file in the same directory, created with `mode` (never wider, whatever
// the umask), fsync'ed, then renamed over `path`. Errors: kInternal naming the path.
Status WriteFileAtomically(const std::string& path, const std::string& contents, mode_t mode);

}  // namespace kstack::server::internal
