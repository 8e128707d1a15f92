#pragma once

// The field schemas of the built-in types, as the Kubernetes OpenAPI v2 document describes them:
// every definition reachable from the served kinds (resource_types.h), their List kinds,
// autoscaling/v1 Scale and meta/v1 Status. The facts live in builtin_schemas_data.inc, written by
// scripts/gen-builtin-schemas from the document; a test walks them against the document.
//
// Each definition is a named Schema (Schema::title and SchemaSet::Find() use the definition name,
// "io.k8s.api.core.v1.Pod"); a property that refers to a definition points at it. A property that
// adds facts to a reference (DeploymentSpec.strategy: patch strategy retainKeys) is a copy of the
// definition with those facts, titled like it.
//
// Where the v2 document says less than the API server does:
//   IntOrString: type string, format "int-or-string", int_or_string;
//   Quantity: type string, int_or_string (a JSON number is accepted too, decimals included);
//   RawExtension and FieldsV1: type object, preserve_unknown_fields;
//   apiextensions JSON and JSONSchemaPropsOr{Array,Bool,StringArray}: kAny,
//   preserve_unknown_fields.
// Time and MicroTime are strings of format date-time, as the document says.

#include <string_view>

#include "machinery/schema.h"

namespace kstack::machinery {

// All built-in definitions. Built on first use (a few milliseconds), then shared: thread-safe,
// never destroyed.
const SchemaSet& BuiltinSchemas();

// The schema of the built-in kind group/version/kind ("" for the core group), List kinds
// included ("apps", "v1", "DeploymentList"); null when there is none.
const Schema* BuiltinSchemaFor(std::string_view group, std::string_view version,
                               std::string_view kind);

}  // namespace kstack::machinery
