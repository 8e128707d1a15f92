#pragma once

// The one JSON value type of kstack: Boost.JSON's value, object, array and string. Objects keep
// insertion order; equality of objects ignores order. Numbers read from text are int64 or
// double (integers beyond int64 become double, as Kubernetes reads them).
//
// Text is read and written here so that every module reads the same way and writes exactly
// what Go's encoding/json (and so the Kubernetes API server and kubectl) writes.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/string.hpp>
#include <boost/json/value.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace kstack {

using Json = boost::json::value;
using JsonObject = boost::json::object;
using JsonArray = boost::json::array;
using JsonString = boost::json::string;

// The deepest nesting accepted by the readers; deeper input is an error, not a crash.
inline constexpr int kMaxJsonDepth = 10000;

// Parses exactly one JSON value; whitespace may surround it. `source` names the input in
// errors, which are BadRequest with "source:line:column: what is wrong". Invalid UTF-8 is an
// error. Duplicate keys: the last one wins, as in Go.
// Values are allocated from `sp` (the default heap when null).
Result<Json> ParseJson(std::string_view text, std::string_view source = "<input>",
                       boost::json::storage_ptr sp = {});

// Parses a stream of JSON values separated by optional whitespace, as kubectl reads a JSON
// manifest file. An empty stream gives no values.
Result<std::vector<Json>> ParseJsonStream(std::string_view text,
                                          std::string_view source = "<input>",
                                          boost::json::storage_ptr sp = {});

struct JsonWriteOptions {
  // Spaces per level; 0 writes compact JSON on one line.
  int indent = 0;
  // Writes <, >, & as \u003c, \u003e, \u0026, as Go's json.Marshal does.
  bool escape_html = true;
  // Sorts object keys (byte order), as Go does for maps; otherwise insertion order.
  bool sort_keys = false;
};

// Writes `value` as Go's encoding/json writes the same data: shortest round-trip floats in Go's
// layout, Go's string escapes, json.MarshalIndent's layout when indent > 0. No trailing newline.
std::string WriteJson(const Json& value, const JsonWriteOptions& options = {});
void AppendJson(std::string* out, const Json& value, const JsonWriteOptions& options = {});

// Small accessors that never throw. Each returns null (or "") when `value` is not an object,
// the key is absent or the member has another type.
const Json* FindMember(const Json& value, std::string_view key);
const JsonObject* FindObject(const Json& value, std::string_view key);
const JsonArray* FindArray(const Json& value, std::string_view key);
std::string_view FindString(const Json& value, std::string_view key);

// "object", "array", "string", "number", "boolean" or "null".
std::string_view JsonKindName(const Json& value);

}  // namespace kstack
