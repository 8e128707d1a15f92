#pragma once

// The simple JSONPath that CRD printer columns use (".spec.replicas",
// ".status.conditions[?(@.type==\"Ready\")].status", ".spec.items[0].name",
// ".metadata.labels['app.kubernetes.io/name']", "[*]"), evaluated to the values it selects.
// A template language around it (kubectl's -o jsonpath={...}) is the client's business.

#include <string_view>
#include <vector>

#include "core/json.h"
#include "core/result.h"

namespace kstack::machinery {

// The values `path` selects in `root`, in document order; none when a step finds nothing.
// Errors: kBadRequest naming the path when it cannot be parsed.
Result<std::vector<const Json*>> EvaluateJsonPath(const Json& root, std::string_view path);

}  // namespace kstack::machinery
