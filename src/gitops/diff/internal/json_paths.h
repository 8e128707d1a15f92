#pragma once

// Paths into a JSON document (object keys and array indexes) and their removal.

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "core/json.h"

namespace kstack::gitops::diff::internal {

using PathStep = std::variant<std::string, int64_t>;  // a key, or an index
using Path = std::vector<PathStep>;

// Removes the value at each path from `doc`. Paths that lead nowhere are skipped; the whole
// document (an empty path) is never removed. Indexes are those of `doc` before any removal, as
// jq's delpaths reads them. Returns whether anything was removed.
bool RemovePaths(Json& doc, std::vector<Path> paths);

// The value at `path`; null when there is none.
const Json* ValueAt(const Json& doc, const Path& path);

}  // namespace kstack::gitops::diff::internal
