#pragma once

// OpenAPI v3 documents as kubectl reads them before a create or apply: /openapi/v3 lists one
// document per group/version, and each document describes the operations of the types served
// there, with their x-kubernetes-group-version-kind and the fieldValidation, dryRun and
// fieldManager parameters, so that kubectl leaves validation to the server
// (fieldValidation=Strict) instead of needing --validate=false. Object schemas are open
// (x-kubernetes-preserve-unknown-fields) for now: `kubectl explain` needs the real ones.

#include <span>
#include <string_view>

#include "core/json.h"
#include "machinery/resource_types.h"

namespace kstack::server {

// GET /openapi/v3: {"paths": {"api/v1": {"serverRelativeURL": "/openapi/v3/api/v1?hash=..."}}}.
Json OpenApiV3Index(std::span<const machinery::ResourceType> types);

// GET /openapi/v3/api/v1 or /openapi/v3/apis/<group>/<version>; null when nothing is served
// there. `path` is the part after "/openapi/v3/".
Json OpenApiV3Document(std::span<const machinery::ResourceType> types, std::string_view path);

}  // namespace kstack::server
