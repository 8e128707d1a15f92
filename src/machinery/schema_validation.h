#pragma once

// What the API server does with a custom resource (and, with the built-in schemas, with any
// object) against its structural schema before storing it: prune the fields the schema does
// not declare, apply the schema's defaults, and validate types, formats and value limits.
// Paths and messages are Kubernetes' ("spec.replicas: Invalid value: \"string\": spec.replicas
// in body must be of type integer: \"string\""). Pure functions over the schema model.

#include <string>
#include <vector>

#include "core/json.h"
#include "machinery/openapi_schema.h"
#include "machinery/schema.h"

namespace kstack::machinery {

struct PruneOptions {
  // At the root of a resource: apiVersion and kind are kept and metadata is reduced to the
  // fields of ObjectMeta (also inside x-kubernetes-embedded-resource objects).
  bool resource_root = true;
};

// Removes every field the schema does not declare (except under
// x-kubernetes-preserve-unknown-fields) and returns their paths ("spec.foo",
// "spec.items[0].bar", "metadata.foo"), which is what fieldValidation=Strict refuses and
// fieldValidation=Warn reports.
std::vector<std::string> PruneUnknownFields(Json& value, const Schema& schema,
                                            const PruneOptions& options = {});

// Sets the schema's defaults on absent fields (and on null ones that are not nullable),
// recursively, the way the API server defaults custom resources.
void ApplyDefaults(Json& value, const Schema& schema);

// Every way `value` breaks `schema`. `path` is the path of `value` itself ("" at the root).
std::vector<FieldError> ValidateValue(const Json& value, const Schema& schema,
                                      const std::string& path = "");

// The first value of `object` whose JSON type does not fit the built-in type `schema`
// describes, worded as the API server's JSON decoder words it: "json: cannot unmarshal string
// into Go struct field DeploymentSpec.spec.replicas of type int32". Nulls fit everything, as
// they do in Go. Empty when every value fits.
std::string BuiltinDecodeError(const Json& object, const Schema& schema);

}  // namespace kstack::machinery
