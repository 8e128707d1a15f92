#pragma once

// Kubernetes resource quantities (resource.Quantity: "500m", "1Gi", "1e3") in the canonical
// text the API server stores, so that two spellings of one amount compare equal: "1000m" and
// "1" are both "1", "1024Mi" and "1Gi" are both "1Gi", "0.5" is "500m", "1.5Ki" is "1536".
//
// The rules are Kubernetes': the suffix of the text chooses the form. A decimal amount (no
// suffix, or n u m k M G T P E) is written with the largest power of 1000 that keeps the
// mantissa whole; a binary one (Ki Mi Gi Ti Pi Ei) with the largest power of 1024 that keeps it
// whole, and as a decimal amount when it is below 1024 or not whole; an exponent one ("12e6")
// with an exponent that is a multiple of three, none when it is zero. Amounts finer than a nano
// are rounded up (away from zero) to a whole number of nanos.

#include <optional>
#include <string>
#include <string_view>

#include "core/json.h"

namespace kstack::machinery {

// The canonical text of `text`; nullopt when it is not a quantity, or when its amount does not
// fit the 127-bit arithmetic used here (the caller then keeps the text as written).
std::optional<std::string> CanonicalQuantity(std::string_view text);

// The same for a JSON value: a string, or a number (Kubernetes reads `cpu: 0.5` as "500m");
// nullopt for any other value or text that is not a quantity.
std::optional<std::string> CanonicalQuantityOf(const Json& value);

}  // namespace kstack::machinery
