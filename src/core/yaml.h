#pragma once

// YAML read into and written from the JSON value, with Kubernetes tooling's meaning.
//
// Reading follows what kubectl does with a manifest file, which is the oracle for every case
// (tests/core/testdata/yaml): the stream is cut into documents at lines starting with "---"
// (as k8s.io/apimachinery's YAMLReader does), each document is parsed by libyaml (go-yaml v2,
// which kubectl uses, is a line-by-line port of it, so both accept and refuse the same text)
// and its scalars are resolved as go-yaml v2 resolves them, then converted to JSON as
// sigs.k8s.io/yaml converts them: YAML 1.1 booleans (yes/on/off/y/n), 0777 octal, keys that
// resolve to non-strings become strings ("true", "1.5"), merge keys "<<", anchors and aliases,
// timestamps stay strings, integral floats become integers ("1e3" is 1000), .inf/.nan and null
// keys are errors because JSON cannot hold them.
//
// Writing follows `kubectl get -o yaml`: block style, two-space indentation, sequences in a
// mapping not indented, keys sorted (numbers inside keys compared by value, as go-yaml sorts),
// strings quoted only when they would otherwise read as something else, multi-line strings as
// literal blocks, long lines folded at 80 columns.

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "core/result.h"

namespace kstack {

// The deepest nesting accepted when reading YAML; deeper input is an error, not a crash.
inline constexpr int kMaxYamlDepth = 10000;

// Reads every document of a YAML stream. Empty documents (no content, only comments, or a null)
// are skipped. Errors are BadRequest and read "source:line:column: what is wrong".
// The values are allocated from `sp` (the default heap when null); a monotonic resource makes
// reading and freeing a large stream much cheaper when the values are short-lived.
Result<std::vector<Json>> ParseYamlStream(std::string_view text,
                                          std::string_view source = "<input>",
                                          boost::json::storage_ptr sp = {});

// Reads a text that holds at most one document; null when it holds none. More than one
// document is an error.
Result<Json> ParseYaml(std::string_view text, std::string_view source = "<input>",
                       boost::json::storage_ptr sp = {});

// Writes one value as `kubectl get -o yaml` writes it, ending with a newline.
std::string WriteYaml(const Json& value);

// Writes documents separated by "---" lines.
std::string WriteYamlStream(std::span<const Json> documents);

}  // namespace kstack
