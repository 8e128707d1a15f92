#pragma once

// Facts about schemas that the comparison needs on every field, computed once for the built-in
// schemas (machinery/builtin_schemas.h): the schemas of an object's fields by binary search
// (their properties are in name order, as the OpenAPI document lists them), and which fields
// can hold a quantity or an int-or-string value at all, so that the rest is not walked.
// Schemas that are not built in (a CRD's) are answered without the table, more slowly.

#include <string_view>
#include <utility>
#include <vector>

#include "machinery/schema.h"

namespace kstack::gitops::diff::internal {

inline constexpr std::string_view kQuantityDefinition =
    "io.k8s.apimachinery.pkg.api.resource.Quantity";

// The schemas of the members of an object whose schema is `s` (null: none).
class SchemaFields {
 public:
  explicit SchemaFields(const machinery::Schema* s);
  // Property `field`, else additionalProperties; null when neither.
  const machinery::Schema* Of(std::string_view field) const;

 private:
  const machinery::Schema* s_;
  bool sorted_ = false;
};

// Where typed values (quantities, int-or-string) can be under a built-in schema.
struct TypedPaths {
  bool any = false;  // the schema or something under it is typed
  // The properties with typed values under them, in name order.
  std::vector<std::pair<std::string_view, const machinery::Schema*>> properties;
  bool items = false;       // array elements can hold typed values
  bool additional = false;  // map values can hold typed values
};

// The typed paths of a built-in schema; null for a schema outside the table.
const TypedPaths* TypedPathsOf(const machinery::Schema* s);

}  // namespace kstack::gitops::diff::internal
