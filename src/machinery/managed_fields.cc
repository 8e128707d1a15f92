#include "machinery/managed_fields.h"

#include <fmt/format.h>

#include <algorithm>
#include <tuple>

namespace kstack::machinery {
namespace {

const JsonArray* ManagedArray(const Json& object) {
  const Json* metadata = FindMember(object, "metadata");
  return metadata ? FindArray(*metadata, "managedFields") : nullptr;
}

}  // namespace

bool ManagedFieldsEntry::SameIdentity(const ManagedFieldsEntry& other) const {
  if (manager != other.manager || operation != other.operation ||
      subresource != other.subresource) {
    return false;
  }
  return operation == "Apply" || api_version == other.api_version;
}

std::string ManagedFieldsEntry::Describe() const {
  std::string text = fmt::format("\"{}\"", manager);
  if (!subresource.empty()) text += fmt::format(" with subresource \"{}\"", subresource);
  if (operation == "Update") text += fmt::format(" using {}", api_version);
  return text;
}

Result<ManagedFields> DecodeManagedFields(const Json& object) {
  ManagedFields out;
  const Json* metadata = FindMember(object, "metadata");
  const Json* list = metadata ? FindMember(*metadata, "managedFields") : nullptr;
  if (list == nullptr || list->is_null()) return out;
  if (!list->is_array()) return InvalidError("metadata.managedFields: must be a list");
  const JsonArray& entries = list->get_array();
  for (size_t i = 0; i < entries.size(); ++i) {
    std::string at = fmt::format("metadata.managedFields[{}]", i);
    const Json& e = entries[i];
    if (!e.is_object()) return InvalidError(at + ": must be an object");
    ManagedFieldsEntry entry{.manager = std::string(FindString(e, "manager")),
                             .operation = std::string(FindString(e, "operation")),
                             .api_version = std::string(FindString(e, "apiVersion")),
                             .time = std::string(FindString(e, "time")),
                             .subresource = std::string(FindString(e, "subresource"))};
    if (entry.operation != "Apply" && entry.operation != "Update") {
      return InvalidError(fmt::format(
          "{}.operation: Unsupported value: \"{}\": supported values: \"Apply\", \"Update\"", at,
          entry.operation));
    }
    std::string_view type = FindString(e, "fieldsType");
    if (type != "FieldsV1") {
      return InvalidError(fmt::format(
          "{}.fieldsType: Unsupported value: \"{}\": supported values: \"FieldsV1\"", at, type));
    }
    if (const Json* fields = FindMember(e, "fieldsV1"); fields && !fields->is_null()) {
      Result<FieldSet> set = FieldSet::FromJson(*fields);
      if (!set.ok()) return InvalidError(fmt::format("{}.{}", at, set.status().message()));
      entry.fields = std::move(*set);
    }
    out.push_back(std::move(entry));
  }
  return out;
}

bool IsManagedFieldsReset(const Json& object) {
  const JsonArray* list = ManagedArray(object);
  return list != nullptr && list->size() == 1 && (*list)[0].is_object() &&
         (*list)[0].get_object().empty();
}

void EncodeManagedFields(Json& object, ManagedFields managed) {
  std::erase_if(managed, [](const ManagedFieldsEntry& e) { return e.fields.empty(); });
  std::stable_sort(managed.begin(), managed.end(),
                   [](const ManagedFieldsEntry& a, const ManagedFieldsEntry& b) {
                     return std::tie(a.operation, a.time, a.manager, a.api_version, a.subresource) <
                            std::tie(b.operation, b.time, b.manager, b.api_version, b.subresource);
                   });
  JsonObject& obj = object.as_object();
  Json& metadata = obj["metadata"];
  if (!metadata.is_object()) metadata = JsonObject();
  if (managed.empty()) {
    metadata.get_object().erase("managedFields");
    return;
  }
  JsonArray list;
  for (const ManagedFieldsEntry& e : managed) {
    JsonObject entry{{"manager", e.manager}, {"operation", e.operation}};
    if (!e.api_version.empty()) entry["apiVersion"] = e.api_version;
    if (!e.time.empty()) entry["time"] = e.time;
    entry["fieldsType"] = "FieldsV1";
    entry["fieldsV1"] = e.fields.ToJson();
    if (!e.subresource.empty()) entry["subresource"] = e.subresource;
    list.push_back(std::move(entry));
  }
  metadata.get_object()["managedFields"] = std::move(list);
}

}  // namespace kstack::machinery
