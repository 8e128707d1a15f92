#include "server/custom_resources.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "core/log.h"
#include "machinery/openapi_schema.h"
#include "machinery/schema_validation.h"
#include "machinery/validation.h"
#include "server/builtin_admission.h"

namespace kstack::server {
namespace {

using machinery::FieldError;
using Kind = FieldError::Kind;

constexpr std::string_view kApiExtensions = "apiextensions.k8s.io";

bool IsCrd(const ResourceType& type) {
  return type.group == kApiExtensions && type.kind == "CustomResourceDefinition";
}

const ResourceType& CrdType() {
  static const ResourceType* type =
      machinery::FindBuiltinResource(kApiExtensions, "v1", "customresourcedefinitions");
  return *type;
}

std::string_view Name(const Json& object) {
  const Json* m = FindMember(object, "metadata");
  return m ? FindString(*m, "name") : std::string_view();
}

// 422 Invalid with every problem, worded as Kubernetes words it.
Status InvalidObject(std::string_view kind, std::string_view group, std::string_view name,
                     const std::vector<FieldError>& errors) {
  StatusDetails details{
      .name = std::string(name), .group = std::string(group), .kind = std::string(kind)};
  std::string list;
  for (const FieldError& e : errors) {
    details.causes.push_back({.type = std::string(e.CauseType()),
                              .message = e.detail,
                              .field = e.field});
    if (!list.empty()) list += ", ";
    list += e.ToString();
  }
  if (errors.size() > 1) list = "[" + list + "]";
  std::string qualified = group.empty() ? std::string(kind) : fmt::format("{}.{}", kind, group);
  return Status(Reason::kInvalid, fmt::format("{} \"{}\" is invalid: {}", qualified, name, list),
                std::move(details));
}

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return out;
}

// Kubernetes' defaults for a CRD's spec.
void DefaultDefinition(Json& crd) {
  Json* spec = crd.as_object().if_contains("spec");
  if (spec == nullptr || !spec->is_object()) return;
  JsonObject& s = spec->get_object();
  if (Json* names = s.if_contains("names"); names && names->is_object()) {
    JsonObject& n = names->get_object();
    std::string kind(FindString(*names, "kind"));
    if (FindString(*names, "singular").empty() && !kind.empty()) n["singular"] = Lower(kind);
    if (FindString(*names, "listKind").empty() && !kind.empty()) n["listKind"] = kind + "List";
  }
  if (!s.contains("conversion")) s["conversion"] = JsonObject{{"strategy", "None"}};
}

// The condition `type` of `old_status` when its status is unchanged (keeping its transition
// time), else a new one.
Json Condition(const Json* old_status, std::string_view type, std::string_view status,
               std::string_view reason, std::string_view message, const std::string& now) {
  std::string since = now;
  if (const JsonArray* conditions = old_status ? FindArray(*old_status, "conditions") : nullptr) {
    for (const Json& c : *conditions) {
      if (FindString(c, "type") == type && FindString(c, "status") == status) {
        std::string_view t = FindString(c, "lastTransitionTime");
        if (!t.empty()) since = std::string(t);
      }
    }
  }
  return JsonObject{{"type", type},
                    {"status", status},
                    {"lastTransitionTime", since},
                    {"reason", reason},
                    {"message", message}};
}

}  // namespace

