#pragma once

// Substitution of the build environment into Jsonnet variable values, as Argo CD does it (Go's
// os.Expand): $NAME and ${NAME} become the variable's value, or "" when it is not set; "$$"
// becomes "$"; a '$' followed by no name stays; malformed "${" and "${}" are dropped.

#include <map>
#include <string>
#include <string_view>

namespace kstack::render::internal {

std::string ExpandEnv(std::string_view text, const std::map<std::string, std::string>& env);

}  // namespace kstack::render::internal
