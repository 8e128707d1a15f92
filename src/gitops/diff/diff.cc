#include "gitops/diff/diff.h"

#include <map>

#include "core/yaml.h"
#include "gitops/diff/internal/diff_prepared.h"
#include "gitops/diff/internal/json_util.h"
#include "gitops/diff/internal/managed_fields.h"
#include "gitops/diff/internal/normalize.h"
#include "gitops/diff/internal/predict.h"
#include "gitops/diff/resource_key.h"
#include "gitops/diff/unified_diff.h"
#include "machinery/builtin_schemas.h"

namespace kstack::gitops::diff {
namespace {

constexpr std::string_view kLastApplied = "kubectl.kubernetes.io/last-applied-configuration";

const Json* Metadata(const Json& object, std::string_view field) {
  const Json* metadata = FindMember(object, "metadata");
  return metadata == nullptr ? nullptr : FindMember(*metadata, field);
}

// The last applied configuration of `live`, as a value or as a skeleton (see predict.h).
struct LastApplied {
  Json value;
  bool present = false;
  bool skeleton = false;
};

LastApplied LastAppliedOf(const Json& live, const std::string& apply_manager,
                          boost::json::storage_ptr sp) {
  // Built in place: assigning a value parsed into `sp` to one of another storage copies it.
  const Json* annotations = Metadata(live, "annotations");
  std::string_view text = annotations ? FindString(*annotations, kLastApplied) : "";
  if (!text.empty()) {
    // An annotation that does not parse is no record at all, as for kubectl.
    Result<Json> parsed = ParseJson(text, kLastApplied, sp);
    if (parsed.ok() && parsed->is_object()) {
      return LastApplied{.value = std::move(*parsed), .present = true};
    }
  }
  if (apply_manager.empty()) return {};
  const Json* managed = Metadata(live, "managedFields");
  if (managed == nullptr) return {};
  std::vector<const Json*> sets = internal::FieldSetsOf(*managed, {apply_manager}, "Apply");
  if (sets.empty()) return {};
  Json skeleton = internal::AppliedSkeleton(*sets.front());
  bool present = skeleton.is_object();
  return LastApplied{.value = std::move(skeleton), .present = present, .skeleton = true};
}

// managedFieldsManagers: the trusted managers' fields on which desired and live disagree leave
// both, so they are neither a difference nor shown.
void RemoveTrustedFields(const Json& managed_fields, const std::vector<std::string>& managers,
                         Json& desired, Json& live) {
  for (const Json* fields : internal::FieldSetsOf(managed_fields, managers)) {
    for (const internal::ManagedPath& path : internal::LeafPaths(*fields)) {
      const Json* d = internal::Resolve(desired, path);
      const Json* l = internal::Resolve(live, path);
      if (d == nullptr || l == nullptr || internal::Equivalent(*d, *l)) continue;
      internal::Remove(desired, path);
      internal::Remove(live, path);
    }
  }
}

// Masks Secret data values: one run of "+" per distinct value of a key across both objects.
void HideSecretData(Json& desired, Json& live) {
  std::map<std::string, std::map<std::string, std::string>> masks;  // key -> value -> mask
  for (Json* object : {&desired, &live}) {
    Json* data = internal::MutableMember(*object, "data");
    if (data == nullptr || !data->is_object()) continue;
    for (auto& member : data->get_object()) {
      auto& by_value = masks[std::string(member.key())];
      std::string value = member.value().is_string() ? std::string(member.value().get_string())
                                                     : WriteJson(member.value());
      auto it = by_value.find(value);
      if (it == by_value.end()) {
        it = by_value.emplace(value, std::string(8 + 4 * by_value.size(), '+')).first;
      }
      member.value() = it->second;
    }
  }
}

}  // namespace

std::string RenderDiffText(const ResourceDiff& diff, int context_lines) {
  std::string before = diff.live.is_null() ? "" : WriteYaml(diff.live);
  std::string after = diff.desired.is_null() ? "" : WriteYaml(diff.desired);
  return UnifiedDiff(before, after, {.context = context_lines});
}

std::string_view SyncStatusName(SyncStatus status) {
  return status == SyncStatus::kSynced ? "Synced" : "OutOfSync";
}

namespace internal {

Json CopyLive(const Json& live, const DiffOptions& options, boost::json::storage_ptr sp) {
  std::string_view api_version = FindString(live, "apiVersion");
  bool drop_status =
      DropsStatus(options.ignore_status_field, GroupOf(api_version), FindString(live, "kind"));
  return CopyWithoutServerFields(live, drop_status, std::move(sp));
}

ResourceDiff DiffPrepared(DiffInputs in, const DiffOptions& options,
                          boost::json::storage_ptr results, boost::json::storage_ptr scratch) {
  Json& d = in.desired;
  Json& l = in.live;
  const bool has_desired = !d.is_null(), has_live = in.live_source != nullptr;
  const Json& any = has_desired ? d : *in.live_source;
  std::string api_version(FindString(any, "apiVersion"));
  std::string_view group = GroupOf(api_version);
  std::string_view version = VersionOf(api_version);
  std::string kind(FindString(any, "kind"));
  ResourceKey key = ResourceKey::Of(any);
  if (has_live) key.ns = ResourceKey::Of(*in.live_source).ns;
  const machinery::Schema* schema = options.schema_for
                                        ? options.schema_for(group, version, kind)
                                        : machinery::BuiltinSchemaFor(group, version, kind);
  NormalizeOptions normalize{.ignore_status_field = options.ignore_status_field,
                             .ignore_aggregated_roles = options.ignore_aggregated_roles};

  LastApplied last =
      has_live ? LastAppliedOf(*in.live_source, options.apply_manager, scratch) : LastApplied{};
  const Json* managed = has_live ? Metadata(*in.live_source, "managedFields") : nullptr;

  if (has_desired) Normalize(d, group, kind, schema, normalize);
  if (has_live) Normalize(l, group, kind, schema, normalize);
  if (last.present) {
    if (!last.skeleton) {
      NormalizeOptions light = normalize;
      light.typed_values = false;
      Normalize(last.value, group, kind, schema, light);
    }
    // A namespace given on the command line when applying is not in Git: it is not a field
    // that was removed.
    if (Json* metadata = MutableMember(last.value, "metadata"); metadata && metadata->is_object()) {
      metadata->get_object().erase("namespace");
    }
  }

  if (options.ignore_rules != nullptr && !options.ignore_rules->empty()) {
    if (has_desired) options.ignore_rules->Apply(key, d);
    if (has_live) options.ignore_rules->Apply(key, l);
    std::vector<std::string> trusted = options.ignore_rules->TrustedManagers(key);
    if (!trusted.empty() && has_desired && managed != nullptr) {
      RemoveTrustedFields(*managed, trusted, d, l);
    }
  }

  // The result's values are built in `results` and moved into place, never assigned: a value
  // assigned across storages is copied.
  Json predicted(results);
  SyncStatus status = SyncStatus::kOutOfSync;
  if (has_desired && has_live) {
    predicted = Json(l, results);
    bool changed = PredictLive(predicted, d, last.present ? &last.value : nullptr, schema);
    if (!changed || Equivalent(predicted, l)) status = SyncStatus::kSynced;
  } else if (has_desired) {
    predicted = Json(std::move(d), results);
  }
  Json live(has_live ? Json(std::move(l), results) : Json(results));

  if (options.hide_secret_data && group.empty() && kind == "Secret") {
    HideSecretData(predicted, live);
  }
  ResourceDiff out{.status = status, .desired = std::move(predicted), .live = std::move(live)};
  if (status == SyncStatus::kOutOfSync && options.render_text) {
    out.text = RenderDiffText(out, options.context_lines);
  }
  return out;
}

}  // namespace internal

Result<ResourceDiff> Diff(const Json* desired, const Json* live, const DiffOptions& options) {
  if (desired == nullptr && live == nullptr) {
    return BadRequestError("diff: neither a desired nor a live object to compare");
  }
  if ((desired != nullptr && !desired->is_object()) || (live != nullptr && !live->is_object())) {
    return BadRequestError("diff: a desired or live object is not a JSON object");
  }
  internal::DiffInputs in{.desired = desired != nullptr ? *desired : Json(), .live_source = live};
  if (live != nullptr) in.live = internal::CopyLive(*live, options, {});
  return internal::DiffPrepared(std::move(in), options);
}

}  // namespace kstack::gitops::diff