std::vector<FieldError> ValidateCustomResourceDefinition(const Json& crd, const Json* old) {
  std::vector<FieldError> errors;
  auto add = [&](Kind kind, std::string field, std::string detail) {
    errors.push_back({.kind = kind, .field = std::move(field), .detail = std::move(detail)});
  };
  const Json* spec = FindMember(crd, "spec");
  if (spec == nullptr || !spec->is_object()) {
    add(Kind::kRequired, "spec", "Required value");
    return errors;
  }
  std::string_view group = FindString(*spec, "group");
  const Json* names = FindMember(*spec, "names");
  std::string_view plural = names ? FindString(*names, "plural") : "";
  std::string_view kind = names ? FindString(*names, "kind") : "";
  std::string_view name = Name(crd);
  if (name != fmt::format("{}.{}", plural, group)) {
    add(Kind::kInvalid, "metadata.name",
        fmt::format("Invalid value: \"{}\": must be spec.names.plural+\".\"+spec.group", name));
  }
  if (group.empty()) {
    add(Kind::kRequired, "spec.group", "Required value");
  } else if (!machinery::Dns1123SubdomainProblem(group).empty() ||
             group.find('.') == std::string_view::npos) {
    add(Kind::kInvalid, "spec.group",
        fmt::format("Invalid value: \"{}\": should be a domain with at least one dot", group));
  }
  if (plural.empty()) {
    add(Kind::kRequired, "spec.names.plural", "Required value");
  } else if (std::string p = machinery::Dns1035LabelProblem(plural); !p.empty()) {
    add(Kind::kInvalid, "spec.names.plural", fmt::format("Invalid value: \"{}\": {}", plural, p));
  }
  if (names) {
    std::string_view singular = FindString(*names, "singular");
    if (std::string p = machinery::Dns1035LabelProblem(singular); !singular.empty() && !p.empty()) {
      add(Kind::kInvalid, "spec.names.singular",
          fmt::format("Invalid value: \"{}\": {}", singular, p));
    }
  }
  if (kind.empty()) {
    add(Kind::kRequired, "spec.names.kind", "Required value");
  } else if (!std::isupper(static_cast<unsigned char>(kind[0])) &&
             !std::islower(static_cast<unsigned char>(kind[0]))) {
    add(Kind::kInvalid, "spec.names.kind",
        fmt::format("Invalid value: \"{}\": must start with a letter", kind));
  }
  std::string_view scope = FindString(*spec, "scope");
  if (scope.empty()) {
    add(Kind::kRequired, "spec.scope", "Required value");
  } else if (scope != "Namespaced" && scope != "Cluster") {
    add(Kind::kUnsupported, "spec.scope",
        fmt::format("Unsupported value: \"{}\": supported values: \"Cluster\", \"Namespaced\"",
                    scope));
  }
  if (old != nullptr) {
    const Json* old_spec = FindMember(*old, "spec");
    if (old_spec && FindString(*old_spec, "scope") != scope) {
      add(Kind::kInvalid, "spec.scope",
          fmt::format("Invalid value: \"{}\": field is immutable", scope));
    }
    if (old_spec && FindString(*old_spec, "group") != group) {
      add(Kind::kInvalid, "spec.group",
          fmt::format("Invalid value: \"{}\": field is immutable", group));
    }
  }
  const JsonArray* versions = FindArray(*spec, "versions");
  if (versions == nullptr || versions->empty()) {
    add(Kind::kInvalid, "spec.versions", "Invalid value: null: must have exactly one version "
                                         "marked as storage version");
    return errors;
  }
  int storage = 0;
  std::vector<std::string_view> seen;
  for (size_t i = 0; i < versions->size(); ++i) {
    const Json& v = (*versions)[i];
    std::string path = fmt::format("spec.versions[{}]", i);
    std::string_view version = FindString(v, "name");
    if (version.empty()) {
      add(Kind::kRequired, path + ".name", "Required value");
    } else if (std::string p = machinery::Dns1035LabelProblem(version); !p.empty()) {
      add(Kind::kInvalid, path + ".name", fmt::format("Invalid value: \"{}\": {}", version, p));
    } else if (std::find(seen.begin(), seen.end(), version) != seen.end()) {
      add(Kind::kInvalid, path + ".name", fmt::format("Duplicate value: \"{}\"", version));
    }
    seen.push_back(version);
    const Json* served = FindMember(v, "served");
    const Json* stored = FindMember(v, "storage");
    if (served == nullptr || !served->is_bool()) {
      add(Kind::kRequired, path + ".served", "Required value");
    }
    if (stored == nullptr || !stored->is_bool()) {
      add(Kind::kRequired, path + ".storage", "Required value");
    } else if (stored->get_bool()) {
      ++storage;
    }
    const Json* schema = FindMember(v, "schema");
    const Json* openapi = schema ? FindMember(*schema, "openAPIV3Schema") : nullptr;
    std::string schema_path = path + ".schema.openAPIV3Schema";
    if (openapi == nullptr) {
      add(Kind::kRequired, schema_path, "Required value: schemas are required");
      continue;
    }
    machinery::SchemaSet set;
    const machinery::Schema* root =
        machinery::ParseOpenApiV3Schema(*openapi, schema_path, &set, &errors);
    if (root->type != machinery::Schema::Type::kObject) {
      add(Kind::kInvalid, schema_path + ".type",
          fmt::format("Invalid value: \"{}\": must be object at the root",
                      FindString(*openapi, "type")));
    }
  }
  if (storage != 1) {
    add(Kind::kInvalid, "spec.versions",
        fmt::format("Invalid value: {}: must have exactly one version marked as storage version",
                    WriteJson(*FindMember(*spec, "versions"))));
  }
  return errors;
}

