#pragma once

// The merge of server-side apply: an applied configuration laid over the live object, as
// Kubernetes merges them before it looks at ownership. A pure function.
//
// Objects merge key by key (an atomic object is replaced); a null in the configuration removes
// the key. Lists follow ListSemanticsOf() (object_fields.h): an atomic list is replaced, a set
// list becomes the live values followed by the new ones, a map list keeps the live items in
// their order, each merged with the configuration's item of the same key, followed by the
// configuration's new items in its order. Scalars and values of another type are replaced.
//
// Errors: kInvalid naming the path of a configuration's map list item without its key fields or
// with a key another item has (".spec.template.spec.containers[1]: ...").

#include "core/json.h"
#include "core/result.h"
#include "machinery/schema.h"

namespace kstack::machinery {

Result<Json> MergeApplied(const Json& live, const Json& applied, const Schema* schema);

}  // namespace kstack::machinery
