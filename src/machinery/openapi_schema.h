#pragma once

// Reading an OpenAPI v3 schema as CustomResourceDefinitions carry it
// (spec.versions[].schema.openAPIV3Schema) into the schema model, with the structural rules
// Kubernetes enforces on CRD schemas: every specified field has a type (unless it is
// int-or-string or preserves unknown fields), no $ref, items only as one schema, and
// additionalProperties never together with properties.

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "machinery/schema.h"

namespace kstack::machinery {

// One problem of a value or a schema, located by a field path ("spec.replicas").
struct FieldError {
  enum class Kind { kInvalid, kRequired, kUnsupported, kTooLong, kTooMany, kForbidden };
  Kind kind = Kind::kInvalid;
  std::string field;
  std::string detail;  // what follows "field: "

  // "spec.replicas: Invalid value: ..." as Kubernetes words a field error.
  std::string ToString() const;
  // The StatusCause type: "FieldValueInvalid", "FieldValueRequired", ...
  std::string_view CauseType() const;
};

// Parses `json` (an openAPIV3Schema) into `set`, returning its root. `path` locates the schema
// in its CRD for errors ("spec.versions[0].schema.openAPIV3Schema"). Every structural problem
// found is appended to `errors`; the returned schema is then incomplete and must not be used.
const Schema* ParseOpenApiV3Schema(const Json& json, std::string_view path, SchemaSet* set,
                                   std::vector<FieldError>* errors);

// The schema as an OpenAPI v3 JSON object again (for served OpenAPI documents). Each nested
// schema for which `ref_of` returns a name is written as {"$ref": name} instead of inline.
// REQUIRES: every cycle of the schema passes through a schema `ref_of` names (CRD schemas
// have no cycles).
Json SchemaToJson(const Schema& schema,
                  const std::function<std::string(const Schema&)>& ref_of = {});

}  // namespace kstack::machinery
