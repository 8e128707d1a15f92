#pragma once

// An object seen as server-side apply sees it: which fields it sets (its field set), how two
// versions differ field by field, and the removal of fields. Pure functions over an object and
// its schema (BuiltinSchemaFor() or a custom resource's structural schema; null: none).
//
// Lists follow their schema: x-kubernetes-list-type `map` (items keyed by
// x-kubernetes-list-map-keys), `set` (items keyed by value) or `atomic` (one field); without a
// list type, a patch strategy `merge` makes a map list keyed by its x-kubernetes-patch-merge-key
// (a set for lists of scalars), as Kubernetes converts the built-in schemas; anything else is
// atomic. An object is granular (each key a field) unless x-kubernetes-map-type is atomic; a
// key declared as a property is a struct field, any other key a map entry. Without a schema,
// objects are granular maps and lists atomic. At the root, apiVersion, kind and metadata are
// always the struct fields of every object (metadata with ObjectMeta's schema).
//
// Membership follows Kubernetes: scalars, atomic values, list items and map entries are members
// of the set; a struct field holding a non-empty object is not (its own fields are).

#include <string>
#include <vector>

#include "core/json.h"
#include "core/result.h"
#include "machinery/field_set.h"
#include "machinery/schema.h"

namespace kstack::machinery {

struct ListSemantics {
  enum class Kind { kAtomic, kSet, kMap };
  Kind kind = Kind::kAtomic;
  std::vector<std::string> keys;  // kMap
  // The value of each key an item may omit (parallel to `keys`; null: none): the key field's
  // schema default, and a port's protocol "TCP", which Kubernetes' OpenAPI document gives and
  // the v2 document kstack reads from does not.
  std::vector<Json> key_defaults;
};

// How the list described by `list` (an array schema; null: none) merges.
ListSemantics ListSemanticsOf(const Schema* list);

// The path element of `item` in a list with these semantics: k:{...} or v:...
// Errors: kInvalid for a map list item that is not an object or lacks a key field.
Result<std::string> ItemElement(const ListSemantics& list, const Json& item);

// The schema of member `key` of an object described by `object` (null when unknown);
// `*struct_field` tells whether the key is a declared property.
const Schema* MemberSchema(const Schema* object, std::string_view key, bool* struct_field);

// Whether an object schema makes the object one atomic value.
bool AtomicObject(const Schema* object);

// The field set of `object` (an applied configuration, or a whole object).
// Errors: kInvalid naming the path (".spec.template.spec.containers[0]") of a map list item
// without its keys, or of two items with the same key.
Result<FieldSet> FieldSetOf(const Json& object, const Schema* schema);

// How `after` differs from `before`: leaf values that changed (modified), paths only in `after`
// (added, every path of a new subtree) and paths only in `before` (removed). Items of
// map and set lists are matched by key; those that cannot be keyed are compared whole.
struct Comparison {
  FieldSet modified;
  FieldSet added;
  FieldSet removed;
  bool same() const { return modified.empty() && added.empty() && removed.empty(); }
};
Comparison CompareObjects(const Json& before, const Json& after, const Schema* schema);

// Removes from `object` every member of `fields` (a member that holds an object or a list item
// goes whole); a map or list that the removal leaves empty goes too.
void RemoveFields(Json& object, const FieldSet& fields, const Schema* schema);

}  // namespace kstack::machinery
