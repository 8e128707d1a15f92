#include "gitops/diff/internal/normalize.h"

#include <array>

#include "core/base64.h"
#include "gitops/diff/internal/json_util.h"
#include "gitops/diff/internal/schema_index.h"
#include "machinery/quantity.h"

namespace kstack::gitops::diff::internal {
namespace {

constexpr std::string_view kLastApplied = "kubectl.kubernetes.io/last-applied-configuration";

constexpr std::array<std::string_view, 8> kServerFields = {"uid",
                                                           "resourceVersion",
                                                           "generation",
                                                           "creationTimestamp",
                                                           "deletionTimestamp",
                                                           "deletionGracePeriodSeconds",
                                                           "selfLink",
                                                           "managedFields"};

bool IsServerField(std::string_view field) {
  for (std::string_view f : kServerFields) {
    if (f == field) return true;
  }
  return false;
}

void NormalizeMetadata(Json& object) {
  Json* metadata = MutableMember(object, "metadata");
  if (metadata == nullptr || !metadata->is_object()) return;
  JsonObject& m = metadata->get_object();
  for (std::string_view field : kServerFields) m.erase(field);
  if (Json* annotations = m.if_contains("annotations"); annotations && annotations->is_object()) {
    annotations->get_object().erase(kLastApplied);
  }
  for (std::string_view map : {"annotations", "labels"}) {
    if (const Json* v = m.if_contains(map); v && IsEmptyContainer(*v)) m.erase(map);
  }
}

void NormalizeSecret(Json& object) {
  JsonObject& o = object.get_object();
  Json* data = o.if_contains("data");
  if (data != nullptr && !data->is_object()) return;  // not a Secret the server would accept
  if (data != nullptr) {
    for (auto& member : data->get_object()) {
      Json& v = member.value();
      if (!v.is_string()) continue;
      std::optional<std::string> bytes = DecodeBase64(v.get_string());
      if (bytes) v = EncodeBase64(*bytes);
    }
  }
  Json* string_data = o.if_contains("stringData");
  if (string_data == nullptr || !string_data->is_object()) return;
  JsonObject folded = data != nullptr ? data->get_object() : JsonObject();
  for (const auto& member : string_data->get_object()) {
    if (member.value().is_string())
      folded[member.key()] = EncodeBase64(member.value().get_string());
  }
  o.erase("stringData");
  if (!folded.empty()) o["data"] = std::move(folded);
}

void NormalizeRole(Json& object, bool ignore_aggregated) {
  JsonObject& o = object.get_object();
  const Json* aggregation = o.if_contains("aggregationRule");
  if (ignore_aggregated && aggregation != nullptr && aggregation->is_object()) {
    o.erase("rules");
    return;
  }
  if (const Json* rules = o.if_contains("rules"); rules && IsEmptyContainer(*rules)) {
    o.erase("rules");
  }
}

// "80" -> 80, for int-or-string fields. Only the canonical spelling of a number converts, so
// "080" or "+80" stay the names they are.
void IntOrString(Json& v) {
  if (!v.is_string()) return;
  std::string_view s = v.get_string();
  if (s.empty() || s.size() > 18 || (s.size() > 1 && s[0] == '0')) return;
  int64_t n = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return;
    n = n * 10 + (c - '0');
  }
  v = n;
}

}  // namespace

bool DropsStatus(IgnoreStatusField option, std::string_view group, std::string_view kind) {
  bool crd = group == "apiextensions.k8s.io" && kind == "CustomResourceDefinition";
  return option == IgnoreStatusField::kAll || (option == IgnoreStatusField::kCrd && crd);
}

Json CopyWithoutServerFields(const Json& object, bool drop_status, boost::json::storage_ptr sp) {
  if (!object.is_object()) return Json(object, sp);
  JsonObject out(sp);
  out.reserve(object.get_object().size());
  for (const auto& member : object.get_object()) {
    std::string_view key = member.key();
    if (key == "status" && drop_status) continue;
    if (key != "metadata" || !member.value().is_object()) {
      out.emplace(key, member.value());
      continue;
    }
    JsonObject metadata(sp);
    for (const auto& field : member.value().get_object()) {
      if (IsServerField(field.key())) continue;
      if (field.key() != "annotations" || !field.value().is_object()) {
        metadata.emplace(field.key(), field.value());
        continue;
      }
      JsonObject annotations(sp);
      for (const auto& annotation : field.value().get_object()) {
        if (annotation.key() != kLastApplied)
          annotations.emplace(annotation.key(), annotation.value());
      }
      metadata.emplace(field.key(), std::move(annotations));
    }
    out.emplace(key, std::move(metadata));
  }
  return out;
}

void NormalizeTypedValues(Json& value, const machinery::Schema* schema) {
  if (schema == nullptr) return;
  if (schema->title == kQuantityDefinition) {
    if (std::optional<std::string> canonical = machinery::CanonicalQuantityOf(value)) value = *canonical;
    return;
  }
  if (schema->int_or_string) {
    IntOrString(value);
    return;
  }
  const TypedPaths* typed = TypedPathsOf(schema);
  if (typed == nullptr) {
    // Not a built-in schema: every member is walked.
    if (value.is_object()) {
      SchemaFields fields(schema);
      for (auto& member : value.get_object()) {
        NormalizeTypedValues(member.value(), fields.Of(member.key()));
      }
    } else if (value.is_array()) {
      for (Json& item : value.get_array()) NormalizeTypedValues(item, schema->items);
    }
    return;
  }
  if (!typed->any) return;
  if (value.is_object()) {
    JsonObject& o = value.get_object();
    // Few typed fields, many members: look the typed ones up.
    for (const auto& [field, child] : typed->properties) {
      if (Json* member = o.if_contains(field)) NormalizeTypedValues(*member, child);
    }
    if (typed->additional) {
      for (auto& member : o) {
        if (schema->Property(member.key()) == nullptr) {
          NormalizeTypedValues(member.value(), schema->additional_properties);
        }
      }
    }
  } else if (value.is_array() && typed->items) {
    for (Json& item : value.get_array()) NormalizeTypedValues(item, schema->items);
  }
}

void Normalize(Json& object, std::string_view group, std::string_view kind,
               const machinery::Schema* schema, const NormalizeOptions& options) {
  if (!object.is_object()) return;
  bool secret = group.empty() && kind == "Secret";
  if (Json* data = MutableMember(object, "data"); secret && data && data->is_object()) {
    // An empty value reads back as null from some clients; the API server stores "".
    for (auto& member : data->get_object()) {
      if (member.value().is_null()) member.value() = "";
    }
  }
  TidyValues(object);
  NormalizeMetadata(object);
  if (DropsStatus(options.ignore_status_field, group, kind)) object.get_object().erase("status");
  if (secret) NormalizeSecret(object);
  if (group == "rbac.authorization.k8s.io" && (kind == "Role" || kind == "ClusterRole")) {
    NormalizeRole(object, options.ignore_aggregated_roles);
  }
  if (options.typed_values) NormalizeTypedValues(object, schema);
}

}  // namespace kstack::gitops::diff::internal
