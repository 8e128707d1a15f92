#pragma once

// Small JSON helpers shared by the diff's steps.

#include <string_view>

#include "core/json.h"

namespace kstack::gitops::diff::internal {

// Deep equality where numbers compare by value (1, 1.0 and an unsigned 1 are equal) and objects
// ignore member order.
bool Equivalent(const Json& a, const Json& b);

// An empty object or array.
bool IsEmptyContainer(const Json& v);

// At every depth: removes object members whose value is null (a null in a manifest means "not
// set") and turns whole doubles into integers (2.0 is the 2 the API server stores).
void TidyValues(Json& v);

// Removes empty objects and arrays at every depth, and empty objects from arrays, as the
// ignoreDifferences step does once a rule has matched. The top level is kept.
void DropEmptyContainers(Json& v);

// The member `key` of object `v`; null when `v` is not an object or has no such member.
Json* MutableMember(Json& v, std::string_view key);

// "group" of an apiVersion: "apps" of "apps/v1", "" of "v1".
std::string_view GroupOf(std::string_view api_version);
// "version" of an apiVersion: "v1" of "apps/v1".
std::string_view VersionOf(std::string_view api_version);

}  // namespace kstack::gitops::diff::internal
