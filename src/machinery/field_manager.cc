#include "machinery/field_manager.h"

#include <fmt/format.h>

#include <optional>

#include "machinery/apply_conflicts.h"
#include "machinery/apply_merge.h"
#include "machinery/object_fields.h"

namespace kstack::machinery {
namespace {

constexpr std::string_view kLastApplied = "kubectl.kubernetes.io/last-applied-configuration";
// kubectl's manager of server-side apply, the only one that takes over client-side apply.
constexpr std::string_view kKubectlManager = "kubectl";

FieldSet IgnoredFields(const ManagerOptions& o) {
  FieldSet s;
  s.Insert({"f:apiVersion"});
  s.Insert({"f:kind"});
  for (std::string_view k : {"name", "namespace", "uid", "resourceVersion", "generation",
                             "creationTimestamp", "selfLink", "managedFields"}) {
    s.Insert({"f:metadata", FieldElement(k)});
  }
  if (o.subresource == "status") {
    s.Insert({"f:spec"});
  } else if (o.has_status) {
    s.Insert({"f:status"});
  }
  return s;
}

Json WithoutManagedFields(const Json& object) {
  Json copy = object;
  if (copy.is_object()) {
    if (Json* m = copy.get_object().if_contains("metadata"); m && m->is_object()) {
      m->get_object().erase("managedFields");
    }
  }
  return copy;
}

ManagedFields DecodeOrNone(const Json& object) {
  Result<ManagedFields> managed = DecodeManagedFields(object);
  return managed.ok() ? std::move(*managed) : ManagedFields();
}

// The managed fields an update starts from: the request's own when it sets them (and is not a
// subresource), else the stored ones.
ManagedFields StartingManagedFields(const Json& before, const Json& after,
                                    const ManagerOptions& o) {
  if (o.subresource.empty()) {
    if (IsManagedFieldsReset(after)) return {};
    Result<ManagedFields> given = DecodeManagedFields(after);
    if (given.ok() && !given->empty()) return std::move(*given);
  }
  return before.is_null() ? ManagedFields() : DecodeOrNone(before);
}

std::string_view LastAppliedText(const Json& object) {
  const Json* metadata = FindMember(object, "metadata");
  const Json* annotations = metadata ? FindMember(*metadata, "annotations") : nullptr;
  return annotations ? FindString(*annotations, kLastApplied) : std::string_view();
}

// The fields of client-side apply's last-applied configuration whose live value is still the
// applied one: those an upgrade to server-side apply may take without a conflict.
std::optional<FieldSet> LastAppliedFields(const Json& live, std::string_view api_version,
                                          const Schema* schema) {
  std::string_view text = LastAppliedText(live);
  if (text.empty()) return std::nullopt;
  Result<Json> last = ParseJson(text, "last-applied-configuration");
  if (!last.ok() || !last->is_object() || FindString(*last, "apiVersion") != api_version) {
    return std::nullopt;
  }
  Result<FieldSet> fields = FieldSetOf(*last, schema);
  if (!fields.ok()) return std::nullopt;
  Comparison c = CompareObjects(*last, live, schema);
  return fields->Difference(c.modified).Difference(c.added).Difference(c.removed);
}

// The annotation kubectl's server-side apply keeps in step: the configuration without it, as
// JSON with sorted keys and a final newline.
std::string LastAppliedOf(const Json& applied) {
  Json copy = applied;
  if (Json* m = copy.get_object().if_contains("metadata"); m && m->is_object()) {
    if (Json* a = m->get_object().if_contains("annotations"); a && a->is_object()) {
      a->get_object().erase(kLastApplied);
      if (a->get_object().empty()) m->get_object().erase("annotations");
    }
  }
  return WriteJson(copy, {.sort_keys = true}) + "\n";
}

// What a create is compared with: as Kubernetes compares with the empty object of the type, in
// which metadata and the top-level structs (spec, status) exist, empty.
Json EmptyObjectOf(const Schema* schema) {
  JsonObject empty{{"metadata", JsonObject()}};
  if (schema != nullptr) {
    for (const auto& [name, property] : schema->properties) {
      if (property != nullptr && property->type == Schema::Type::kObject &&
          !property->properties.empty()) {
        empty[name] = JsonObject();
      }
    }
  }
  return empty;
}

ManagedFieldsEntry* FindEntry(ManagedFields& managed, const ManagedFieldsEntry& identity) {
  for (ManagedFieldsEntry& e : managed) {
    if (e.SameIdentity(identity)) return &e;
  }
  return nullptr;
}

}  // namespace

void RecordUpdate(const Json& before, Json& after, const ManagerOptions& o) {
  ManagedFields managed = StartingManagedFields(before, after, o);
  Comparison c =
      CompareObjects(before.is_null() ? EmptyObjectOf(o.schema) : WithoutManagedFields(before),
                     WithoutManagedFields(after), o.schema);
  FieldSet changed = c.modified.Union(c.added).RecursiveDifference(IgnoredFields(o));
  ManagedFieldsEntry self{.manager = o.manager,
                          .operation = "Update",
                          .api_version = o.api_version,
                          .subresource = o.subresource};
  // Others lose what the write changed and what it removed.
  for (ManagedFieldsEntry& e : managed) {
    if (!e.SameIdentity(self)) e.fields = e.fields.Difference(changed).Difference(c.removed);
  }
  if (!changed.empty()) {
    if (ManagedFieldsEntry* own = FindEntry(managed, self)) {
      own->fields = own->fields.Union(changed);
      own->time = o.now;
    } else {
      self.fields = std::move(changed);
      self.time = o.now;
      managed.push_back(std::move(self));
    }
  }
  EncodeManagedFields(after, std::move(managed));
}

Result<Json> ServerSideApply(const Json& live_in, const Json& applied, const ManagerOptions& o,
                             bool force) {
  if (!applied.is_object()) return BadRequestError("the applied configuration must be an object");
  if (const Json* m = FindMember(applied, "metadata")) {
    if (const Json* mf = FindMember(*m, "managedFields"); mf && !mf->is_null()) {
      return BadRequestError("metadata.managedFields must be nil");
    }
  }
  // The part a request does not write is reset: the status through the main resource of a type
  // with a status subresource, everything but the status through that subresource.
  Json config = applied;
  if (o.subresource == "status") {
    // Only the status: the rest of the object is the main resource's.
    JsonObject only;
    for (std::string_view k : {"apiVersion", "kind", "metadata", "status"}) {
      if (const Json* v = config.get_object().if_contains(k)) only[k] = *v;
    }
    if (Json* m = only.if_contains("metadata"); m && m->is_object()) {
      JsonObject names;
      for (std::string_view k : {"name", "namespace", "resourceVersion"}) {
        if (const Json* v = m->get_object().if_contains(k)) names[k] = *v;
      }
      *m = std::move(names);
    }
    config = std::move(only);
  } else if (o.has_status) {
    config.get_object().erase("status");
  }
  Json live = live_in.is_null() ? Json(JsonObject()) : WithoutManagedFields(live_in);
  ManagedFields managed = live_in.is_null() ? ManagedFields() : DecodeOrNone(live_in);
  FieldSet ignored = IgnoredFields(o);
  KSTACK_ASSIGN_OR_RETURN(FieldSet applied_set, FieldSetOf(config, o.schema));
  applied_set = applied_set.RecursiveDifference(ignored);
  KSTACK_ASSIGN_OR_RETURN(Json merged, MergeApplied(live, config, o.schema));

  ManagedFieldsEntry self{.manager = o.manager,
                          .operation = "Apply",
                          .api_version = o.api_version,
                          .subresource = o.subresource};
  FieldSet last;
  bool new_entry = false;
  if (ManagedFieldsEntry* own = FindEntry(managed, self)) {
    last = std::move(own->fields);
    own->fields = applied_set;
    own->api_version = o.api_version;
  } else {
    new_entry = true;
    self.fields = applied_set;
    managed.push_back(self);
  }
  // What the manager stopped applying goes, unless someone (the manager too) still owns it:
  // the fields of the merged object at or under what the manager owned before and nobody owns
  // now. (Taking them from the merged object's own field set keeps a struct that the manager
  // owned as a whole but still applies fields of.)
  if (!last.empty()) {
    FieldSet owned;
    for (const ManagedFieldsEntry& e : managed) owned = owned.Union(e.fields);
    Result<FieldSet> merged_fields = FieldSetOf(merged, o.schema);
    FieldSet candidates = merged_fields.ok() ? merged_fields->Within(last) : last;
    RemoveFields(merged, candidates.Difference(owned), o.schema);
  }

  Comparison c = CompareObjects(live, merged, o.schema);
  FieldSet changed = c.modified.Union(c.added).RecursiveDifference(ignored);
  // Each other manager's fields that the apply changes.
  std::vector<std::pair<const ManagedFieldsEntry*, FieldSet>> taken;
  FieldSet conflicting;
  for (const ManagedFieldsEntry& e : managed) {
    if (e.SameIdentity(self)) continue;
    FieldSet theirs = e.fields.Intersection(changed);
    if (theirs.empty()) continue;
    conflicting = conflicting.Union(theirs);
    taken.emplace_back(&e, std::move(theirs));
  }
  if (!conflicting.empty() && !force) {
    // The upgrade from client-side apply takes what the last-applied configuration still holds;
    // any other conflict is named.
    std::optional<FieldSet> allowed;
    if (o.manager == kKubectlManager) allowed = LastAppliedFields(live, o.api_version, o.schema);
    std::vector<FieldConflict> conflicts;
    for (const auto& [entry, fields] : taken) {
      FieldSet named = allowed ? fields.Difference(*allowed) : fields;
      for (std::string& path : named.PathStrings()) {
        conflicts.push_back({.manager = entry->Describe(), .path = std::move(path)});
      }
    }
    if (!conflicts.empty()) return ApplyConflictError(std::move(conflicts));
  }
  // Others lose the fields taken from them and the fields the apply removed.
  for (ManagedFieldsEntry& e : managed) {
    if (!e.SameIdentity(self)) e.fields = e.fields.Difference(conflicting).Difference(c.removed);
  }
  bool object_changed = merged != live;
  if (o.manager == kKubectlManager && !LastAppliedText(live).empty()) {
    Json& metadata = merged.as_object()["metadata"];
    if (!metadata.is_object()) metadata = JsonObject();
    Json& annotations = metadata.get_object()["annotations"];
    if (!annotations.is_object()) annotations = JsonObject();
    annotations.get_object()[kLastApplied] = LastAppliedOf(config);
  }
  if (object_changed || new_entry) FindEntry(managed, self)->time = o.now;
  EncodeManagedFields(merged, std::move(managed));
  return merged;
}

}  // namespace kstack::machinery
