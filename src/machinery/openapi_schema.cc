#include "machinery/openapi_schema.h"

#include <fmt/format.h>

namespace kstack::machinery {
namespace {

using Kind = FieldError::Kind;

struct Parser {
  SchemaSet* set;
  std::vector<FieldError>* errors;

  void Error(Kind kind, std::string field, std::string detail) {
    errors->push_back({.kind = kind, .field = std::move(field), .detail = std::move(detail)});
  }

  std::optional<int64_t> Int(const JsonObject& obj, std::string_view key, const std::string& path) {
    const Json* v = obj.if_contains(key);
    if (v == nullptr) return std::nullopt;
    if (v->is_int64() && v->get_int64() >= 0) return v->get_int64();
    if (v->is_uint64()) return static_cast<int64_t>(v->get_uint64());
    Error(Kind::kInvalid, path + "." + std::string(key), "Invalid value: must be a non-negative integer");
    return std::nullopt;
  }

  std::optional<double> Number(const JsonObject& obj, std::string_view key,
                               const std::string& path) {
    const Json* v = obj.if_contains(key);
    if (v == nullptr) return std::nullopt;
    if (v->is_number()) return v->to_number<double>();
    Error(Kind::kInvalid, path + "." + std::string(key), "Invalid value: must be a number");
    return std::nullopt;
  }

  bool Bool(const JsonObject& obj, std::string_view key) {
    const Json* v = obj.if_contains(key);
    return v != nullptr && v->is_bool() && v->get_bool();
  }

