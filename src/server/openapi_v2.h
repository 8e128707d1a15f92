#pragma once

// OpenAPI v2 (Swagger 2.0) at /openapi/v2, which kubectl reads for client-side validation where
// the v3 documents cannot stand in: `kubectl create|apply -f` of a `kind: List` validates each
// item against the v2 definition carrying the item's x-kubernetes-group-version-kind. kubectl
// asks for it in protobuf (gnostic's openapi_v2.Document message); other clients get JSON.
//
// Definitions are named as Kubernetes names them ("io.k8s.api.core.v1.ConfigMap"; reversed
// group for custom resources: "com.example.stable.v1.CronTab"). Object schemas are open for now
// (`type: object` without properties), so validation accepts any fields and leaves them to the
// server; the encoder below already covers the schema fields real schemas need.

#include <span>
#include <string>
#include <string_view>

#include "core/json.h"
#include "core/result.h"
#include "machinery/resource_types.h"

namespace kstack::server {

// The media type of the protobuf answer. kubectl asks for "...spec.v2@v1.0+protobuf", but '@'
// is not allowed in a media type and Go's mime parser (so kubectl) refuses it in a
// Content-Type; Kubernetes answers with this form, and so does kstack.
inline constexpr std::string_view kOpenApiV2Protobuf =
    "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

// The v2 document of `types`: swagger, info, paths (list, create, get, replace, patch and delete
// of each type, with x-kubernetes-action and x-kubernetes-group-version-kind) and definitions
// (each type, its list, and the meta types the operations name).
Json OpenApiV2Document(std::span<const machinery::ResourceType> types);

// The definition name of a type: "io.k8s.api.apps.v1.Deployment".
std::string OpenApiV2DefinitionName(const machinery::ResourceType& type);

// Encodes a Swagger 2.0 document given as JSON into gnostic's openapi_v2.Document protobuf
// message. Covered: the document's swagger, info, host, basePath, schemes, consumes, produces,
// paths, definitions, parameters and tags; path items and operations with body, query, path and
// header parameters and responses; and every Schema field of Swagger 2.0 (type, format, title,
// description, $ref, properties, items, additionalProperties, allOf, required, enum, default,
// example, the numeric and length limits, readOnly, discriminator), vendor extensions (x-*)
// everywhere gnostic keeps them. Enum values, defaults, examples and extensions are written as
// gnostic writes them: YAML text (JSON is YAML). Errors: Internal naming the JSON path of a
// member that is not covered or has the wrong JSON type; nothing is dropped silently.
Result<std::string> EncodeOpenApiV2Protobuf(const Json& document);

}  // namespace kstack::server
