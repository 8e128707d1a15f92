#pragma once

// The object schema model shared by the built-in types and CustomResourceDefinitions: the
// structural subset of OpenAPI v3 that Kubernetes uses (type, properties, items,
// additionalProperties, the x-kubernetes-* extensions, value limits) plus the strategic merge
// patch facts of built-in fields (x-kubernetes-patch-strategy / -merge-key). Validation,
// defaulting, pruning, strategic merge patch, server-side apply and the served OpenAPI documents
// all read this one model.
//
// Schemas live in a SchemaSet that owns them; they point at each other with plain pointers, so
// recursive types (JSONSchemaProps) need no special case. A SchemaSet is immutable once built
// and may be read from any number of threads.

#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/json.h"
#include "core/result.h"

namespace kstack::machinery {

struct Schema {
  enum class Type { kAny, kObject, kArray, kString, kInteger, kNumber, kBoolean };

  Type type = Type::kAny;  // kAny: no `type` (only with int-or-string or preserve-unknown)
  std::string format;      // "int32", "int64", "double", "date-time", "byte", "int-or-string"
  std::string title;       // the definition name for built-in object types (io.k8s.api.core.v1.Pod)
  std::string description;  // a CRD author's text (built-in schemas carry none)

  // Properties of an object, in document order. Look them up with Property().
  std::vector<std::pair<std::string, const Schema*>> properties;
  const Schema* items = nullptr;                  // the element schema of an array
  const Schema* additional_properties = nullptr;  // the value schema of a map
  std::vector<std::string> required;

  bool nullable = false;
  bool int_or_string = false;            // x-kubernetes-int-or-string
  bool preserve_unknown_fields = false;  // x-kubernetes-preserve-unknown-fields
  bool embedded_resource = false;        // x-kubernetes-embedded-resource

  std::optional<Json> default_value;  // default
  std::vector<Json> enum_values;      // enum
  std::optional<double> minimum, maximum;
  bool exclusive_minimum = false, exclusive_maximum = false;
  std::optional<int64_t> min_length, max_length, min_items, max_items, min_properties,
      max_properties;
  std::string pattern;  // ECMA-262 as Kubernetes documents; checked as RE2 syntax

  // List and map semantics (server-side apply, strategic merge patch).
  std::string list_type;                // x-kubernetes-list-type: atomic | set | map
  std::vector<std::string> list_map_keys;  // x-kubernetes-list-map-keys
  std::string map_type;                 // x-kubernetes-map-type: granular | atomic
  std::string patch_strategy;           // x-kubernetes-patch-strategy: merge, retainKeys, ...
  std::string patch_merge_key;          // x-kubernetes-patch-merge-key

  // The schema of property `name`; null when the object declares no such property.
  const Schema* Property(std::string_view name) const;
};

// Owns schemas. Add() returns a stable pointer (the storage never moves).
class SchemaSet {
 public:
  Schema* Add() { return &schemas_.emplace_back(); }
  // Named definitions (built-in types): "io.k8s.api.core.v1.ConfigMap".
  void Name(std::string name, const Schema* schema) { named_[std::move(name)] = schema; }
  const Schema* Find(std::string_view name) const;
  const std::map<std::string, const Schema*, std::less<>>& named() const { return named_; }

 private:
  std::deque<Schema> schemas_;
  std::map<std::string, const Schema*, std::less<>> named_;
};

}  // namespace kstack::machinery
