#pragma once

// Go's literal syntax as text/template's parser reads it: integers with base prefixes and
// underscores (strconv.ParseInt/ParseUint with base 0), floats including hexadecimal ones
// (strconv.ParseFloat) and quoted strings (strconv.Unquote). Pure functions.

#include <cstdint>
#include <string>
#include <string_view>

namespace kstack::tmpl::internal {

bool ParseGoInt(std::string_view s, int64_t* out);
bool ParseGoUint(std::string_view s, uint64_t* out);
bool ParseGoFloat(std::string_view s, double* out);
// strconv.Unquote of "...", `...` or '...'; false when the literal is malformed.
bool UnquoteGo(std::string_view literal, std::string* out);

}  // namespace kstack::tmpl::internal
