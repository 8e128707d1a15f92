#pragma once

// Strategic merge patch (`kubectl patch --type strategic`, and the patches `kubectl apply` and
// `kubectl edit` send), applied as the Kubernetes API server applies it. A pure function.
//
// Objects merge recursively and a null member deletes the key. A list whose schema has
// x-kubernetes-patch-strategy merge is merged: lists of objects by x-kubernetes-patch-merge-key
// (containers by name, container ports by containerPort, volumeMounts by mountPath,
// ownerReferences by uid, ...), an element of the patch merging into the original element with
// the same key or being appended; lists of primitives (finalizers) become the union of both. Every
// other list, and every list without a schema, is replaced by the patch. An object field with
// strategy replace (PodDisruptionBudget's selector) is replaced too. The merged list is ordered
// as Kubernetes orders it: the patch's elements in the patch's order, the original's other
// elements in their order, interleaved where the original orders both.
//
// Directives:
//   {"$patch": "replace", ...}  in an object: the object becomes the rest of this object.
//   {"$patch": "delete"}        in an object: the object becomes empty ({}).
//   [{"$patch": "replace"}, ...] in a merged list: the list becomes the other elements.
//   [{"name": "x", "$patch": "delete"}] in a merged list: removes every element with that key.
//   "$retainKeys": [...]        keys of the object that survive; each other key of the patch must
//                               be listed (kubectl sends it for fields with strategy retainKeys).
//   "$setElementOrder/<list>": [...]  the order of the list's elements (objects carry only the
//                               merge key); the list is merged first when the patch also holds it.
//   "$deleteFromPrimitiveList/<list>": [...]  values removed from a list of primitives.
// "$patch": "merge" is rejected, as Kubernetes rejects it. Other keys starting with "$" are
// ordinary fields (CRD schemas have "$ref"). The keys of a patch object apply in the patch's
// order (Kubernetes takes them in random order, which shows only when one patch both adds a
// value to a list and deletes it); an ordering directive for a list that is empty on both sides
// leaves it empty (Kubernetes fails it).
//
// A value the original does not have (a new key, a new list element, a replaced list) is taken
// from the patch without its null members and without objects that carry "$patch" or the other
// directives, as the API server stores it.
//
// `schema` describes `original` (BuiltinSchemaFor(), or a CRD's schema); null means none, and
// then the patch acts as a JSON merge patch whose directives still apply and whose lists all
// replace. A field the schema does not know is patched as if it had no schema.
//
// Errors: kBadRequest when `patch` is not a JSON object or `original` is neither an object nor
// null; kInvalid for an invalid patch, naming where ("strategic merge patch at
// spec.template.spec.containers[1]: ..."): an unknown or unsupported $patch, a merged list element
// without its merge key, elements of different types or lists of lists, a malformed $retainKeys
// or a patch key it does not list, a $setElementOrder that is not a list or disagrees with the
// patch's order, a malformed directive key.
// `original` and `patch` are left alone.

#include "core/json.h"
#include "core/result.h"
#include "machinery/schema.h"

namespace kstack::machinery {

Result<Json> ApplyStrategicMergePatch(const Json& original, const Json& patch,
                                      const Schema* schema);

}  // namespace kstack::machinery
