#pragma once

// Reading the fields of an object the way Go reads them once it has decoded the object into
// its typed struct: absent and null fields read as zero values, and a field of another JSON
// type is an error. The first such error is kept, and the check then reports Unknown.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/json.h"
#include "gitops/health/health_status.h"

namespace kstack::gitops::health::internal {

struct GroupVersion {
  std::string_view group;  // "" for the core group
  std::string_view version;
};

// "apps/v1" → {apps, v1}; "v1" → {"", v1}.
GroupVersion ParseApiVersion(std::string_view api_version);

// Unknown, "unsupported <what> GVK: <group>/<version>, Kind=<kind>" (Go's GVK layout).
HealthStatus UnsupportedVersion(std::string_view what, const Json& object);

// Go's %q for a string: double quotes with backslash escapes.
std::string GoQuote(std::string_view text);

// Member `key` of `parent` when `parent` is an object holding it with a value that is not
// null; null otherwise. Never fails.
const Json* Member(const Json* parent, std::string_view key);

class FieldReader {
 public:
  // `kind` names the object in the error ("failed to convert unstructured <kind> to typed").
  explicit FieldReader(std::string_view kind) : kind_(kind) {}

  // Each reads member `key` of `parent` (which may be null); `path` names it in errors.
  const Json* Object(const Json* parent, std::string_view key, std::string_view path);
  const JsonArray* Array(const Json* parent, std::string_view key, std::string_view path);
  std::string_view String(const Json* parent, std::string_view key, std::string_view path);
  bool Bool(const Json* parent, std::string_view key, std::string_view path);
  // Integers (an integral double included); 0 when absent.
  int64_t Int(const Json* parent, std::string_view key, std::string_view path);
  // nullopt when absent (Go's *int32).
  std::optional<int64_t> OptionalInt(const Json* parent, std::string_view key,
                                     std::string_view path);

  // Checks that an array element is an object; null (and an error) when it is not.
  const Json* Element(const Json& element, std::string_view path);

  bool failed() const { return !error_.empty(); }
  // Unknown with the first error. REQUIRES: failed().
  HealthStatus Error() const;

 private:
  void Fail(std::string_view path, const Json& value, std::string_view expected);

  std::string_view kind_;
  std::string error_;
};

// The first element of `conditions` whose `type` is `type`; null when none. Elements that are
// not objects are reported through `fields`.
const Json* FindCondition(FieldReader& fields, const JsonArray* conditions, std::string_view type,
                          std::string_view path);

}  // namespace kstack::gitops::health::internal
