#pragma once

// The discovery documents kubectl reads before anything else, built from a list of served
// types (the built-in table plus, later, the types of established CRDs): /api, /apis, the
// per-group-version resource lists, and the aggregated form (apidiscovery.k8s.io/v2) that
// kubectl 1.32 asks for first. Pure functions; the server caches their results.

#include <span>
#include <string_view>

#include "core/json.h"
#include "machinery/resource_types.h"

namespace kstack::server {

// GET /api: the core group's versions. `server_address` is "host:port" as clients reach it.
Json CoreApiVersions(std::string_view server_address);

// GET /apis: every named group with its versions, the first listed being preferred.
Json ApiGroupList(std::span<const machinery::ResourceType> types);

// GET /api/v1 or /apis/<group>/<version>: an APIResourceList with the status and scale
// subresources as entries of their own. Null when no type is served at that group/version.
Json ApiResourceList(std::span<const machinery::ResourceType> types, std::string_view group,
                     std::string_view version);

// GET /api or /apis with Accept:
// application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList `core` selects the core
// group (/api) or the named groups (/apis).
Json AggregatedDiscovery(std::span<const machinery::ResourceType> types, bool core);

}  // namespace kstack::server
