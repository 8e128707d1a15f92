#pragma once

// JSON merge patch (RFC 7386) and JSON patch (RFC 6902), as the Kubernetes API server applies
// `kubectl patch --type merge` and `--type json`. Pure functions of their inputs.

#include "core/json.h"
#include "core/result.h"

namespace kstack::machinery {

// Applies a JSON merge patch: members of an object patch are merged into the target
// recursively, a null member removes the key, anything that is not an object replaces the
// target whole (arrays included).
Json ApplyMergePatch(const Json& target, const Json& patch);

// Applies a JSON patch: an array of operations (add, remove, replace, move, copy, test) applied
// in order to a copy of `target`; all or nothing.
// Errors: kInvalid naming the operation's index and what failed ("operation 2 (test) at
// /spec/replicas: value differs"), kBadRequest when the patch is not a list of operations.
Result<Json> ApplyJsonPatch(const Json& target, const Json& patch);

}  // namespace kstack::machinery
