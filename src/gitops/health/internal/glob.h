#pragma once

// Glob patterns on group/kind keys ("*.aws.crossplane.io/*"): `*` any text, `?` one
// character, `[abc]`, `[a-z]`, `[!x]` or `[^x]` one of (or none of) a set, `{a,b}` one of the
// alternatives, `\` takes the next character literally. With `slash_is_separator`, `*` and `?`
// do not match `/` (as in a path); otherwise they match any character.

#include <string_view>

namespace kstack::gitops::health::internal {

bool GlobMatch(std::string_view pattern, std::string_view text, bool slash_is_separator);

// Whether `pattern` holds any of the special characters above.
bool IsGlob(std::string_view pattern);

}  // namespace kstack::gitops::health::internal
