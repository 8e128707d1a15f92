#pragma once

// JSON pointers (RFC 6901): "/spec/containers/0/name", with "~1" for "/" and "~0" for "~".

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace kstack::machinery {

// The reference tokens of a pointer, unescaped; "" is the whole document (no tokens).
// Errors: kBadRequest when a non-empty pointer does not start with "/" or has a bad "~" escape.
Result<std::vector<std::string>> ParseJsonPointer(std::string_view pointer);

}  // namespace kstack::machinery
