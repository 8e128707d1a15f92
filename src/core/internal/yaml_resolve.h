#pragma once

// How go-yaml v2 (the YAML library under sigs.k8s.io/yaml, and so under kubectl and every Go
// Kubernetes client) resolves a scalar's text to a type. YAML 1.1 flavoured: yes/no/on/off are
// booleans, 0777 is octal, 1_000 is an integer, .inf is a float. Written by hand because the
// rules are go-yaml's own, not any YAML specification's.

#include <cstdint>
#include <string_view>

namespace kstack::yaml_internal {

enum class ScalarType { kNull, kBool, kInt, kUint, kFloat, kString, kTimestamp };

struct ResolvedScalar {
  ScalarType type = ScalarType::kString;
  bool boolean = false;
  int64_t integer = 0;
  uint64_t unsigned_integer = 0;
  double floating = 0;
};

// The type an untagged plain scalar resolves to (go-yaml's resolve("", text)).
ResolvedScalar ResolvePlain(std::string_view text);

// Go's time.Parse accepting one of go-yaml's timestamp layouts: 2006-1-2, 2006-1-2T15:4:5Z07:00
// (with optional fraction, 't' or 'T'), 2006-1-2 15:4:5 (optional fraction).
bool IsTimestamp(std::string_view text);

// go-yaml's base 60 float pattern ("1:20", "190:20:30.15"), which it quotes when writing.
bool IsBase60Float(std::string_view text);

}  // namespace kstack::yaml_internal
