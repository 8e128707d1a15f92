#pragma once

// Kubernetes manifests as kubectl reads a file of them: a JSON stream when the text starts with
// "{" (after whitespace), otherwise a YAML stream; each document must be an object; empty
// documents are skipped; a list (an object with "items", such as `kind: List`) is replaced by
// its items, recursively, in order.

#include <string_view>
#include <vector>

#include "core/json.h"
#include "core/result.h"

namespace kstack {

// Errors are BadRequest naming `source` (and line and column where the text is at fault).
Result<std::vector<Json>> ReadManifests(std::string_view text, std::string_view source);

}  // namespace kstack
