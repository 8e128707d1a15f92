#include "gitops/diff/compare_app.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json/monotonic_resource.hpp>
#include <map>
#include <set>

#include "gitops/diff/internal/diff_prepared.h"
#include "gitops/diff/internal/json_util.h"
#include "machinery/resource_types.h"

namespace kstack::gitops::diff {
namespace {

constexpr std::string_view kHookAnnotation = "argocd.argoproj.io/hook";
constexpr std::string_view kHelmHookAnnotation = "helm.sh/hook";
constexpr std::string_view kCompareOptionsAnnotation = "argocd.argoproj.io/compare-options";

std::string_view Annotation(const Json& object, std::string_view key) {
  const Json* metadata = FindMember(object, "metadata");
  const Json* annotations = metadata ? FindMember(*metadata, "annotations") : nullptr;
  return annotations ? FindString(*annotations, key) : "";
}

bool IsHook(const Json& object) {
  if (!Annotation(object, kHookAnnotation).empty()) return true;
  // Helm's crd-install is not a hook in Argo CD's reading: the CRDs are ordinary resources.
  std::string_view helm = Annotation(object, kHelmHookAnnotation);
  return !helm.empty() && helm != "crd-install";
}

bool HasOption(std::string_view options, std::string_view wanted) {
  size_t start = 0;
  while (start <= options.size()) {
    size_t comma = options.find(',', start);
    std::string_view option = options.substr(
        start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    while (!option.empty() && option.front() == ' ') option.remove_prefix(1);
    while (!option.empty() && option.back() == ' ') option.remove_suffix(1);
    if (option == wanted) return true;
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return false;
}

bool HasOwners(const Json& object) {
  const Json* metadata = FindMember(object, "metadata");
  const JsonArray* owners = metadata ? FindArray(*metadata, "ownerReferences") : nullptr;
  return owners != nullptr && !owners->empty();
}

// Built-in kinds by group and kind (any version): namespaced or not.
std::optional<bool> BuiltinNamespaced(std::string_view group, std::string_view kind) {
  static const auto* table = [] {
    auto* t = new std::map<std::pair<std::string, std::string>, bool>();
    for (const machinery::ResourceType& type : machinery::BuiltinResourceTypes()) {
      t->emplace(std::make_pair(std::string(type.group), std::string(type.kind)), type.namespaced);
    }
    return t;
  }();
  auto it = table->find(std::make_pair(std::string(group), std::string(kind)));
  if (it == table->end()) return std::nullopt;
  return it->second;
}

Status CheckObject(const Json& object, std::string_view what, size_t index) {
  if (!object.is_object()) {
    return BadRequestError(fmt::format("{} object {}: not a JSON object", what, index + 1));
  }
  ResourceKey key = ResourceKey::Of(object);
  if (key.kind.empty() || key.name.empty()) {
    return BadRequestError(
        fmt::format("{} object {}: has no kind or no metadata.name", what, index + 1));
  }
  return Status::Ok();
}

void SetNamespace(Json& object, const std::string& ns) {
  Json& metadata = object.get_object()["metadata"];
  if (!metadata.is_object()) metadata = JsonObject();
  if (ns.empty()) {
    metadata.get_object().erase("namespace");
  } else {
    metadata.get_object()["namespace"] = ns;
  }
}

}  // namespace

std::string_view ResourceStatusName(ResourceStatus status) {
  switch (status) {
    case ResourceStatus::kSynced:
      return "Synced";
    case ResourceStatus::kOutOfSync:
      return "OutOfSync";
    case ResourceStatus::kMissing:
      return "Missing";
    case ResourceStatus::kExtraneous:
      return "Extraneous";
  }
  return "";
}

std::string AppComparison::DiffText() const {
  std::string out;
  for (const ResourceComparison& r : resources) {
    if (!r.Counts() || r.status == ResourceStatus::kSynced) continue;
    std::string text = r.diff.text.empty() ? RenderDiffText(r.diff) : r.diff.text;
    if (text.empty()) continue;
    if (!out.empty()) out += "\n";
    out += "===== " + r.key.ToString() + " ======\n";
    out += text;
  }
  return out;
}

Result<AppComparison> CompareApp(std::span<const Json> desired, std::span<const Json> live,
                                 const AppCompareOptions& options) {
  const Tracking& tracking = options.tracking;
  std::map<ResourceKey, const Json*> live_by_key;
  std::set<std::tuple<std::string, std::string, std::string>> cluster_scoped_live;
  for (size_t i = 0; i < live.size(); ++i) {
    KSTACK_RETURN_IF_ERROR(CheckObject(live[i], "live", i));
    ResourceKey key = ResourceKey::Of(live[i]);
    if (key.ns.empty()) cluster_scoped_live.emplace(key.group, key.kind, key.name);
    live_by_key[key] = &live[i];
  }
  auto namespaced = [&](const ResourceKey& key) -> std::optional<bool> {
    if (std::optional<bool> builtin = BuiltinNamespaced(key.group, key.kind)) return builtin;
    if (options.namespaced) {
      if (std::optional<bool> known = options.namespaced(key.group, key.kind)) return known;
    }
    if (cluster_scoped_live.count({key.group, key.kind, key.name}) > 0) return false;
    return std::nullopt;
  };

  // Working copies live in a scratch arena dropped on return; the values of the result share
  // one arena of their own, freed with the last of them.
  auto scratch = boost::json::make_shared_resource<boost::json::monotonic_resource>();
  auto results = boost::json::make_shared_resource<boost::json::monotonic_resource>();

  AppComparison out;
  std::map<ResourceKey, Json> desired_by_key;
  std::map<ResourceKey, int> times;
  for (size_t i = 0; i < desired.size(); ++i) {
    KSTACK_RETURN_IF_ERROR(CheckObject(desired[i], "desired", i));
    Json object(desired[i], scratch);
    ResourceKey key = ResourceKey::Of(object);
    std::optional<bool> scope = namespaced(key);
    if (scope == std::optional<bool>(false) && !key.ns.empty()) {
      key.ns.clear();  // a namespace on a cluster-scoped object means nothing
      SetNamespace(object, "");
    } else if (scope != std::optional<bool>(false) && key.ns.empty() &&
               !tracking.destination_namespace.empty()) {
      key.ns = tracking.destination_namespace;
      SetNamespace(object, key.ns);
    }
    SetTracking(object, tracking);
    ++times[key];
    desired_by_key.insert_or_assign(key, std::move(object));
  }
  for (const auto& [key, n] : times) {
    if (n > 1) out.warnings.push_back(fmt::format("{} appeared {} times", key.ToString(), n));
  }

  // Resources in key order: desired ones and extraneous ones interleaved as their keys sort.
  // DiffInputs are built, never assigned: assigning a value across storages copies it.
  auto add_desired = [&](const ResourceKey& key, Json& object) {
    auto found = live_by_key.find(key);
    bool missing = found == live_by_key.end();
    bool hook = IsHook(object);
    internal::DiffInputs in{
        .desired = std::move(object),
        .live_source = missing ? nullptr : found->second,
        .live = missing ? Json() : internal::CopyLive(*found->second, options.diff, results)};
    if (!missing) NormalizeTracking(in.desired, in.live, tracking);
    ResourceDiff diff = internal::DiffPrepared(std::move(in), options.diff, results, scratch);
    ResourceStatus status = missing                              ? ResourceStatus::kMissing
                            : diff.status == SyncStatus::kSynced ? ResourceStatus::kSynced
                                                                 : ResourceStatus::kOutOfSync;
    out.resources.push_back(
        ResourceComparison{.key = key, .status = status, .hook = hook, .diff = std::move(diff)});
  };
  auto add_extraneous = [&](const ResourceKey& key, const Json& object) {
    if (HasOwners(object) || IsHook(object)) return;
    if (!tracking.app.empty() && !IsTracked(object, tracking)) return;
    internal::DiffInputs in{.live_source = &object,
                            .live = internal::CopyLive(object, options.diff, results)};
    out.resources.push_back(ResourceComparison{
        .key = key,
        .status = ResourceStatus::kExtraneous,
        .ignore_extraneous =
            HasOption(Annotation(object, kCompareOptionsAnnotation), "IgnoreExtraneous"),
        .diff = internal::DiffPrepared(std::move(in), options.diff, results, scratch)});
  };
  out.resources.reserve(desired_by_key.size() + live_by_key.size());
  auto d = desired_by_key.begin();
  auto l = live_by_key.begin();
  while (d != desired_by_key.end() || l != live_by_key.end()) {
    if (l == live_by_key.end() || (d != desired_by_key.end() && d->first <= l->first)) {
      if (l != live_by_key.end() && d->first == l->first) ++l;
      add_desired(d->first, d->second);
      ++d;
    } else {
      add_extraneous(l->first, *l->second);
      ++l;
    }
  }
  for (const ResourceComparison& r : out.resources) {
    if (r.Counts() && r.status != ResourceStatus::kSynced) out.status = SyncStatus::kOutOfSync;
  }
  return out;
}

}  // namespace kstack::gitops::diff