CustomResources::CustomResources(TypeCatalog* catalog, ObjectRegistry* registry,
                                 const Clock* clock)
    : catalog_(catalog), registry_(registry), clock_(clock) {}

Status CustomResources::Reload() {
  KSTACK_ASSIGN_OR_RETURN(Json list, registry_->List(CrdType(), "", {}));
  const JsonArray& items = list.at("items").as_array();
  catalog_->Replace(
      std::make_shared<const TypeSet>(std::span<const Json>(items.data(), items.size())));
  return Status::Ok();
}

Status CustomResources::Load() {
  KSTACK_RETURN_IF_ERROR(Reload());
  KSTACK_ASSIGN_OR_RETURN(Json list, registry_->List(CrdType(), "", {}));
  for (const Json& crd : list.at("items").as_array()) {
    if (FindMember(crd.at("metadata"), "deletionTimestamp") != nullptr) Cleanup(crd);
  }
  return Status::Ok();
}

Status CustomResources::Admit(const ResourceType& type, const Json* old, Json& object,
                              const WriteOptions& options) {
  if (type.group.empty() || machinery::FindBuiltinKind(type.group, type.version, type.kind)) {
    KSTACK_RETURN_IF_ERROR(AdmitBuiltin(type, object, options));
    return IsCrd(type) ? AdmitDefinition(old, object) : Status::Ok();
  }
  return AdmitResource(type, object, options);
}

Status CustomResources::AdmitDefinition(const Json* old, Json& crd) {
  DefaultDefinition(crd);
  std::vector<FieldError> errors = ValidateCustomResourceDefinition(crd, old);
  if (!errors.empty()) {
    return InvalidObject("CustomResourceDefinition", kApiExtensions, Name(crd), errors);
  }
  JsonObject& obj = crd.as_object();
  JsonObject& meta = obj["metadata"].as_object();
  bool deleting = meta.contains("deletionTimestamp");
  if (old == nullptr) {
    Json& finalizers = meta["finalizers"];
    if (!finalizers.is_array()) finalizers = JsonArray();
    if (std::find(finalizers.get_array().begin(), finalizers.get_array().end(),
                  Json(kCrdCleanupFinalizer)) == finalizers.get_array().end()) {
      finalizers.get_array().emplace_back(kCrdCleanupFinalizer);
    }
  }
  const Json& spec = obj.at("spec");
  const Json* old_status = old ? FindMember(*old, "status") : nullptr;
  std::string now = FormatRfc3339(clock_->Now());
  JsonArray stored;
  if (const JsonArray* old_stored = old_status ? FindArray(*old_status, "storedVersions") : nullptr) {
    stored = *old_stored;
  }
  for (const Json& v : spec.at("versions").as_array()) {
    if (const Json* s = FindMember(v, "storage"); s && s->is_bool() && s->get_bool()) {
      Json name(FindString(v, "name"));
      if (std::find(stored.begin(), stored.end(), name) == stored.end()) stored.push_back(name);
    }
  }
  JsonArray conditions{
      Condition(old_status, "NamesAccepted", "True", "NoConflicts", "no conflicts found", now),
      Condition(old_status, "Established", "True", "InitialNamesAccepted",
                "the initial names have been accepted", now)};
  if (deleting) {
    conditions.push_back(Condition(old_status, "Terminating", "True",
                                   "InstanceDeletionInProgress",
                                   "CustomResource deletion is in progress", now));
  }
  obj["status"] = JsonObject{{"conditions", std::move(conditions)},
                             {"acceptedNames", spec.at("names")},
                             {"storedVersions", std::move(stored)}};
  return Status::Ok();
}

