#include "server/object_registry.h"

#include <fmt/format.h>

#include <charconv>

#include "core/base64.h"
#include "machinery/builtin_schemas.h"
#include "machinery/field_manager.h"
#include "machinery/json_patch.h"
#include "machinery/selector.h"
#include "machinery/strategic_merge_patch.h"
#include "machinery/validation.h"
#include "server/internal/uid.h"

namespace kstack::server {
namespace {

using machinery::FieldSelector;
using machinery::LabelSelector;

// Object metadata as a mutable object, created when absent.
JsonObject& Metadata(Json& object) {
  JsonObject& obj = object.as_object();
  Json& m = obj["metadata"];
  if (!m.is_object()) m = JsonObject();
  return m.get_object();
}

std::string_view MetaString(const Json& object, std::string_view key) {
  const Json* m = FindMember(object, "metadata");
  return m ? FindString(*m, key) : std::string_view();
}

Result<Json> ApplyPatch(std::string_view group, std::string_view version, std::string_view kind,
                        const Json& target, PatchType patch_type, const Json& patch) {
  switch (patch_type) {
    case PatchType::kMerge:
      return machinery::ApplyMergePatch(target, patch);
    case PatchType::kJson:
      return machinery::ApplyJsonPatch(target, patch);
    case PatchType::kStrategic:
      break;
  }
  // The merge keys of a strategic merge patch come from the type's schema; custom resources
  // have none, and Kubernetes refuses the patch type for them.
  const machinery::Schema* schema = machinery::BuiltinSchemaFor(group, version, kind);
  if (schema == nullptr) {
    return Status(Reason::kUnsupportedMediaType,
                  "the body of the request was in an unknown format - accepted media types "
                  "include: application/json-patch+json, application/merge-patch+json, "
                  "application/apply-patch+yaml");
  }
  return machinery::ApplyStrategicMergePatch(target, patch, schema);
}

// A namespace in the body must be the one of the URL.
Status CheckBodyNamespace(const Json& object, std::string_view ns) {
  std::string_view body_ns = MetaString(object, "namespace");
  if (!body_ns.empty() && body_ns != ns) {
    return BadRequestError(
        "the namespace of the provided object does not match the namespace sent on the request");
  }
  return Status::Ok();
}

StatusDetails Details(const ResourceType& type, std::string_view name) {
  return StatusDetails{.name = std::string(name),
                       .group = std::string(type.group),
                       .kind = std::string(type.resource)};
}

Status NotFound(const ResourceType& type, std::string_view name) {
  return Status(Reason::kNotFound, fmt::format("{} \"{}\" not found", type.resource, name),
                Details(type, name));
}

Status ModifiedConflict(const ResourceType& type, std::string_view name) {
  std::string resource = type.group.empty() ? std::string(type.resource)
                                            : fmt::format("{}.{}", type.resource, type.group);
  return Status(Reason::kConflict,
                fmt::format("Operation cannot be fulfilled on {} \"{}\": the object has been "
                            "modified; please apply your changes to the latest version and try "
                            "again",
                            resource, name),
                Details(type, name));
}

// 422 for one field, as Kubernetes words it: `Kind "name" is invalid: field: detail`.
Status FieldInvalid(const ResourceType& type, std::string_view name, std::string_view field,
                    std::string_view detail, std::string_view cause_type) {
  StatusDetails details{
      .name = std::string(name), .group = std::string(type.group), .kind = std::string(type.kind)};
  details.causes.push_back({.type = std::string(cause_type),
                            .message = std::string(detail),
                            .field = std::string(field)});
  return Status(Reason::kInvalid,
                fmt::format("{} \"{}\" is invalid: {}: {}", type.kind, name, field, detail),
                std::move(details));
}

std::string NameProblem(const ResourceType& type, std::string_view name) {
  if (type.resource == "namespaces") return machinery::Dns1123LabelProblem(name);
  if (type.resource == "services") return machinery::Dns1035LabelProblem(name);
  if (type.group == "rbac.authorization.k8s.io") return machinery::PathSegmentNameProblem(name);
  return machinery::Dns1123SubdomainProblem(name);
}

// A copy of the object without the parts a spec change is not made of.
Json WithoutMetadataAndStatus(const Json& object) {
  Json copy = object;
  copy.as_object().erase("metadata");
  copy.as_object().erase("status");
  return copy;
}

// Type-specific normalisation done on every write.
void Normalize(const ResourceType& type, Json& object) {
  JsonObject& obj = object.as_object();
  if (type.group.empty() && type.kind == "Secret") {
    // stringData is write-only: folded into data, base64-encoded.
    if (Json* string_data = obj.if_contains("stringData")) {
      if (string_data->is_object()) {
        Json& data = obj["data"];
        if (!data.is_object()) data = JsonObject();
        for (const auto& kv : string_data->get_object()) {
          if (!kv.value().is_string()) continue;
          data.get_object()[kv.key()] = EncodeBase64(kv.value().get_string());
        }
      }
      obj.erase("stringData");
    }
    if (!obj.contains("type")) obj["type"] = "Opaque";
  }
}

bool IsNamespace(const ResourceType& type) {
  return type.group.empty() && type.kind == "Namespace";
}

// Whether a deleted object must stay until its finalizers are gone: metadata.finalizers, and for
// namespaces also spec.finalizers (emptied by the namespace lifecycle once the content is gone).
bool Held(const ResourceType& type, const Json& object) {
  const Json* metadata = FindMember(object, "metadata");
  const JsonArray* finalizers = metadata ? FindArray(*metadata, "finalizers") : nullptr;
  if (finalizers != nullptr && !finalizers->empty()) return true;
  // A pod in its grace period stays until its kubelet ends it (deletionGracePeriodSeconds 0).
  if (type.group.empty() && type.kind == "Pod" && metadata != nullptr &&
      FindMember(*metadata, "deletionTimestamp") != nullptr) {
    const Json* grace = FindMember(*metadata, "deletionGracePeriodSeconds");
    if (grace != nullptr && grace->is_int64() && grace->get_int64() > 0) return true;
  }
  if (!IsNamespace(type)) return false;
  const Json* spec = FindMember(object, "spec");
  const JsonArray* spec_finalizers = spec ? FindArray(*spec, "finalizers") : nullptr;
  return spec_finalizers != nullptr && !spec_finalizers->empty();
}

// Sets the garbage collector's finalizers for a deletion with `propagation`, as Kubernetes'
// deletionFinalizersForGarbageCollection does; true when they changed.
bool SetGcFinalizers(Json& object, Propagation propagation) {
  if (propagation == Propagation::kDefault) return false;
  JsonObject& meta = Metadata(object);
  Json& field = meta["finalizers"];
  if (!field.is_array()) field = JsonArray();
  JsonArray& finalizers = field.get_array();
  JsonArray updated;
  for (const Json& f : finalizers) {
    if (f.is_string() &&
        (f.get_string() == kOrphanFinalizer || f.get_string() == kForegroundFinalizer)) {
      continue;
    }
    updated.push_back(f);
  }
  if (propagation == Propagation::kOrphan) updated.emplace_back(kOrphanFinalizer);
  if (propagation == Propagation::kForeground) updated.emplace_back(kForegroundFinalizer);
  bool changed = updated != finalizers;
  if (updated.empty()) {
    meta.erase("finalizers");
  } else {
    finalizers = std::move(updated);
  }
  return changed;
}

bool ParseRevision(std::string_view text, int64_t* out) {
  auto r = std::from_chars(text.data(), text.data() + text.size(), *out);
  return !text.empty() && r.ec == std::errc() && r.ptr == text.data() + text.size() && *out > 0;
}

}  // namespace

Result<Propagation> ParsePropagation(std::string_view policy, std::string_view orphan_dependents) {
  auto invalid = [](std::string detail) {
    StatusDetails details{.group = "meta.k8s.io", .kind = "DeleteOptions"};
    details.causes.push_back(
        {.type = "FieldValueNotSupported", .message = detail, .field = "propagationPolicy"});
    return Status(
        Reason::kInvalid,
        fmt::format("DeleteOptions.meta.k8s.io \"\" is invalid: propagationPolicy: {}", detail),
        std::move(details));
  };
  if (!policy.empty() && !orphan_dependents.empty()) {
    return invalid(
        fmt::format("Invalid value: \"{}\": orphanDependents and deletionPropagation "
                    "cannot be both set",
                    policy));
  }
  if (orphan_dependents == "true") return Propagation::kOrphan;
  if (orphan_dependents == "false") return Propagation::kBackground;
  if (!orphan_dependents.empty()) {
    return BadRequestError(
        fmt::format("orphanDependents: invalid boolean value \"{}\"", orphan_dependents));
  }
  if (policy.empty()) return Propagation::kDefault;
  if (policy == "Background") return Propagation::kBackground;
  if (policy == "Foreground") return Propagation::kForeground;
  if (policy == "Orphan") return Propagation::kOrphan;
  return invalid(
      fmt::format("Unsupported value: \"{}\": supported values: \"Foreground\", "
                  "\"Background\", \"Orphan\", \"nil\"",
                  policy));
}

ObjectRegistry::ObjectRegistry(store::Store* store, const Clock* clock)
    : store_(store), clock_(clock) {}

std::string ObjectRegistry::Prefix(const ResourceType& type, std::string_view ns) {
  std::string prefix =
      fmt::format("/registry/{}/{}/", type.group.empty() ? "core" : type.group, type.resource);
  if (type.namespaced && !ns.empty()) {
    prefix += ns;
    prefix += '/';
  }
  return prefix;
}

std::string ObjectRegistry::Key(const ResourceType& type, std::string_view ns,
                                std::string_view name) {
  return Prefix(type, type.namespaced ? ns : "") + std::string(name);
}

Result<Json> ObjectRegistry::DecodeStored(const ResourceType& type, const store::KeyValue& kv,
                                          int64_t revision) {
  KSTACK_ASSIGN_OR_RETURN(Json object, ParseJson(kv.value, kv.key));
  if (!object.is_object())
    return InternalError(fmt::format("{}: stored value is not an object", kv.key));
  if (FindString(object, "apiVersion") != type.group_version) {
    object.get_object()["apiVersion"] = type.group_version;
  }
  Metadata(object)["resourceVersion"] = std::to_string(revision);
  return object;
}

Status ObjectRegistry::CheckNamespace(const ResourceType& type, std::string_view ns,
                                      std::string_view name) {
  const ResourceType* namespaces = machinery::FindBuiltinResource("", "v1", "namespaces");
  Result<store::KeyValue> kv = store_->Get(Key(*namespaces, "", ns));
  if (kv.status().reason() == Reason::kNotFound) return NotFound(*namespaces, ns);
  KSTACK_RETURN_IF_ERROR(kv.status());
  if (kv->value.find("\"deletionTimestamp\"") != std::string::npos) {
    Result<Json> object = ParseJson(kv->value, kv->key);
    if (object.ok() && FindMember(object->at("metadata"), "deletionTimestamp") != nullptr) {
      return Status(Reason::kForbidden,
                    fmt::format("{} \"{}\" is forbidden: unable to create new content in namespace "
                                "{} because it is being terminated",
                                type.resource, name, ns),
                    Details(type, name));
    }
  }
  return Status::Ok();
}

Result<Json> ObjectRegistry::Create(const ResourceType& type, std::string_view ns, Json object,
                                    const WriteOptions& options) {
  if (!object.is_object()) {
    return BadRequestError(fmt::format("the body of a {} must be a JSON object", type.kind));
  }
  JsonObject& obj = object.get_object();
  std::string_view api_version = FindString(object, "apiVersion");
  std::string_view kind = FindString(object, "kind");
  if ((!api_version.empty() && api_version != type.group_version) ||
      (!kind.empty() && kind != type.kind)) {
    return BadRequestError(fmt::format(
        "the API version and kind in the data ({}, {}) do not match the expected ones ({}, {})",
        api_version, kind, type.group_version, type.kind));
  }
  obj["apiVersion"] = type.group_version;
  obj["kind"] = type.kind;
  JsonObject& meta = Metadata(object);
  std::string name(MetaString(object, "name"));
  if (name.empty()) {
    std::string_view generate = MetaString(object, "generateName");
    if (generate.empty()) {
      return FieldInvalid(type, "", "metadata.name",
                          "Required value: name or generateName is required", "FieldValueRequired");
    }
    name = std::string(generate) + RandomNameSuffix();
    meta["name"] = name;
  }
  if (std::string problem = NameProblem(type, name); !problem.empty()) {
    return FieldInvalid(type, name, "metadata.name",
                        fmt::format("Invalid value: \"{}\": {}", name, problem),
                        "FieldValueInvalid");
  }
  if (type.namespaced) {
    KSTACK_RETURN_IF_ERROR(CheckBodyNamespace(object, ns));
    meta["namespace"] = ns;
    KSTACK_RETURN_IF_ERROR(CheckNamespace(type, ns, name));
  } else {
    meta.erase("namespace");
  }
  meta["uid"] = NewUid();
  meta["creationTimestamp"] = FormatRfc3339(clock_->Now());
  meta.erase("resourceVersion");
  meta.erase("deletionTimestamp");
  meta.erase("deletionGracePeriodSeconds");
  if (type.uses_generation) {
    meta["generation"] = 1;
  } else {
    meta.erase("generation");
  }
  if (type.has_status) obj.erase("status");
  if (type.group.empty() && type.kind == "Namespace") {
    Json& spec = obj["spec"];
    if (!spec.is_object()) spec = JsonObject();
    if (!spec.get_object().contains("finalizers")) {
      spec.get_object()["finalizers"] = JsonArray({"kubernetes"});
    }
    obj["status"] = JsonObject({{"phase", "Active"}});
  }
  Normalize(type, object);
  if (admission_ != nullptr) {
    KSTACK_RETURN_IF_ERROR(admission_->Admit(type, nullptr, object, options));
  }
  RecordManagedFields(type, Json(), object, options, "");
  if (options.dry_run) return object;
  std::string key = Key(type, ns, name);
  Result<store::KeyValue> kv = store_->Create(key, WriteJson(object));
  if (kv.status().reason() == Reason::kAlreadyExists) {
    return Status(Reason::kAlreadyExists,
                  fmt::format("{} \"{}\" already exists", type.resource, name),
                  Details(type, name));
  }
  KSTACK_RETURN_IF_ERROR(kv.status());
  Metadata(object)["resourceVersion"] = std::to_string(kv->mod_revision);
  if (admission_ != nullptr) admission_->Written(type, object, false);
  return object;
}

Result<std::unique_ptr<store::Watcher>> ObjectRegistry::Watch(const ResourceType& type,
                                                              std::string_view ns,
                                                              int64_t after_revision,
                                                              std::function<void()> on_ready) {
  return store_->Watch({.prefix = Prefix(type, ns),
                        .after_revision = after_revision,
                        .on_ready = std::move(on_ready)});
}

Result<Json> ObjectRegistry::Get(const ResourceType& type, std::string_view ns,
                                 std::string_view name) {
  Result<store::KeyValue> kv = store_->Get(Key(type, ns, name));
  if (kv.status().reason() == Reason::kNotFound) return NotFound(type, name);
  KSTACK_RETURN_IF_ERROR(kv.status());
  return Decode(type, *kv);
}

Result<Json> ObjectRegistry::List(const ResourceType& type, std::string_view ns,
                                  const ListQuery& query) {
  KSTACK_ASSIGN_OR_RETURN(LabelSelector labels, LabelSelector::Parse(query.label_selector));
  KSTACK_ASSIGN_OR_RETURN(FieldSelector fields, FieldSelector::Parse(query.field_selector));
  KSTACK_RETURN_IF_ERROR(machinery::CheckFieldsSupported(fields, type.group, type.kind));
  if (query.limit < 0) return BadRequestError("limit must not be negative");
  KSTACK_ASSIGN_OR_RETURN(store::ListResult page,
                          store_->List({.prefix = Prefix(type, ns),
                                        .limit = query.limit,
                                        .revision = query.revision,
                                        .continue_token = query.continue_token}));
  JsonArray items;
  for (const store::KeyValue& kv : page.kvs) {
    KSTACK_ASSIGN_OR_RETURN(Json object, Decode(type, kv));
    if (!labels.MatchesObject(object)) continue;
    if (!fields.empty() && !fields.Matches(machinery::FieldsOf(type.group, type.kind, object))) {
      continue;
    }
    items.push_back(std::move(object));
  }
  JsonObject metadata{{"resourceVersion", std::to_string(page.revision)}};
  if (!page.continue_token.empty()) metadata["continue"] = page.continue_token;
  return Json(JsonObject{{"apiVersion", type.group_version},
                         {"kind", std::string(type.kind) + "List"},
                         {"metadata", std::move(metadata)},
                         {"items", std::move(items)}});
}

void ObjectRegistry::RecordManagedFields(const ResourceType& type, const Json& old, Json& object,
                                         const WriteOptions& o,
                                         std::string_view subresource) const {
  if (o.field_manager.empty()) return;
  const machinery::Schema* schema =
      o.schema ? o.schema : machinery::BuiltinSchemaFor(type.group, type.version, type.kind);
  machinery::RecordUpdate(old, object,
                          {.manager = o.field_manager,
                           .api_version = std::string(type.group_version),
                           .subresource = std::string(subresource),
                           .now = FormatRfc3339(clock_->Now()),
                           .schema = schema,
                           .has_status = type.has_status});
}

Result<Json> ObjectRegistry::Write(const ResourceType& type, std::string_view ns,
                                   std::string_view name, const Json& old, int64_t old_revision,
                                   Json object, const WriteOptions& options,
                                   std::string_view subresource) {
  Normalize(type, object);
  if (admission_ != nullptr) {
    KSTACK_RETURN_IF_ERROR(admission_->Admit(type, &old, object, options));
  }
  RecordManagedFields(type, old, object, options, subresource);
  JsonObject& meta = Metadata(object);
  meta.erase("resourceVersion");
  Json old_stored = old;
  Metadata(old_stored).erase("resourceVersion");
  if (object == old_stored) {
    return old;  // nothing changed: no write, no new resourceVersion
  }
  if (options.dry_run) {
    Metadata(object)["resourceVersion"] = std::to_string(old_revision);
    return object;
  }
  Result<store::KeyValue> kv = store_->Update(Key(type, ns, name), WriteJson(object), old_revision);
  if (kv.status().reason() == Reason::kConflict) return ModifiedConflict(type, name);
  if (kv.status().reason() == Reason::kNotFound) return NotFound(type, name);
  KSTACK_RETURN_IF_ERROR(kv.status());
  Metadata(object)["resourceVersion"] = std::to_string(kv->mod_revision);
  // A marked object goes once its last finalizer is removed.
  if (FindMember(object.at("metadata"), "deletionTimestamp") != nullptr && !Held(type, object)) {
    Result<store::Deleted> deleted = store_->Delete(Key(type, ns, name), kv->mod_revision);
    if (!deleted.ok() && deleted.status().reason() != Reason::kNotFound &&
        deleted.status().reason() != Reason::kConflict) {
      return deleted.status();
    }
    if (deleted.ok() && admission_ != nullptr) admission_->Written(type, object, true);
    return object;
  }
  if (admission_ != nullptr) admission_->Written(type, object, false);
  return object;
}

Result<Json> ObjectRegistry::Update(const ResourceType& type, std::string_view ns,
                                    std::string_view name, Json object,
                                    const WriteOptions& options) {
  return UpdateObject(type, ns, name, std::move(object), options, "");
}

Result<Json> ObjectRegistry::UpdateObject(const ResourceType& type, std::string_view ns,
                                          std::string_view name, Json object,
                                          const WriteOptions& options,
                                          std::string_view subresource) {
  if (!object.is_object()) {
    return BadRequestError(fmt::format("the body of a {} must be a JSON object", type.kind));
  }
  std::string_view body_name = MetaString(object, "name");
  if (body_name != name) {
    return BadRequestError(fmt::format(
        "the name of the object ({}) does not match the name on the URL ({})", body_name, name));
  }
  if (type.namespaced) {
    KSTACK_RETURN_IF_ERROR(CheckBodyNamespace(object, ns));
  }
  KSTACK_ASSIGN_OR_RETURN(Json old, Get(type, ns, name));
  int64_t current = 0;
  ParseRevision(MetaString(old, "resourceVersion"), &current);
  int64_t expected = current;
  std::string_view body_rv = MetaString(object, "resourceVersion");
  if (!body_rv.empty()) {
    if (!ParseRevision(body_rv, &expected)) {
      return FieldInvalid(type, name, "metadata.resourceVersion",
                          fmt::format("Invalid value: \"{}\": must be a positive integer", body_rv),
                          "FieldValueInvalid");
    }
    if (expected != current) return ModifiedConflict(type, name);
  }
  JsonObject& obj = object.get_object();
  obj["apiVersion"] = type.group_version;
  obj["kind"] = type.kind;
  JsonObject& meta = Metadata(object);
  const Json& old_meta = old.at("metadata");
  // Set by the server only: carried over from the stored object.
  for (std::string_view k : {"uid", "creationTimestamp", "deletionTimestamp",
                             "deletionGracePeriodSeconds", "generation"}) {
    if (const Json* v = FindMember(old_meta, k)) {
      meta[k] = *v;
    } else {
      meta.erase(k);
    }
  }
  if (type.namespaced) meta["namespace"] = ns;
  if (type.has_status || (type.group.empty() && type.kind == "Namespace")) {
    if (const Json* status = FindMember(old, "status")) {
      obj["status"] = *status;
    } else {
      obj.erase("status");
    }
  }
  if (type.uses_generation && WithoutMetadataAndStatus(object) != WithoutMetadataAndStatus(old)) {
    int64_t generation = 0;
    if (const Json* g = FindMember(old_meta, "generation"); g && g->is_int64()) {
      generation = g->get_int64();
    }
    meta["generation"] = generation + 1;
  }
  return Write(type, ns, name, old, expected, std::move(object), options, subresource);
}

Result<Json> ObjectRegistry::UpdateStatus(const ResourceType& type, std::string_view ns,
                                          std::string_view name, Json object,
                                          const WriteOptions& options) {
  return UpdateStatusObject(type, ns, name, std::move(object), options, false);
}

Result<Json> ObjectRegistry::UpdateStatusObject(const ResourceType& type, std::string_view ns,
                                                std::string_view name, Json object,
                                                const WriteOptions& options,
                                                bool keep_managed_fields) {
  if (!type.has_status) {
    return NotFound(type, name).WithContext("the type has no status subresource");
  }
  if (!object.is_object()) return BadRequestError("the body must be a JSON object");
  KSTACK_ASSIGN_OR_RETURN(Json old, Get(type, ns, name));
  int64_t expected = 0;
  ParseRevision(MetaString(old, "resourceVersion"), &expected);
  std::string_view body_rv = MetaString(object, "resourceVersion");
  if (!body_rv.empty()) {
    int64_t wanted = 0;
    if (!ParseRevision(body_rv, &wanted) || wanted != expected) {
      return ModifiedConflict(type, name);
    }
  }
  Json updated = old;
  if (const Json* status = FindMember(object, "status")) {
    updated.as_object()["status"] = *status;
  } else {
    updated.as_object().erase("status");
  }
  if (keep_managed_fields) {
    if (const Json* managed = FindMember(object.at("metadata"), "managedFields")) {
      Metadata(updated)["managedFields"] = *managed;
    } else {
      Metadata(updated).erase("managedFields");
    }
  }
  return Write(type, ns, name, old, expected, std::move(updated), options, "status");
}

Result<Json> ObjectRegistry::Patch(const ResourceType& type, std::string_view ns,
                                   std::string_view name, PatchType patch_type, const Json& patch,
                                   bool status, const WriteOptions& options) {
  for (int attempt = 0;; ++attempt) {
    KSTACK_ASSIGN_OR_RETURN(Json current, Get(type, ns, name));
    KSTACK_ASSIGN_OR_RETURN(
        Json patched, ApplyPatch(type.group, type.version, type.kind, current, patch_type, patch));
    if (!patched.is_object()) {
      return BadRequestError("the patched object is not a JSON object");
    }
    // A patch that leaves resourceVersion alone is not a precondition: write on top of the
    // object it was applied to.
    // (The object patched carries its own resourceVersion: only a patch that changes it sets
    // one.)
    bool precondition =
        MetaString(patched, "resourceVersion") != MetaString(current, "resourceVersion");
    if (!precondition) {
      Metadata(patched)["resourceVersion"] = std::string(MetaString(current, "resourceVersion"));
    }
    Result<Json> written = status ? UpdateStatus(type, ns, name, std::move(patched), options)
                                  : Update(type, ns, name, std::move(patched), options);
    bool retry = written.status().reason() == Reason::kConflict && attempt < 5 && !precondition;
    if (!retry) return written;
  }
}

Result<Json> ObjectRegistry::Apply(const ResourceType& type, std::string_view ns,
                                   std::string_view name, const Json& applied, bool force,
                                   bool status, const WriteOptions& options, bool* created) {
  *created = false;
  if (!applied.is_object()) {
    return BadRequestError(fmt::format("the body of a {} must be a JSON object", type.kind));
  }
  std::string_view api_version = FindString(applied, "apiVersion");
  std::string_view kind = FindString(applied, "kind");
  if (api_version != type.group_version || kind != type.kind) {
    return BadRequestError(fmt::format(
        "the API version and kind in the data ({}, {}) do not match the expected ones ({}, {})",
        api_version, kind, type.group_version, type.kind));
  }
  if (std::string_view body_name = MetaString(applied, "name"); body_name != name) {
    return BadRequestError(fmt::format(
        "the name of the object ({}) does not match the name on the URL ({})", body_name, name));
  }
  if (type.namespaced) KSTACK_RETURN_IF_ERROR(CheckBodyNamespace(applied, ns));
  machinery::ManagerOptions manager{
      .manager = options.field_manager,
      .api_version = std::string(type.group_version),
      .subresource = status ? "status" : "",
      .now = FormatRfc3339(clock_->Now()),
      .schema = options.schema ? options.schema
                               : machinery::BuiltinSchemaFor(type.group, type.version, type.kind),
      .has_status = type.has_status};
  // The managed fields are the apply's: the write below must not record an Update on top.
  WriteOptions write = options;
  write.field_manager.clear();
  for (int attempt = 0;; ++attempt) {
    Result<Json> current = Get(type, ns, name);
    if (current.status().reason() == Reason::kNotFound && !status) {
      KSTACK_ASSIGN_OR_RETURN(Json object,
                              machinery::ServerSideApply(Json(), applied, manager, force));
      Result<Json> made = Create(type, ns, std::move(object), write);
      if (made.status().reason() == Reason::kAlreadyExists && attempt < 5) continue;
      *created = made.ok();
      return made;
    }
    KSTACK_RETURN_IF_ERROR(current.status());
    KSTACK_ASSIGN_OR_RETURN(Json object,
                            machinery::ServerSideApply(*current, applied, manager, force));
    // The applied configuration's resourceVersion, when it has one, is a precondition.
    bool precondition = !MetaString(applied, "resourceVersion").empty();
    if (!precondition) {
      Metadata(object)["resourceVersion"] = std::string(MetaString(*current, "resourceVersion"));
    }
    Result<Json> written = status
                               ? UpdateStatusObject(type, ns, name, std::move(object), write, true)
                               : Update(type, ns, name, std::move(object), write);
    bool retry = written.status().reason() == Reason::kConflict && attempt < 5 && !precondition;
    if (!retry) return written;
  }
}

namespace {

// The Scale of an object with spec.replicas.
Json ScaleOf(const Json& object) {
  JsonObject metadata;
  for (std::string_view k : {"name", "namespace", "uid", "resourceVersion", "creationTimestamp"}) {
    if (const Json* v = FindMember(object.at("metadata"), k)) metadata[k] = *v;
  }
  const Json* spec = FindMember(object, "spec");
  const Json* replicas = spec ? FindMember(*spec, "replicas") : nullptr;
  JsonObject status{{"replicas", 0}};
  if (const Json* st = FindMember(object, "status")) {
    if (const Json* r = FindMember(*st, "replicas"); r && r->is_int64()) status["replicas"] = *r;
  }
  if (const Json* selector = spec ? FindMember(*spec, "selector") : nullptr) {
    Result<LabelSelector> parsed = LabelSelector::FromJson(*selector);
    if (parsed.ok()) status["selector"] = parsed->ToString();
  }
  return JsonObject{
      {"kind", "Scale"},
      {"apiVersion", "autoscaling/v1"},
      {"metadata", std::move(metadata)},
      {"spec", JsonObject{{"replicas", replicas && replicas->is_int64() ? *replicas : Json(1)}}},
      {"status", std::move(status)}};
}

}  // namespace

Result<Json> ObjectRegistry::GetScale(const ResourceType& type, std::string_view ns,
                                      std::string_view name) {
  if (!type.has_scale) return NotFound(type, name);
  KSTACK_ASSIGN_OR_RETURN(Json object, Get(type, ns, name));
  return ScaleOf(object);
}

Result<Json> ObjectRegistry::UpdateScale(const ResourceType& type, std::string_view ns,
                                         std::string_view name, const Json& scale,
                                         const WriteOptions& options) {
  if (!type.has_scale) return NotFound(type, name);
  const Json* spec = FindMember(scale, "spec");
  const Json* replicas = spec ? FindMember(*spec, "replicas") : nullptr;
  if (replicas == nullptr || !replicas->is_int64() || replicas->get_int64() < 0) {
    return FieldInvalid(type, name, "spec.replicas",
                        "Invalid value: must be a non-negative integer", "FieldValueInvalid");
  }
  KSTACK_ASSIGN_OR_RETURN(Json object, Get(type, ns, name));
  std::string_view wanted = MetaString(scale, "resourceVersion");
  if (!wanted.empty() && wanted != MetaString(object, "resourceVersion")) {
    return ModifiedConflict(type, name);
  }
  Json& object_spec = object.as_object()["spec"];
  if (!object_spec.is_object()) object_spec = JsonObject();
  object_spec.get_object()["replicas"] = *replicas;
  KSTACK_ASSIGN_OR_RETURN(Json written,
                          UpdateObject(type, ns, name, std::move(object), options, "scale"));
  return ScaleOf(written);
}

Result<Json> ObjectRegistry::PatchScale(const ResourceType& type, std::string_view ns,
                                        std::string_view name, PatchType patch_type,
                                        const Json& patch, const WriteOptions& options) {
  KSTACK_ASSIGN_OR_RETURN(Json scale, GetScale(type, ns, name));
  KSTACK_ASSIGN_OR_RETURN(Json patched,
                          ApplyPatch("autoscaling", "v1", "Scale", scale, patch_type, patch));
  return UpdateScale(type, ns, name, patched, options);
}

Result<Json> ObjectRegistry::Delete(const ResourceType& type, std::string_view ns,
                                    std::string_view name, const DeleteOptions& options) {
  bool preconditions =
      !options.uid_precondition.empty() || !options.resource_version_precondition.empty();
  for (int attempt = 0;; ++attempt) {
    Result<Json> deleted = DeleteOnce(type, ns, name, options);
    if (deleted.ok() || deleted.status().reason() != Reason::kConflict || preconditions ||
        attempt == 16) {
      return deleted;
    }
  }
}

Result<Json> ObjectRegistry::DeleteOnce(const ResourceType& type, std::string_view ns,
                                        std::string_view name, const DeleteOptions& options) {
  KSTACK_ASSIGN_OR_RETURN(Json old, Get(type, ns, name));
  int64_t revision = 0;
  ParseRevision(MetaString(old, "resourceVersion"), &revision);
  if (!options.uid_precondition.empty() && options.uid_precondition != MetaString(old, "uid")) {
    return Status(Reason::kConflict,
                  fmt::format("Precondition failed: UID in precondition: {}, UID in object meta: "
                              "{}",
                              options.uid_precondition, MetaString(old, "uid")),
                  Details(type, name));
  }
  if (!options.resource_version_precondition.empty() &&
      options.resource_version_precondition != MetaString(old, "resourceVersion")) {
    return Status(
        Reason::kConflict,
        fmt::format("Precondition failed: ResourceVersion in precondition: {}, "
                    "ResourceVersion in object meta: {}",
                    options.resource_version_precondition, MetaString(old, "resourceVersion")),
        Details(type, name));
  }
  if (type.group.empty() && type.kind == "Pod") {
    static const Json kNone = JsonObject{};
    const Json* spec_member = FindMember(old, "spec");
    const Json& spec = spec_member ? *spec_member : kNone;
    const Json* status_member = FindMember(old, "status");
    std::string_view phase = status_member ? FindString(*status_member, "phase") : "";
    std::string_view node = FindString(spec, "nodeName");
    // A pod bound to a node that does not exist has no kubelet to end it: it goes at once, as
    // Kubernetes' pod garbage collector removes such pods.
    const ResourceType* nodes = machinery::FindBuiltinResource("", "v1", "nodes");
    bool node_exists = !node.empty() && nodes != nullptr && Get(*nodes, "", node).ok();
    bool running = node_exists && phase != "Succeeded" && phase != "Failed";
    int64_t grace = options.grace_period_seconds;
    if (grace < 0) {
      const Json* own = FindMember(spec, "terminationGracePeriodSeconds");
      grace = own != nullptr && own->is_int64() ? own->get_int64() : 30;
    }
    bool terminating = FindMember(old.at("metadata"), "deletionTimestamp") != nullptr;
    if (terminating && options.grace_period_seconds == 0) {
      // The grace period ends now: removed unless finalizers hold it.
      Json ended = old;
      Metadata(ended)["deletionGracePeriodSeconds"] = 0;
      return Write(type, ns, name, old, revision, std::move(ended), {.dry_run = options.dry_run});
    }
    if (terminating) return old;
    if (running && grace > 0) {
      Json graceful = old;
      JsonObject& meta = Metadata(graceful);
      meta["deletionTimestamp"] = FormatRfc3339(clock_->Now() + std::chrono::seconds(grace));
      meta["deletionGracePeriodSeconds"] = grace;
      return Write(type, ns, name, old, revision, std::move(graceful),
                   {.dry_run = options.dry_run});
    }
  }
  Json marked = old;
  bool finalizers_changed = SetGcFinalizers(marked, options.propagation);
  if (Held(type, marked)) {
    // Held until the last finalizer is removed; the first delete only marks it, a later one
    // may still change the garbage collector's finalizers.
    bool marked_before = FindMember(old.at("metadata"), "deletionTimestamp") != nullptr;
    if (marked_before && !finalizers_changed) return old;
    JsonObject& meta = Metadata(marked);
    if (!marked_before) {
      meta["deletionTimestamp"] = FormatRfc3339(clock_->Now());
      meta["deletionGracePeriodSeconds"] = 0;
    }
    if (IsNamespace(type)) {
      Json& status = marked.as_object()["status"];
      if (!status.is_object()) status = JsonObject();
      status.get_object()["phase"] = "Terminating";
    }
    return Write(type, ns, name, old, revision, std::move(marked), {.dry_run = options.dry_run});
  }
  if (options.dry_run) return old;
  Result<store::Deleted> deleted = store_->Delete(Key(type, ns, name), revision);
  if (deleted.status().reason() == Reason::kConflict) return ModifiedConflict(type, name);
  if (deleted.status().reason() == Reason::kNotFound) return NotFound(type, name);
  KSTACK_RETURN_IF_ERROR(deleted.status());
  if (admission_ != nullptr) admission_->Written(type, old, true);
  return old;
}

}  // namespace kstack::server
