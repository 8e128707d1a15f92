#pragma once

// One line of a watch response: {"type": "ADDED|MODIFIED|DELETED|BOOKMARK|ERROR",
// "object": {...}}. An ERROR event becomes the Status of its object (410 Expired/Gone for a
// too old resourceVersion), any other line that is not an event a kInternal error naming it.

#include <string_view>

#include "core/result.h"
#include "kube/client.h"

namespace kstack::kube::internal {

Result<WatchEvent> ParseWatchLine(std::string_view line);

}  // namespace kstack::kube::internal
