#pragma once

// OpenAPI v3 documents as kubectl reads them before a create or apply: /openapi/v3 lists one
// document per group/version, and each document describes the operations of the types served
// there, with their x-kubernetes-group-version-kind and the fieldValidation, dryRun and
// fieldManager parameters, so that kubectl leaves validation to the server
// (fieldValidation=Strict) instead of needing --validate=false. Object schemas are the types'
// own where known (custom resources' schemas; built-in types' definitions as named components
// referring to each other), so `kubectl explain` can walk them; otherwise open
// (x-kubernetes-preserve-unknown-fields).

#include <functional>
#include <span>
#include <string_view>

#include "core/json.h"
#include "machinery/resource_types.h"
#include "machinery/schema.h"

namespace kstack::server {

// The object schema of a served type; null when it has none.
using SchemaLookup = std::function<const machinery::Schema*(const machinery::ResourceType&)>;

// GET /openapi/v3: {"paths": {"api/v1": {"serverRelativeURL": "/openapi/v3/api/v1?hash=..."}}}.
Json OpenApiV3Index(std::span<const machinery::ResourceType> types,
                    const SchemaLookup& schema_of = {});

// GET /openapi/v3/api/v1 or /openapi/v3/apis/<group>/<version>; null when nothing is served
// there. `path` is the part after "/openapi/v3/".
Json OpenApiV3Document(std::span<const machinery::ResourceType> types, std::string_view path,
                       const SchemaLookup& schema_of = {});

}  // namespace kstack::server
