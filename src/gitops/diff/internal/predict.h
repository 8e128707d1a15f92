#pragma once

// The live object as it would be once the desired one is applied to it: the prediction that a
// comparison holds against the live object. Equal means in sync.
//
// The rules (kstack's reading of kubectl's three-way apply, which Argo CD's diff follows, and of
// server-side apply):
//  - A field the desired object sets takes the desired value (merged recursively into objects).
//  - A field only the live object has stays as it is (the server's defaults, other managers'
//    fields), unless the last applied configuration had it: then it was removed from Git and
//    the apply removes it.
//  - A desired empty object or list where live has nothing reads as nothing: the API server
//    drops empty optional fields, so `annotations: {}` in Git is not a difference.
//  - Lists merge by their schema: keyed lists (x-kubernetes-list-type map with its keys, or the
//    patch merge key: containers by name, ports by containerPort, ...) element by element, live
//    elements that Git never had surviving in their place; sets (list-type set, merged lists of
//    scalars such as finalizers) as a union; other lists are atomic and take the desired list,
//    except that when both lists have the same length their elements merge pairwise, so that
//    defaults the server fills into elements of an atomic list are not differences either.
//    A key field the desired element leaves out matches any value (protocol defaults to TCP).
//  - The desired order of a merged list wins; surviving live-only elements keep their place
//    after the element they followed in the live list.
//
// `last_applied` may be null (no record: nothing is removed because it left Git); it may also be
// a skeleton with `true` leaves and keyed-list elements that keep their key apart
// (managed_fields.h): only which fields and elements it holds is read.

#include "core/json.h"
#include "machinery/schema.h"

namespace kstack::gitops::diff::internal {

// Turns `live` (a copy of the normalised live object) into the prediction, in place. Returns
// false when that changed nothing (the resource is in sync); true when it may have.
bool PredictLive(Json& live, const Json& desired, const Json* last_applied,
                 const machinery::Schema* schema);

}  // namespace kstack::gitops::diff::internal