  const Schema* Parse(const Json& json, const std::string& path, bool specified_field) {
    Schema* s = set->Add();
    if (!json.is_object()) {
      Error(Kind::kInvalid, path, "Invalid value: must be an object");
      return s;
    }
    const JsonObject& obj = json.get_object();
    if (obj.contains("$ref")) {
      Error(Kind::kForbidden, path + ".$ref", "Forbidden: $ref is not allowed in CRD schemas");
    }
    std::string_view type;
    if (const Json* t = obj.if_contains("type")) {
      if (t->is_string()) type = t->get_string();
      if (type == "object") {
        s->type = Schema::Type::kObject;
      } else if (type == "array") {
        s->type = Schema::Type::kArray;
      } else if (type == "string") {
        s->type = Schema::Type::kString;
      } else if (type == "integer") {
        s->type = Schema::Type::kInteger;
      } else if (type == "number") {
        s->type = Schema::Type::kNumber;
      } else if (type == "boolean") {
        s->type = Schema::Type::kBoolean;
      } else {
        Error(Kind::kUnsupported, path + ".type",
              fmt::format("Unsupported value: {}: supported values: \"array\", \"boolean\", "
                          "\"integer\", \"number\", \"object\", \"string\"",
                          WriteJson(*t)));
      }
    }
    s->format = std::string(FindString(json, "format"));
    s->description = std::string(FindString(json, "description"));
    s->nullable = Bool(obj, "nullable");
    s->int_or_string = Bool(obj, "x-kubernetes-int-or-string");
    s->preserve_unknown_fields = Bool(obj, "x-kubernetes-preserve-unknown-fields");
    s->embedded_resource = Bool(obj, "x-kubernetes-embedded-resource");
    if (type.empty() && specified_field && !s->int_or_string && !s->preserve_unknown_fields) {
      Error(Kind::kRequired, path + ".type",
            "Required value: must not be empty for specified object fields");
    }
    if (s->int_or_string && !type.empty()) {
      Error(Kind::kForbidden, path + ".type",
            "Forbidden: must be empty when x-kubernetes-int-or-string is true");
    }
    if (const Json* props = obj.if_contains("properties")) {
      if (!props->is_object()) {
        Error(Kind::kInvalid, path + ".properties", "Invalid value: must be an object");
      } else {
        if (!type.empty() && s->type != Schema::Type::kObject) {
          Error(Kind::kForbidden, path + ".properties",
                "Forbidden: properties are only allowed on objects");
        }
        for (const auto& kv : props->get_object()) {
          std::string key(kv.key());
          s->properties.emplace_back(
              key, Parse(kv.value(), fmt::format("{}.properties[{}]", path, key), true));
        }
      }
    }
    if (const Json* add = obj.if_contains("additionalProperties")) {
      if (add->is_bool()) {
        if (add->get_bool()) s->additional_properties = set->Add();  // any value
      } else {
        if (!s->properties.empty()) {
          Error(Kind::kForbidden, path + ".additionalProperties",
                "Forbidden: additionalProperties and properties are mutual exclusive");
        }
        s->additional_properties = Parse(*add, path + ".additionalProperties", true);
      }
    }
    if (const Json* items = obj.if_contains("items")) {
      if (items->is_array()) {
        Error(Kind::kForbidden, path + ".items",
              "Forbidden: items must be a schema object and not an array");
      } else {
        s->items = Parse(*items, path + ".items", true);
      }
    } else if (s->type == Schema::Type::kArray) {
      Error(Kind::kRequired, path + ".items", "Required value: must be specified");
    }
    if (const JsonArray* required = FindArray(json, "required")) {
      for (const Json& r : *required) {
        if (r.is_string()) s->required.emplace_back(r.get_string());
      }
    }
    if (const Json* d = obj.if_contains("default")) s->default_value = *d;
    if (const JsonArray* e = FindArray(json, "enum")) s->enum_values.assign(e->begin(), e->end());
    s->minimum = Number(obj, "minimum", path);
    s->maximum = Number(obj, "maximum", path);
    s->exclusive_minimum = Bool(obj, "exclusiveMinimum");
    s->exclusive_maximum = Bool(obj, "exclusiveMaximum");
    s->min_length = Int(obj, "minLength", path);
    s->max_length = Int(obj, "maxLength", path);
    s->min_items = Int(obj, "minItems", path);
    s->max_items = Int(obj, "maxItems", path);
    s->min_properties = Int(obj, "minProperties", path);
    s->max_properties = Int(obj, "maxProperties", path);
    s->pattern = std::string(FindString(json, "pattern"));
    s->list_type = std::string(FindString(json, "x-kubernetes-list-type"));
    if (const JsonArray* keys = FindArray(json, "x-kubernetes-list-map-keys")) {
      for (const Json& k : *keys) {
        if (k.is_string()) s->list_map_keys.emplace_back(k.get_string());
      }
    }
    s->map_type = std::string(FindString(json, "x-kubernetes-map-type"));
    return s;
  }
};

}  // namespace

std::string_view FieldError::CauseType() const {
  switch (kind) {
    case Kind::kInvalid:
      return "FieldValueInvalid";
    case Kind::kRequired:
      return "FieldValueRequired";
    case Kind::kUnsupported:
      return "FieldValueNotSupported";
    case Kind::kTooLong:
      return "FieldValueTooLong";
    case Kind::kTooMany:
      return "FieldValueTooMany";
    case Kind::kForbidden:
      return "FieldValueForbidden";
  }
  return "FieldValueInvalid";
}

std::string FieldError::ToString() const { return field + ": " + detail; }

const Schema* ParseOpenApiV3Schema(const Json& json, std::string_view path, SchemaSet* set,
                                   std::vector<FieldError>* errors) {
  Parser parser{set, errors};
  return parser.Parse(json, std::string(path), false);
}

Json SchemaToJson(const Schema& s, const std::function<std::string(const Schema&)>& ref_of) {
  auto child = [&](const Schema& c) -> Json {
    if (ref_of) {
      if (std::string ref = ref_of(c); !ref.empty()) return JsonObject{{"$ref", ref}};
    }
    return SchemaToJson(c, ref_of);
  };
  JsonObject out;
  static constexpr std::string_view kTypes[] = {"",        "object", "array",  "string",
                                                "integer", "number", "boolean"};
  if (s.type != Schema::Type::kAny) out["type"] = kTypes[static_cast<int>(s.type)];
  if (!s.format.empty()) out["format"] = s.format;
  if (!s.description.empty()) out["description"] = s.description;
  if (!s.properties.empty()) {
    JsonObject props;
    for (const auto& [name, property] : s.properties) props[name] = child(*property);
    out["properties"] = std::move(props);
  }
  if (s.items != nullptr) out["items"] = child(*s.items);
  if (s.additional_properties != nullptr) {
    out["additionalProperties"] = child(*s.additional_properties);
  }
  if (!s.required.empty()) {
    JsonArray r;
    for (const std::string& name : s.required) r.emplace_back(name);
    out["required"] = std::move(r);
  }
  if (s.nullable) out["nullable"] = true;
  if (s.int_or_string) out["x-kubernetes-int-or-string"] = true;
  if (s.preserve_unknown_fields) out["x-kubernetes-preserve-unknown-fields"] = true;
  if (s.embedded_resource) out["x-kubernetes-embedded-resource"] = true;
  if (s.default_value) out["default"] = *s.default_value;
  if (!s.enum_values.empty()) out["enum"] = JsonArray(s.enum_values.begin(), s.enum_values.end());
  if (s.minimum) out["minimum"] = *s.minimum;
  if (s.maximum) out["maximum"] = *s.maximum;
  if (s.exclusive_minimum) out["exclusiveMinimum"] = true;
  if (s.exclusive_maximum) out["exclusiveMaximum"] = true;
  if (s.min_properties) out["minProperties"] = *s.min_properties;
  if (s.max_properties) out["maxProperties"] = *s.max_properties;
  if (s.min_length) out["minLength"] = *s.min_length;
  if (s.max_length) out["maxLength"] = *s.max_length;
  if (s.min_items) out["minItems"] = *s.min_items;
  if (s.max_items) out["maxItems"] = *s.max_items;
  if (!s.pattern.empty()) out["pattern"] = s.pattern;
  if (!s.list_type.empty()) out["x-kubernetes-list-type"] = s.list_type;
  if (!s.list_map_keys.empty()) {
    out["x-kubernetes-list-map-keys"] = JsonArray(s.list_map_keys.begin(), s.list_map_keys.end());
  }
  if (!s.patch_strategy.empty()) out["x-kubernetes-patch-strategy"] = s.patch_strategy;
  if (!s.patch_merge_key.empty()) out["x-kubernetes-patch-merge-key"] = s.patch_merge_key;
  if (!s.map_type.empty()) out["x-kubernetes-map-type"] = s.map_type;
  return out;
}

}  // namespace kstack::machinery
