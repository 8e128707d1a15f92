#pragma once

// What the API server's decoder does with a body of a built-in type, against the type's schema
// (machinery/builtin_schemas.h): values of the wrong JSON type are refused (400, worded as Go's
// JSON decoder words it), fields the type does not have are dropped, and fieldValidation says
// what dropping them means (Strict: 400 naming every one; Warn, the default: a warning each;
// Ignore: nothing).

#include "server/object_registry.h"

namespace kstack::server {

// REQUIRES: `type` is a built-in type. Types without a schema pass unchanged.
Status AdmitBuiltin(const ResourceType& type, Json& object, const WriteOptions& options);

// The unknown-field handling shared with custom resources: `pruned` are the paths removed from
// an object of `type`.
Status ReportUnknownFields(const ResourceType& type, const std::vector<std::string>& pruned,
                           const WriteOptions& options);

}  // namespace kstack::server
