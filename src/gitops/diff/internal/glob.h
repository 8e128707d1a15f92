#pragma once

// The globs of ignoreDifferences' group and kind ("*", "apps", "*.k8s.io", "{Role,ClusterRole}"):
// "*" any run of characters, "?" one character, "[abc]" / "[a-z]" / "[!abc]" a class, "{a,b}"
// alternatives (not nested), "\x" a literal x. A pattern that does not parse (an unclosed "[" or
// "{") matches only its own text.

#include <string_view>

namespace kstack::gitops::diff::internal {

bool GlobMatch(std::string_view pattern, std::string_view text);

}  // namespace kstack::gitops::diff::internal