Status CustomResources::AdmitResource(const ResourceType& type, Json& object,
                                      const WriteOptions& options) {
  std::shared_ptr<const TypeSet> types = catalog_->Current();
  const ResourceType* served = types->FindResource(type.group, type.version, type.resource);
  const CustomType* custom = served ? types->Custom(served) : nullptr;
  if (custom == nullptr) {
    return Status(Reason::kNotFound,
                  fmt::format("the server could not find the requested resource ({}.{})",
                              type.resource, type.group));
  }
  if (custom->schema == nullptr) return Status::Ok();
  KSTACK_RETURN_IF_ERROR(ReportUnknownFields(
      type, machinery::PruneUnknownFields(object, *custom->schema), options));
  machinery::ApplyDefaults(object, *custom->schema);
  std::vector<FieldError> errors = machinery::ValidateValue(object, *custom->schema);
  if (!errors.empty()) return InvalidObject(type.kind, type.group, Name(object), errors);
  return Status::Ok();
}

void CustomResources::Written(const ResourceType& type, const Json& object, bool deleted) {
  if (!IsCrd(type)) {
    // The last instance of a CRD being deleted lets the CRD go.
    if (deleted && !type.group.empty() &&
        machinery::FindBuiltinKind(type.group, type.version, type.kind) == nullptr) {
      Result<Json> crd =
          registry_->Get(CrdType(), "", fmt::format("{}.{}", type.resource, type.group));
      if (crd.ok() && FindMember(crd->at("metadata"), "deletionTimestamp") != nullptr) {
        Cleanup(*crd);
      }
    }
    return;
  }
  if (Status s = Reload(); !s.ok()) log::Error("serving custom resources: {}", s.ToString());
  if (!deleted && FindMember(object.at("metadata"), "deletionTimestamp") != nullptr) {
    Cleanup(object);
  }
}

void CustomResources::Cleanup(const Json& crd) {
  const JsonArray* finalizers = FindArray(crd.at("metadata"), "finalizers");
  if (finalizers == nullptr ||
      std::find(finalizers->begin(), finalizers->end(), Json(kCrdCleanupFinalizer)) ==
          finalizers->end()) {
    return;
  }
  // Instances live under one key prefix whatever version they were written through, so one
  // served version is enough to reach them all.
  const Json& spec = crd.at("spec");
  const Json& names = spec.at("names");
  std::string group(FindString(spec, "group"));
  std::string plural(FindString(names, "plural"));
  std::string kind(FindString(names, "kind"));
  std::string version(FindString(spec.at("versions").as_array().front(), "name"));
  bool namespaced = FindString(spec, "scope") != "Cluster";
  std::string group_version = group + "/" + version;
  ResourceType type{.group = group,
                    .version = version,
                    .group_version = group_version,
                    .kind = kind,
                    .resource = plural,
                    .singular = plural,
                    .namespaced = namespaced};
  Result<Json> list = registry_->List(type, "", {});
  if (!list.ok()) {
    log::Error("deleting the {} of {}: {}", plural, Name(crd), list.status().ToString());
    return;
  }
  bool remaining = false;
  for (const Json& item : list->at("items").as_array()) {
    const Json& meta = item.at("metadata");
    Result<Json> gone = registry_->Delete(type, FindString(meta, "namespace"),
                                          FindString(meta, "name"));
    if (!gone.ok() && gone.status().reason() != Reason::kNotFound) remaining = true;
    if (gone.ok() && FindMember(gone->at("metadata"), "deletionTimestamp") != nullptr) {
      remaining = true;  // held by finalizers of its own
    }
  }
  if (remaining) return;
  Result<Json> current = registry_->Get(CrdType(), "", Name(crd));
  if (!current.ok()) return;
  Json updated = *current;
  JsonArray& f = updated.at("metadata").as_object()["finalizers"].as_array();
  f.erase(std::remove(f.begin(), f.end(), Json(kCrdCleanupFinalizer)), f.end());
  Result<Json> written = registry_->Update(CrdType(), "", Name(crd), std::move(updated));
  if (!written.ok()) log::Error("finishing the deletion of {}: {}", Name(crd),
                                written.status().ToString());
}

}  // namespace kstack::server
