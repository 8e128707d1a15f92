#pragma once

// The merge of server-side apply: an applied configuration laid over the live object, as
// Kubernetes merges them before it looks at ownership. A pure function.
//
// Objects merge key by key (an atomic object is replaced); a null in the configuration removes
// the key. Lists follow ListSemanticsOf() (object_fields.h): an atomic list is replaced; in a
// set or map list, items are matched by value or key, an item in both is merged, and the order
// is Kubernetes': items only in the live list keep their place, the configuration's items come
// in its order (an item in both where the configuration puts it among the shared ones), and a
// new item where the configuration has it relative to them. Live items that cannot be keyed
// stay, last. Scalars and values of another type are replaced.
//
// Errors: kInvalid naming the path of a configuration's map list item without its key fields or
// with a key another item has (".spec.template.spec.containers[1]: ...").

#include "core/json.h"
#include "core/result.h"
#include "machinery/schema.h"

namespace kstack::machinery {

Result<Json> MergeApplied(const Json& live, const Json& applied, const Schema* schema);

}  // namespace kstack::machinery
