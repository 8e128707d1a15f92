#pragma once

// Number formatting exactly as Go's strconv and encoding/json print numbers. Kubernetes tools
// are written in Go, so output meant to match theirs byte for byte goes through here. Written by
// hand because no C++ library reproduces Go's layout rules (std::to_chars gives the digits).

#include <cstdint>
#include <string>

namespace kstack {

// strconv.FormatFloat(v, 'g', -1, bits): shortest digits that round-trip at `bits` (32 or 64)
// precision, in %e form when the decimal exponent is < -4 or >= 6 ("1e+06", "1.5", "1e-05");
// "+Inf", "-Inf", "NaN" for the special values.
std::string FormatGoFloatG(double v, int bits = 64);

// encoding/json's float64 encoding: %f for 1e-6 <= |v| < 1e21, otherwise %e with a short
// exponent ("1e-7", "1e+21"). REQUIRES: v is finite.
void AppendGoJsonFloat(std::string* out, double v);

// Whether Go's JSON text for the finite value `v` reads back as an integer in Kubernetes
// (integral, below 1e21, and within int64), and which: Go writes the shortest digits padded
// with zeros, so 1234567890123456789.0 comes back as 1234567890123456800.
bool GoJsonInteger(double v, int64_t* out);

}  // namespace kstack
