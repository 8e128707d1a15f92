#pragma once

// The body of Diff() for callers that prepare the copies themselves: CompareApp marks desired
// objects and moves tracking on live copies, and keeps every result value in one arena.

#include "core/json.h"
#include "gitops/diff/diff.h"

namespace kstack::gitops::diff::internal {

struct DiffInputs {
  Json desired;  // owned, normalised in place; null when there is no desired object
  // The live object as read (last-applied annotation, managedFields); null when none.
  const Json* live_source = nullptr;
  // A copy of live_source (CopyWithoutServerFields), normalised in place; null when none.
  Json live;
};

// The copy of `live` that DiffInputs::live wants, in `sp`.
Json CopyLive(const Json& live, const DiffOptions& options, boost::json::storage_ptr sp);

// As Diff(). The result's values (null ones included) are allocated from `results`, working
// values from `scratch` (the default heap when null).
// REQUIRES: desired and live_source are null or JSON objects, not both null.
ResourceDiff DiffPrepared(DiffInputs in, const DiffOptions& options,
                          boost::json::storage_ptr results = {},
                          boost::json::storage_ptr scratch = {});

}  // namespace kstack::gitops::diff::internal
