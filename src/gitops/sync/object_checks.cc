#include "gitops/sync/internal/object_checks.h"

#include <algorithm>

namespace kstack::gitops::sync::internal {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// "Job default/migrate", "Namespace team-a", "Job default/migrate-*" for a generateName.
std::string Describe(const Json& object) {
  std::string kind(FindString(object, "kind"));
  const Json* metadata = FindMember(object, "metadata");
  std::string name, ns;
  if (metadata != nullptr) {
    name = std::string(FindString(*metadata, "name"));
    if (name.empty()) {
      std::string_view generate = FindString(*metadata, "generateName");
      if (!generate.empty()) name = std::string(generate) + "*";
    }
    ns = std::string(FindString(*metadata, "namespace"));
  }
  std::string out = kind.empty() ? std::string("<no kind>") : kind;
  out += ' ';
  if (!ns.empty()) out += ns + "/";
  out += name.empty() ? std::string("<no name>") : name;
  return out;
}

}  // namespace

bool IsCrd(std::string_view group, std::string_view kind) {
  return group == "apiextensions.k8s.io" && kind == "CustomResourceDefinition";
}

bool IsNamespace(std::string_view group, std::string_view kind) {
  return group.empty() && kind == "Namespace";
}

std::optional<std::string> CrdDefines(const Json& crd) {
  const Json* spec = FindMember(crd, "spec");
  if (spec == nullptr) return std::nullopt;
  const Json* names = FindMember(*spec, "names");
  std::string_view group = FindString(*spec, "group");
  std::string_view kind = names != nullptr ? FindString(*names, "kind") : std::string_view();
  if (group.empty() || kind.empty()) return std::nullopt;
  return std::string(group) + "/" + std::string(kind);
}

std::string_view GroupOfApiVersion(std::string_view api_version) {
  size_t slash = api_version.find('/');
  return slash == std::string_view::npos ? std::string_view() : api_version.substr(0, slash);
}

std::vector<std::string> SplitCommaList(std::string_view text) {
  std::vector<std::string> items;
  while (true) {
    size_t comma = text.find(',');
    std::string_view item = Trim(text.substr(0, comma));
    if (!item.empty() && std::find(items.begin(), items.end(), item) == items.end()) {
      items.emplace_back(item);
    }
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return items;
}

std::optional<std::string_view> Annotation(const Json& object, std::string_view key) {
  const Json* metadata = FindMember(object, "metadata");
  if (metadata == nullptr) return std::nullopt;
  const JsonObject* annotations = FindObject(*metadata, "annotations");
  if (annotations == nullptr) return std::nullopt;
  const Json* value = annotations->if_contains(key);
  if (value == nullptr || !value->is_string()) return std::nullopt;
  const JsonString& s = value->get_string();
  return std::string_view(s.data(), s.size());
}

Result<ObjectHeader> ReadHeader(const Json& object, std::string_view role, size_t index) {
  ObjectHeader h;
  std::string where = std::string(role) + " " + std::to_string(index);
  if (!object.is_object()) {
    return InvalidError(where + ": is a " + std::string(JsonKindName(object)) + ", not an object");
  }
  h.description = where + " (" + Describe(object) + ")";
  const Json* api_version = FindMember(object, "apiVersion");
  if (api_version == nullptr || !api_version->is_string() || api_version->get_string().empty()) {
    return InvalidError(h.description + ": apiVersion is missing or not a string");
  }
  const Json* kind = FindMember(object, "kind");
  if (kind == nullptr || !kind->is_string() || kind->get_string().empty()) {
    return InvalidError(h.description + ": kind is missing or not a string");
  }
  const Json* metadata = FindMember(object, "metadata");
  if (metadata == nullptr || !metadata->is_object()) {
    return InvalidError(h.description + ": metadata is missing or not an object");
  }
  for (std::string_view field : {"name", "generateName", "namespace"}) {
    const Json* value = FindMember(*metadata, field);
    if (value != nullptr && !value->is_string() && !value->is_null()) {
      return InvalidError(h.description + ": metadata." + std::string(field) + " is not a string");
    }
  }
  if (const Json* annotations = FindMember(*metadata, "annotations");
      annotations != nullptr && !annotations->is_null()) {
    if (!annotations->is_object()) {
      return InvalidError(h.description + ": metadata.annotations is not an object");
    }
    for (const auto& kv : annotations->get_object()) {
      if (!kv.value().is_string()) {
        return InvalidError(h.description + ": metadata.annotations[\"" + std::string(kv.key()) +
                            "\"] is a " + std::string(JsonKindName(kv.value())) + ", not a string");
      }
    }
  }
  h.group = std::string(GroupOfApiVersion(FindString(object, "apiVersion")));
  h.kind = std::string(FindString(object, "kind"));
  h.name = std::string(FindString(*metadata, "name"));
  h.generate_name = std::string(FindString(*metadata, "generateName"));
  h.namespace_ = std::string(FindString(*metadata, "namespace"));
  return h;
}

}  // namespace kstack::gitops::sync::internal
