#include "gitops/health/internal/fields.h"

#include <fmt/core.h>

#include <cmath>

namespace kstack::gitops::health::internal {

GroupVersion ParseApiVersion(std::string_view api_version) {
  size_t slash = api_version.find('/');
  if (slash == std::string_view::npos) return {"", api_version};
  return {api_version.substr(0, slash), api_version.substr(slash + 1)};
}

HealthStatus UnsupportedVersion(std::string_view what, const Json& object) {
  GroupVersion gv = ParseApiVersion(FindString(object, "apiVersion"));
  return {HealthCode::kUnknown, fmt::format("unsupported {} GVK: {}/{}, Kind={}", what, gv.group,
                                            gv.version, FindString(object, "kind"))};
}

std::string GoQuote(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out += '"';
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (u < 0x20 || u == 0x7f) {
          out += fmt::format("\\x{:02x}", u);
        } else {
          out += c;
        }
    }
  }
  out += '"';
  return out;
}

const Json* Member(const Json* parent, std::string_view key) {
  if (parent == nullptr || !parent->is_object()) return nullptr;
  const Json* value = parent->get_object().if_contains(key);
  if (value == nullptr || value->is_null()) return nullptr;
  return value;
}

void FieldReader::Fail(std::string_view path, const Json& value, std::string_view expected) {
  if (!error_.empty()) return;
  error_ = fmt::format("failed to convert unstructured {} to typed: {}: expected {}, got {}", kind_,
                       path, expected, JsonKindName(value));
}

HealthStatus FieldReader::Error() const { return {HealthCode::kUnknown, error_}; }

const Json* FieldReader::Object(const Json* parent, std::string_view key, std::string_view path) {
  const Json* value = Member(parent, key);
  if (value == nullptr) return nullptr;
  if (!value->is_object()) {
    Fail(path, *value, "an object");
    return nullptr;
  }
  return value;
}

const JsonArray* FieldReader::Array(const Json* parent, std::string_view key,
                                    std::string_view path) {
  const Json* value = Member(parent, key);
  if (value == nullptr) return nullptr;
  if (!value->is_array()) {
    Fail(path, *value, "an array");
    return nullptr;
  }
  return &value->get_array();
}

std::string_view FieldReader::String(const Json* parent, std::string_view key,
                                     std::string_view path) {
  const Json* value = Member(parent, key);
  if (value == nullptr) return {};
  if (!value->is_string()) {
    Fail(path, *value, "a string");
    return {};
  }
  return value->get_string();
}

bool FieldReader::Bool(const Json* parent, std::string_view key, std::string_view path) {
  const Json* value = Member(parent, key);
  if (value == nullptr) return false;
  if (!value->is_bool()) {
    Fail(path, *value, "a boolean");
    return false;
  }
  return value->get_bool();
}

std::optional<int64_t> FieldReader::OptionalInt(const Json* parent, std::string_view key,
                                                std::string_view path) {
  const Json* value = Member(parent, key);
  if (value == nullptr) return std::nullopt;
  if (value->is_int64()) return value->get_int64();
  if (value->is_uint64()) return static_cast<int64_t>(value->get_uint64());
  if (value->is_double()) {
    double d = value->get_double();
    if (std::isfinite(d) && d == std::trunc(d) && std::fabs(d) < 9.2e18) {
      return static_cast<int64_t>(d);
    }
  }
  Fail(path, *value, "an integer");
  return std::nullopt;
}

int64_t FieldReader::Int(const Json* parent, std::string_view key, std::string_view path) {
  return OptionalInt(parent, key, path).value_or(0);
}

const Json* FieldReader::Element(const Json& element, std::string_view path) {
  if (element.is_object()) return &element;
  if (!element.is_null()) Fail(path, element, "an object");
  return nullptr;
}

const Json* FindCondition(FieldReader& fields, const JsonArray* conditions, std::string_view type,
                          std::string_view path) {
  if (conditions == nullptr) return nullptr;
  for (const Json& element : *conditions) {
    const Json* condition = fields.Element(element, path);
    if (condition == nullptr) continue;
    if (fields.String(condition, "type", path) == type) return condition;
  }
  return nullptr;
}

}  // namespace kstack::gitops::health::internal
