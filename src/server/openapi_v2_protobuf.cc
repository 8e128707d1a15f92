// Swagger 2.0 JSON -> gnostic's openapi_v2.Document protobuf (OpenAPIv2.proto of
// github.com/google/gnostic). Each message is a list of rules, JSON member -> field number and
// encoding; the messages whose form depends on the JSON (oneofs, named maps) are functions.
// Fields are proto3: zero values are left out, as Go's protobuf writer leaves them out.

#include <fmt/format.h>

#include <span>

#include "machinery/protobuf_wire.h"
#include "server/openapi_v2.h"

namespace kstack::server {
namespace {

using machinery::protobuf::WireWriter;

using MessageFn = Status (*)(const Json& value, const std::string& path, WireWriter* out);

enum class Enc {
  kString,
  kBool,
  kInt64,
  kDouble,
  kStrings,   // repeated string
  kAny,       // Any {2 yaml}: the value as YAML text
  kAnys,      // repeated Any
  kMessage,   // `fn` encodes the value
  kMessages,  // repeated, `fn` encodes each element of a JSON array
};

struct Rule {
  std::string_view key;
  uint32_t number;
  Enc enc;
  MessageFn fn = nullptr;
};

Status Unsupported(const std::string& path, std::string_view what) {
  return InternalError(fmt::format("openapi v2 protobuf: {} at {}", what, path));
}

std::string Member(const std::string& path, std::string_view key) {
  return fmt::format("{}/{}", path, key);
}

// gnostic's Any: {1 google.protobuf.Any value, 2 string yaml}; kstack writes yaml.
std::string AnyMessage(const Json& value) {
  WireWriter any;
  any.Bytes(2, WriteJson(value));
  return any.Take();
}

// NamedAny {1 name, 2 Any}: one vendor extension.
void VendorExtension(std::string_view name, const Json& value, uint32_t number, WireWriter* out) {
  WireWriter named;
  named.Bytes(1, name);
  named.Bytes(2, AnyMessage(value));
  out->Bytes(number, named.data());
}

Status Encode(const Rule& rule, const Json& value, const std::string& path, WireWriter* out) {
  switch (rule.enc) {
    case Enc::kString:
      if (!value.is_string()) return Unsupported(path, "expected a string");
      if (!value.as_string().empty()) out->Bytes(rule.number, value.as_string());
      return Status::Ok();
    case Enc::kBool:
      if (!value.is_bool()) return Unsupported(path, "expected a boolean");
      if (value.as_bool()) out->Bool(rule.number, true);
      return Status::Ok();
    case Enc::kInt64:
      if (!value.is_int64()) return Unsupported(path, "expected an integer");
      if (value.as_int64() != 0) out->Int64(rule.number, value.as_int64());
      return Status::Ok();
    case Enc::kDouble: {
      if (!value.is_number()) return Unsupported(path, "expected a number");
      double d = value.to_number<double>();
      if (d != 0) out->Double(rule.number, d);
      return Status::Ok();
    }
    case Enc::kStrings:
      if (!value.is_array()) return Unsupported(path, "expected an array of strings");
      for (const Json& item : value.as_array()) {
        if (!item.is_string()) return Unsupported(path, "expected an array of strings");
        out->Bytes(rule.number, item.as_string());
      }
      return Status::Ok();
    case Enc::kAny:
      out->Bytes(rule.number, AnyMessage(value));
      return Status::Ok();
    case Enc::kAnys:
      if (!value.is_array()) return Unsupported(path, "expected an array");
      for (const Json& item : value.as_array()) out->Bytes(rule.number, AnyMessage(item));
      return Status::Ok();
    case Enc::kMessage: {
      WireWriter inner;
      KSTACK_RETURN_IF_ERROR(rule.fn(value, path, &inner));
      out->Bytes(rule.number, inner.data());
      return Status::Ok();
    }
    case Enc::kMessages: {
      if (!value.is_array()) return Unsupported(path, "expected an array");
      const JsonArray& items = value.as_array();
      for (size_t i = 0; i < items.size(); ++i) {
        WireWriter inner;
        KSTACK_RETURN_IF_ERROR(rule.fn(items[i], fmt::format("{}/{}", path, i), &inner));
        out->Bytes(rule.number, inner.data());
      }
      return Status::Ok();
    }
  }
  return Unsupported(path, "unknown encoding");
}

// Encodes the members of the object `value` by `rules`; members named x-* become vendor
// extensions in field `vendor` (0: the message has none). Any other member is an error.
Status Object(const Json& value, const std::string& path, std::span<const Rule> rules,
              uint32_t vendor, WireWriter* out) {
  if (!value.is_object()) return Unsupported(path, "expected an object");
  for (const auto& member : value.as_object()) {
    std::string_view key = member.key();
    std::string member_path = Member(path, key);
    const Rule* rule = nullptr;
    for (const Rule& r : rules) {
      if (r.key == key) rule = &r;
    }
    if (rule != nullptr) {
      KSTACK_RETURN_IF_ERROR(Encode(*rule, member.value(), member_path, out));
    } else if (vendor != 0 && key.starts_with("x-")) {
      VendorExtension(key, member.value(), vendor, out);
    } else {
      return Unsupported(member_path, "a member gnostic's openapi_v2 has no field for");
    }
  }
  return Status::Ok();
}

// A JSON object whose members are named values: each member becomes a message {1 name,
// 2 value} in field `number`, encoded by `fn`; x-* members go to `vendor` when it is not 0.
Status NamedMap(const Json& value, const std::string& path, uint32_t number, MessageFn fn,
                uint32_t vendor, WireWriter* out) {
  if (!value.is_object()) return Unsupported(path, "expected an object");
  for (const auto& member : value.as_object()) {
    std::string_view key = member.key();
    if (vendor != 0 && key.starts_with("x-")) {
      VendorExtension(key, member.value(), vendor, out);
      continue;
    }
    WireWriter inner;
    KSTACK_RETURN_IF_ERROR(fn(member.value(), Member(path, key), &inner));
    WireWriter named;
    named.Bytes(1, key);
    named.Bytes(2, inner.data());
    out->Bytes(number, named.data());
  }
  return Status::Ok();
}

Status Schema(const Json& value, const std::string& path, WireWriter* out);

// TypeItem {1 repeated string}: "type" is a string or an array of strings.
Status TypeItem(const Json& value, const std::string& path, WireWriter* out) {
  if (value.is_string()) {
    out->Bytes(1, value.as_string());
    return Status::Ok();
  }
  return Encode({"type", 1, Enc::kStrings}, value, path, out);
}

// ItemsItem {1 repeated Schema}: "items" is a schema or an array of schemas.
Status ItemsItem(const Json& value, const std::string& path, WireWriter* out) {
  if (value.is_object()) return Encode({"items", 1, Enc::kMessage, Schema}, value, path, out);
  return Encode({"items", 1, Enc::kMessages, Schema}, value, path, out);
}

// AdditionalPropertiesItem: oneof {1 Schema, 2 bool}.
Status AdditionalPropertiesItem(const Json& value, const std::string& path, WireWriter* out) {
  if (value.is_bool()) {
    out->Bool(2, value.as_bool());
    return Status::Ok();
  }
  return Encode({"additionalProperties", 1, Enc::kMessage, Schema}, value, path, out);
}

// Properties {1 repeated NamedSchema}; Definitions has the same form.
Status NamedSchemas(const Json& value, const std::string& path, WireWriter* out) {
  return NamedMap(value, path, 1, Schema, 0, out);
}

Status Schema(const Json& value, const std::string& path, WireWriter* out) {
  static constexpr Rule kRules[] = {
      {"$ref", 1, Enc::kString},
      {"format", 2, Enc::kString},
      {"title", 3, Enc::kString},
      {"description", 4, Enc::kString},
      {"default", 5, Enc::kAny},
      {"multipleOf", 6, Enc::kDouble},
      {"maximum", 7, Enc::kDouble},
      {"exclusiveMaximum", 8, Enc::kBool},
      {"minimum", 9, Enc::kDouble},
      {"exclusiveMinimum", 10, Enc::kBool},
      {"maxLength", 11, Enc::kInt64},
      {"minLength", 12, Enc::kInt64},
      {"pattern", 13, Enc::kString},
      {"maxItems", 14, Enc::kInt64},
      {"minItems", 15, Enc::kInt64},
      {"uniqueItems", 16, Enc::kBool},
      {"maxProperties", 17, Enc::kInt64},
      {"minProperties", 18, Enc::kInt64},
      {"required", 19, Enc::kStrings},
      {"enum", 20, Enc::kAnys},
      {"additionalProperties", 21, Enc::kMessage, AdditionalPropertiesItem},
      {"type", 22, Enc::kMessage, TypeItem},
      {"items", 23, Enc::kMessage, ItemsItem},
      {"allOf", 24, Enc::kMessages, Schema},
      {"properties", 25, Enc::kMessage, NamedSchemas},
      {"discriminator", 26, Enc::kString},
      {"readOnly", 27, Enc::kBool},
      {"example", 30, Enc::kAny},
  };
  return Object(value, path, kRules, 31, out);
}

// PrimitivesItems: the items of a non-body parameter.
Status PrimitivesItems(const Json& value, const std::string& path, WireWriter* out) {
  static constexpr Rule kRules[] = {
      {"type", 1, Enc::kString},
      {"format", 2, Enc::kString},
      {"items", 3, Enc::kMessage, PrimitivesItems},
      {"collectionFormat", 4, Enc::kString},
      {"default", 5, Enc::kAny},
      {"maximum", 6, Enc::kDouble},
      {"exclusiveMaximum", 7, Enc::kBool},
      {"minimum", 8, Enc::kDouble},
      {"exclusiveMinimum", 9, Enc::kBool},
      {"maxLength", 10, Enc::kInt64},
      {"minLength", 11, Enc::kInt64},
      {"pattern", 12, Enc::kString},
      {"maxItems", 13, Enc::kInt64},
      {"minItems", 14, Enc::kInt64},
      {"uniqueItems", 15, Enc::kBool},
      {"enum", 16, Enc::kAnys},
      {"multipleOf", 17, Enc::kDouble},
  };
  return Object(value, path, kRules, 18, out);
}

// Query and formData parameters share one layout, path and header parameters another (without
// allowEmptyValue, so every later field is one lower).
Status QueryParameter(const Json& value, const std::string& path, WireWriter* out) {
  static constexpr Rule kRules[] = {
      {"required", 1, Enc::kBool},
      {"in", 2, Enc::kString},
      {"description", 3, Enc::kString},
      {"name", 4, Enc::kString},
      {"allowEmptyValue", 5, Enc::kBool},
      {"type", 6, Enc::kString},
      {"format", 7, Enc::kString},
      {"items", 8, Enc::kMessage, PrimitivesItems},
      {"collectionFormat", 9, Enc::kString},
      {"default", 10, Enc::kAny},
      {"maximum", 11, Enc::kDouble},
      {"exclusiveMaximum", 12, Enc::kBool},
      {"minimum", 13, Enc::kDouble},
      {"exclusiveMinimum", 14, Enc::kBool},
      {"maxLength", 15, Enc::kInt64},
      {"minLength", 16, Enc::kInt64},
      {"pattern", 17, Enc::kString},
      {"maxItems", 18, Enc::kInt64},
      {"minItems", 19, Enc::kInt64},
      {"uniqueItems", 20, Enc::kBool},
      {"enum", 21, Enc::kAnys},
      {"multipleOf", 22, Enc::kDouble},
  };
  return Object(value, path, kRules, 23, out);
}

Status PathParameter(const Json& value, const std::string& path, WireWriter* out) {
  static constexpr Rule kRules[] = {
      {"required", 1, Enc::kBool},
      {"in", 2, Enc::kString},
      {"description", 3, Enc::kString},
      {"name", 4, Enc::kString},
      {"type", 5, Enc::kString},
      {"format", 6, Enc::kString},
      {"items", 7, Enc::kMessage, PrimitivesItems},
      {"collectionFormat", 8, Enc::kString},
      {"default", 9, Enc::kAny},
      {"maximum", 10, Enc::kDouble},
      {"exclusiveMaximum", 11, Enc::kBool},
      {"minimum", 12, Enc::kDouble},
      {"exclusiveMinimum", 13, Enc::kBool},
      {"maxLength", 14, Enc::kInt64},
      {"minLength", 15, Enc::kInt64},
      {"pattern", 16, Enc::kString},
      {"maxItems", 17, Enc::kInt64},
      {"minItems", 18, Enc::kInt64},
      {"uniqueItems", 19, Enc::kBool},
      {"enum", 20, Enc::kAnys},
      {"multipleOf", 21, Enc::kDouble},
  };
  return Object(value, path, kRules, 22, out);
}

Status BodyParameter(const Json& value, const std::string& path, WireWriter* out) {
  static constexpr Rule kRules[] = {
      {"description", 1, Enc::kString},
      {"name", 2, Enc::kString},
      {"in", 3, Enc::kString},
      {"required", 4, Enc::kBool},
      {"schema", 5, Enc::kMessage, Schema},
  };
  return Object(value, path, kRules, 6, out);
}

// Parameter: oneof {1 BodyParameter, 2 NonBodyParameter}; NonBodyParameter: oneof {1 header,
// 2 formData, 3 query, 4 path}. Which one is told by "in".
Status Parameter(const Json& value, const std::string& path, WireWriter* out) {
  std::string_view in = FindString(value, "in");
  if (in == "body") return Encode({"", 1, Enc::kMessage, BodyParameter}, value, path, out);
  Rule sub;
  if (in == "header") {
    sub = {"", 1, Enc::kMessage, PathParameter};
  } else if (in == "formData") {
    sub = {"", 2, Enc::kMessage, QueryParameter};
  } else if (in == "query") {
    sub = {"", 3, Enc::kMessage, QueryParameter};
  } else if (in == "path") {
    sub = {"", 4, Enc::kMessage, PathParameter};
  } else {
    return Unsupported(path,
                       "a parameter whose \"in\" is not body, query, path, header or formData");
  }
  WireWriter non_body;
  KSTACK_RETURN_IF_ERROR(Encode(sub, value, path, &non_body));
  out->Bytes(2, non_body.data());
  return Status::Ok();
}

// JsonReference {1 _ref, 2 description}.
Status JsonReference(const Json& value, const std::string& path, WireWriter* out) {
  static constexpr Rule kRules[] = {{"$ref", 1, Enc::kString}, {"description", 2, Enc::kString}};
  return Object(value, path, kRules, 0, out);
}

// ParametersItem: oneof {1 Parameter, 2 JsonReference}.
Status ParametersItem(const Json& value, const std::string& path, WireWriter* out) {
  if (FindMember(value, "$ref") != nullptr) {
    return Encode({"", 2, Enc::kMessage, JsonReference}, value, path, out);
  }
  return Encode({"", 1, Enc::kMessage, Parameter}, value, path, out);
}

// SchemaItem: oneof {1 Schema, 2 FileSchema}; kstack's responses hold schemas.
Status SchemaItem(const Json& value, const std::string& path, WireWriter* out) {
  return Encode({"", 1, Enc::kMessage, Schema}, value, path, out);
}

Status Response(const Json& value, const std::string& path, WireWriter* out) {
  static constexpr Rule kRules[] = {
      {"description", 1, Enc::kString},
      {"schema", 2, Enc::kMessage, SchemaItem},
  };
  return Object(value, path, kRules, 5, out);
}

// ResponseValue: oneof {1 Response, 2 JsonReference}.
Status ResponseValue(const Json& value, const std::string& path, WireWriter* out) {
  if (FindMember(value, "$ref") != nullptr) {
    return Encode({"", 2, Enc::kMessage, JsonReference}, value, path, out);
  }
  return Encode({"", 1, Enc::kMessage, Response}, value, path, out);
}

// Responses {1 repeated NamedResponseValue, 2 vendor extensions}.
Status Responses(const Json& value, const std::string& path, WireWriter* out) {
  return NamedMap(value, path, 1, ResponseValue, 2, out);
}

Status Operation(const Json& value, const std::string& path, WireWriter* out) {
  static constexpr Rule kRules[] = {
      {"tags", 1, Enc::kStrings},
      {"summary", 2, Enc::kString},
      {"description", 3, Enc::kString},
      {"operationId", 5, Enc::kString},
      {"produces", 6, Enc::kStrings},
      {"consumes", 7, Enc::kStrings},
      {"parameters", 8, Enc::kMessages, ParametersItem},
      {"responses", 9, Enc::kMessage, Responses},
      {"schemes", 10, Enc::kStrings},
      {"deprecated", 11, Enc::kBool},
  };
  return Object(value, path, kRules, 13, out);
}

Status PathItem(const Json& value, const std::string& path, WireWriter* out) {
  static constexpr Rule kRules[] = {
      {"$ref", 1, Enc::kString},
      {"get", 2, Enc::kMessage, Operation},
      {"put", 3, Enc::kMessage, Operation},
      {"post", 4, Enc::kMessage, Operation},
      {"delete", 5, Enc::kMessage, Operation},
      {"options", 6, Enc::kMessage, Operation},
      {"head", 7, Enc::kMessage, Operation},
      {"patch", 8, Enc::kMessage, Operation},
      {"parameters", 9, Enc::kMessages, ParametersItem},
  };
  return Object(value, path, kRules, 10, out);
}

// Paths {1 vendor extensions, 2 repeated NamedPathItem}.
Status Paths(const Json& value, const std::string& path, WireWriter* out) {
  return NamedMap(value, path, 2, PathItem, 1, out);
}

// ParameterDefinitions {1 repeated NamedParameter}.
Status ParameterDefinitions(const Json& value, const std::string& path, WireWriter* out) {
  return NamedMap(value, path, 1, Parameter, 0, out);
}

Status License(const Json& value, const std::string& path, WireWriter* out) {
  static constexpr Rule kRules[] = {{"name", 1, Enc::kString}, {"url", 2, Enc::kString}};
  return Object(value, path, kRules, 3, out);
}

Status Contact(const Json& value, const std::string& path, WireWriter* out) {
  static constexpr Rule kRules[] = {
      {"name", 1, Enc::kString}, {"url", 2, Enc::kString}, {"email", 3, Enc::kString}};
  return Object(value, path, kRules, 4, out);
}

Status Info(const Json& value, const std::string& path, WireWriter* out) {
  static constexpr Rule kRules[] = {
      {"title", 1, Enc::kString},
      {"version", 2, Enc::kString},
      {"description", 3, Enc::kString},
      {"termsOfService", 4, Enc::kString},
      {"contact", 5, Enc::kMessage, Contact},
      {"license", 6, Enc::kMessage, License},
  };
  return Object(value, path, kRules, 7, out);
}

Status ExternalDocs(const Json& value, const std::string& path, WireWriter* out) {
  static constexpr Rule kRules[] = {{"description", 1, Enc::kString}, {"url", 2, Enc::kString}};
  return Object(value, path, kRules, 3, out);
}

Status Tag(const Json& value, const std::string& path, WireWriter* out) {
  static constexpr Rule kRules[] = {
      {"name", 1, Enc::kString},
      {"description", 2, Enc::kString},
      {"externalDocs", 3, Enc::kMessage, ExternalDocs},
  };
  return Object(value, path, kRules, 4, out);
}

Status Document(const Json& value, const std::string& path, WireWriter* out) {
  static constexpr Rule kRules[] = {
      {"swagger", 1, Enc::kString},
      {"info", 2, Enc::kMessage, Info},
      {"host", 3, Enc::kString},
      {"basePath", 4, Enc::kString},
      {"schemes", 5, Enc::kStrings},
      {"consumes", 6, Enc::kStrings},
      {"produces", 7, Enc::kStrings},
      {"paths", 8, Enc::kMessage, Paths},
      {"definitions", 9, Enc::kMessage, NamedSchemas},
      {"parameters", 10, Enc::kMessage, ParameterDefinitions},
      {"tags", 14, Enc::kMessages, Tag},
      {"externalDocs", 15, Enc::kMessage, ExternalDocs},
  };
  return Object(value, path, kRules, 16, out);
}

}  // namespace

Result<std::string> EncodeOpenApiV2Protobuf(const Json& document) {
  WireWriter out;
  KSTACK_RETURN_IF_ERROR(Document(document, "", &out));
  return out.Take();
}

}  // namespace kstack::server
