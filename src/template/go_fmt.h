#pragma once

// Go's fmt package over template values: fmt.Sprint, Sprintln and Sprintf with Go's verbs,
// flags, widths and precisions (%v %+v %s %q %d %x %X %o %b %c %U %e %f %g %t %T %%), its
// layout of lists ("[a b]"), maps ("map[k:v]", sorted keys) and nil ("<nil>"), and its error
// forms written into the output ("%!d(string=x)", "%!s(MISSING)", "%!(EXTRA int=1)").
// Written by hand: no C++ library prints values as Go does. Pure functions, thread-safe.

#include <span>
#include <string>
#include <string_view>

#include "template/value.h"

namespace kstack::tmpl {

// fmt.Sprint: operands printed with %v, a space between two operands when neither is a string.
std::string GoSprint(std::span<const Value> args);
// fmt.Sprintln: operands with %v separated by spaces, then a newline.
std::string GoSprintln(std::span<const Value> args);
// fmt.Sprintf.
std::string GoSprintf(std::string_view format, std::span<const Value> args);
// One value as %v prints it ("<nil>" for nil and the zero Value).
std::string GoString(const Value& value);
void AppendGoString(std::string* out, const Value& value);

// strconv.Quote: a double-quoted Go string literal with Go's escapes.
std::string GoQuote(std::string_view s);

}  // namespace kstack::tmpl
