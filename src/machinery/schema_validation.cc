#include "machinery/schema_validation.h"

#include <fmt/format.h>

#include <cmath>
#include <regex>
#include <set>

namespace kstack::machinery {
namespace {

using Kind = FieldError::Kind;

std::string Child(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : fmt::format("{}.{}", path, key);
}

std::string Index(const std::string& path, size_t i) { return fmt::format("{}[{}]", path, i); }

// The fields of ObjectMeta that a client may send; the rest of a resource's metadata is pruned.
bool IsObjectMetaField(std::string_view key) {
  static const std::set<std::string_view> kFields = {
      "name",           "generateName",      "namespace",       "selfLink",
      "uid",            "resourceVersion",   "generation",      "creationTimestamp",
      "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations",
      "ownerReferences", "finalizers",       "managedFields"};
  return kFields.contains(key);
}

void PruneMetadata(Json& metadata, const std::string& path, std::vector<std::string>* pruned) {
  if (!metadata.is_object()) return;
  JsonObject& obj = metadata.get_object();
  for (auto it = obj.begin(); it != obj.end();) {
    if (IsObjectMetaField(it->key())) {
      ++it;
    } else {
      pruned->push_back(Child(path, it->key()));
      it = obj.erase(it);
    }
  }
}

void Prune(Json& value, const Schema& schema, const std::string& path, bool resource_root,
           std::vector<std::string>* pruned) {
  if (value.is_object()) {
    JsonObject& obj = value.get_object();
    bool root = resource_root || schema.embedded_resource;
    bool keep_unknown = schema.preserve_unknown_fields || schema.additional_properties != nullptr;
    for (auto it = obj.begin(); it != obj.end();) {
      std::string_view key = it->key();
      std::string child = Child(path, key);
      if (root && (key == "apiVersion" || key == "kind")) {
        ++it;
        continue;
      }
      if (root && key == "metadata") {
        const Schema* declared = schema.Property("metadata");
        // A resource's metadata keeps ObjectMeta's fields whatever its schema says.
        PruneMetadata(it->value(), child, pruned);
        (void)declared;
        ++it;
        continue;
      }
      const Schema* property = schema.Property(key);
      if (property == nullptr) property = schema.additional_properties;
      if (property == nullptr) {
        if (keep_unknown) {
          ++it;
          continue;
        }
        pruned->push_back(child);
        it = obj.erase(it);
        continue;
      }
      Prune(it->value(), *property, child, false, pruned);
      ++it;
    }
  } else if (value.is_array() && schema.items != nullptr) {
    JsonArray& arr = value.get_array();
    for (size_t i = 0; i < arr.size(); ++i) {
      Prune(arr[i], *schema.items, Index(path, i), false, pruned);
    }
  }
}

std::string_view TypeName(Schema::Type type) {
  switch (type) {
    case Schema::Type::kObject:
      return "object";
    case Schema::Type::kArray:
      return "array";
    case Schema::Type::kString:
      return "string";
    case Schema::Type::kInteger:
      return "integer";
    case Schema::Type::kNumber:
      return "number";
    case Schema::Type::kBoolean:
      return "boolean";
    case Schema::Type::kAny:
      break;
  }
  return "";
}

std::string_view JsonTypeName(const Json& v) {
  if (v.is_string()) return "string";
  if (v.is_bool()) return "boolean";
  if (v.is_int64() || v.is_uint64()) return "integer";
  if (v.is_double()) return "number";
  if (v.is_object()) return "object";
  if (v.is_array()) return "array";
  return "null";
}

bool IsIntegral(const Json& v) {
  if (v.is_int64() || v.is_uint64()) return true;
  return v.is_double() && std::floor(v.get_double()) == v.get_double() &&
         std::isfinite(v.get_double());
}

bool HasType(const Json& v, Schema::Type type) {
  switch (type) {
    case Schema::Type::kAny:
      return true;
    case Schema::Type::kObject:
      return v.is_object();
    case Schema::Type::kArray:
      return v.is_array();
    case Schema::Type::kString:
      return v.is_string();
    case Schema::Type::kInteger:
      return IsIntegral(v);
    case Schema::Type::kNumber:
      return v.is_number();
    case Schema::Type::kBoolean:
      return v.is_bool();
  }
  return false;
}

// A value as Kubernetes prints it after "Invalid value: ".
std::string Shown(const Json& v) {
  if (v.is_string()) return WriteJson(v, {.escape_html = false});
  if (v.is_null()) return "\"null\"";
  return WriteJson(v, {.escape_html = false});
}

std::string Number(double d) { return WriteJson(Json(d)); }

size_t Utf8Length(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

struct Validator {
  std::vector<FieldError>* errors;

  void Add(Kind kind, const std::string& path, std::string detail) {
    errors->push_back({.kind = kind, .field = path, .detail = std::move(detail)});
  }
  void Invalid(const std::string& path, const Json& value, std::string_view why) {
    Add(Kind::kInvalid, path,
        fmt::format("Invalid value: {}: {} in body {}", Shown(value), path, why));
  }

  void Check(const Json& v, const Schema& s, const std::string& path) {
    if (v.is_null()) {
      if (s.nullable || s.type == Schema::Type::kAny) return;
      Add(Kind::kInvalid, path,
          fmt::format("Invalid value: \"null\": {} in body must be of type {}: \"null\"", path,
                      TypeName(s.type)));
      return;
    }
    if (s.int_or_string) {
      // IntOrString takes integers; a Quantity (int-or-string without that format) any number.
      bool number_ok = s.format == "int-or-string" ? IsIntegral(v) : v.is_number();
      if (!number_ok && !v.is_string()) {
        Add(Kind::kInvalid, path,
            fmt::format("Invalid value: \"{}\": {} in body must be of type integer,string: "
                        "\"{}\"",
                        JsonTypeName(v), path, JsonTypeName(v)));
        return;
      }
    } else if (!HasType(v, s.type)) {
      Add(Kind::kInvalid, path,
          fmt::format("Invalid value: \"{}\": {} in body must be of type {}: \"{}\"",
                      JsonTypeName(v), path, TypeName(s.type), JsonTypeName(v)));
      return;
    }
    if (!s.enum_values.empty() &&
        std::find(s.enum_values.begin(), s.enum_values.end(), v) == s.enum_values.end()) {
      std::string supported;
      for (const Json& e : s.enum_values) {
        if (!supported.empty()) supported += ", ";
        supported += Shown(e);
      }
      Add(Kind::kUnsupported, path,
          fmt::format("Unsupported value: {}: supported values: {}", Shown(v), supported));
    }
    if (v.is_number()) {
      double d = v.to_number<double>();
      if (s.minimum) {
        if (s.exclusive_minimum ? d <= *s.minimum : d < *s.minimum) {
          Invalid(path, v,
                  fmt::format("should be greater than {}{}",
                              s.exclusive_minimum ? "" : "or equal to ", Number(*s.minimum)));
        }
      }
      if (s.maximum) {
        if (s.exclusive_maximum ? d >= *s.maximum : d > *s.maximum) {
          Invalid(path, v,
                  fmt::format("should be less than {}{}", s.exclusive_maximum ? "" : "or equal to ",
                              Number(*s.maximum)));
        }
      }
    }
    if (v.is_string()) {
      std::string_view text = v.get_string();
      size_t length = Utf8Length(text);
      if (s.max_length && static_cast<int64_t>(length) > *s.max_length) {
        Add(Kind::kTooLong, path,
            fmt::format("Too long: may not be more than {} bytes", *s.max_length));
      }
      if (s.min_length && static_cast<int64_t>(length) < *s.min_length) {
        Invalid(path, v, fmt::format("should be at least {} chars long", *s.min_length));
      }
      if (!s.pattern.empty()) {
        try {
          std::regex re(s.pattern, std::regex::ECMAScript);
          if (!std::regex_search(text.begin(), text.end(), re)) {
            Invalid(path, v, fmt::format("should match '{}'", s.pattern));
          }
        } catch (const std::regex_error&) {
          Add(Kind::kInvalid, path, fmt::format("Invalid value: the pattern '{}' of the schema is "
                                                "not a valid regular expression",
                                                s.pattern));
        }
      }
    }
    if (v.is_array()) {
      const JsonArray& arr = v.get_array();
      if (s.max_items && static_cast<int64_t>(arr.size()) > *s.max_items) {
        Add(Kind::kTooMany, path,
            fmt::format("Too many: {}: must have at most {} items", arr.size(), *s.max_items));
      }
      if (s.min_items && static_cast<int64_t>(arr.size()) < *s.min_items) {
        Invalid(path, v, fmt::format("should have at least {} items", *s.min_items));
      }
      if (s.items != nullptr) {
        for (size_t i = 0; i < arr.size(); ++i) Check(arr[i], *s.items, Index(path, i));
      }
      CheckListType(arr, s, path);
    }
    if (v.is_object()) {
      const JsonObject& obj = v.get_object();
      if (s.max_properties && static_cast<int64_t>(obj.size()) > *s.max_properties) {
        Invalid(path, v, fmt::format("should have at most {} properties", *s.max_properties));
      }
      if (s.min_properties && static_cast<int64_t>(obj.size()) < *s.min_properties) {
        Invalid(path, v, fmt::format("should have at least {} properties", *s.min_properties));
      }
      for (const std::string& name : s.required) {
        if (!obj.contains(name)) Add(Kind::kRequired, Child(path, name), "Required value");
      }
      for (const auto& kv : obj) {
        const Schema* child = s.Property(kv.key());
        if (child == nullptr) child = s.additional_properties;
        if (child != nullptr) Check(kv.value(), *child, Child(path, kv.key()));
      }
    }
  }

  void CheckListType(const JsonArray& arr, const Schema& s, const std::string& path) {
    if (s.list_type == "set") {
      for (size_t i = 0; i < arr.size(); ++i) {
        for (size_t j = 0; j < i; ++j) {
          if (arr[i] == arr[j]) {
            Add(Kind::kInvalid, Index(path, i), "Duplicate value: " + Shown(arr[i]));
            break;
          }
        }
      }
    } else if (s.list_type == "map" && !s.list_map_keys.empty()) {
      auto key_of = [&](const Json& item) {
        JsonObject key;
        for (const std::string& k : s.list_map_keys) {
          if (const Json* v = FindMember(item, k)) key[k] = *v;
        }
        return Json(std::move(key));
      };
      for (size_t i = 0; i < arr.size(); ++i) {
        Json key = key_of(arr[i]);
        for (size_t j = 0; j < i; ++j) {
          if (key_of(arr[j]) == key) {
            Add(Kind::kInvalid, Index(path, i),
                "Duplicate value: " + WriteJson(key, {.escape_html = false}));
            break;
          }
        }
      }
    }
  }
};

// The Go type a built-in schema stands for, as Go's decoder names it.
std::string GoType(const Schema& s) {
  auto short_name = [](const std::string& title) {
    // io.k8s.api.apps.v1.DeploymentSpec -> v1.DeploymentSpec
    size_t last = title.rfind('.');
    size_t before = last == std::string::npos ? std::string::npos : title.rfind('.', last - 1);
    return before == std::string::npos ? title : title.substr(before + 1);
  };
  if (s.int_or_string) return s.format == "int-or-string" ? "intstr.IntOrString" : "resource.Quantity";
  switch (s.type) {
    case Schema::Type::kInteger:
      return s.format == "int64" ? "int64" : s.format == "int32" ? "int32" : "int";
    case Schema::Type::kNumber:
      return s.format == "float" ? "float32" : "float64";
    case Schema::Type::kString:
      return s.format == "byte" ? "[]uint8" : s.format == "date-time" ? "v1.Time" : "string";
    case Schema::Type::kBoolean:
      return "bool";
    case Schema::Type::kArray:
      return "[]" + (s.items ? GoType(*s.items) : std::string("interface {}"));
    case Schema::Type::kObject:
      if (!s.title.empty()) return short_name(s.title);
      if (s.additional_properties) return "map[string]" + GoType(*s.additional_properties);
      return "map[string]interface {}";
    case Schema::Type::kAny:
      break;
  }
  return "interface {}";
}

std::string_view GoJsonKind(const Json& v) {
  if (v.is_string()) return "string";
  if (v.is_bool()) return "bool";
  if (v.is_number()) return "number";
  if (v.is_object()) return "object";
  if (v.is_array()) return "array";
  return "null";
}

bool Fits(const Json& v, const Schema& s) {
  if (v.is_null() || s.preserve_unknown_fields || s.type == Schema::Type::kAny) return true;
  if (s.int_or_string) {
    return v.is_string() || (s.format == "int-or-string" ? IsIntegral(v) : v.is_number());
  }
  if (s.type == Schema::Type::kNumber) return v.is_number();
  if (s.type == Schema::Type::kInteger) return IsIntegral(v);
  return HasType(v, s.type);
}

std::string DecodeError(const Json& v, const Schema& s, const std::string& parent,
                        const std::string& path) {
  if (!Fits(v, s)) {
    return fmt::format("json: cannot unmarshal {} into Go struct field {}.{} of type {}",
                       GoJsonKind(v), parent, path, GoType(s));
  }
  if (v.is_object()) {
    std::string owner = parent;
    if (!s.title.empty()) owner = s.title.substr(s.title.rfind('.') + 1);
    for (const auto& kv : v.get_object()) {
      const Schema* child = s.Property(kv.key());
      if (child == nullptr) child = s.additional_properties;
      if (child == nullptr) continue;
      std::string error = DecodeError(kv.value(), *child, owner, Child(path, kv.key()));
      if (!error.empty()) return error;
    }
  } else if (v.is_array() && s.items != nullptr) {
    for (const Json& item : v.get_array()) {
      std::string error = DecodeError(item, *s.items, parent, path);
      if (!error.empty()) return error;
    }
  }
  return "";
}

}  // namespace

std::string BuiltinDecodeError(const Json& object, const Schema& schema) {
  return DecodeError(object, schema, "", "");
}

std::vector<std::string> PruneUnknownFields(Json& value, const Schema& schema,
                                            const PruneOptions& options) {
  std::vector<std::string> pruned;
  Prune(value, schema, "", options.resource_root, &pruned);
  return pruned;
}

void ApplyDefaults(Json& value, const Schema& schema) {
  if (value.is_object()) {
    JsonObject& obj = value.get_object();
    for (const auto& [name, child] : schema.properties) {
      if (!child->default_value) continue;
      Json* current = obj.if_contains(name);
      if (current == nullptr || (current->is_null() && !child->nullable)) {
        obj[name] = *child->default_value;
      }
    }
    for (auto& kv : obj) {
      const Schema* child = schema.Property(kv.key());
      if (child == nullptr) child = schema.additional_properties;
      if (child != nullptr) ApplyDefaults(kv.value(), *child);
    }
  } else if (value.is_array() && schema.items != nullptr) {
    for (Json& item : value.get_array()) {
      if (item.is_null() && schema.items->default_value && !schema.items->nullable) {
        item = *schema.items->default_value;
      }
      ApplyDefaults(item, *schema.items);
    }
  }
}

std::vector<FieldError> ValidateValue(const Json& value, const Schema& schema,
                                      const std::string& path) {
  std::vector<FieldError> errors;
  Validator{&errors}.Check(value, schema, path);
  return errors;
}

}  // namespace kstack::machinery
