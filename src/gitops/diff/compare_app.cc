#include "gitops/diff/compare_app.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json/monotonic_resource.hpp>
#include <map>
#include <optional>
#include <set>

#include "core/parallel.h"
#include "gitops/diff/internal/diff_prepared.h"
#include "gitops/diff/internal/json_util.h"
#include "machinery/resource_types.h"

namespace kstack::gitops::diff {
namespace {

constexpr std::string_view kHookAnnotation = "argocd.argoproj.io/hook";
constexpr std::string_view kHelmHookAnnotation = "helm.sh/hook";
constexpr std::string_view kCompareOptionsAnnotation = "argocd.argoproj.io/compare-options";
// Below this many resources per thread, threads cost more than they save.
constexpr size_t kParallelResourcesPerThread = 100;

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

  // A desired object as it will be compared: `ns` is the namespace to set (empty: remove it)
  // when it must change.
  struct Desired {
    const Json* source;
    std::optional<std::string> ns;
  };
  AppComparison out;
  std::map<ResourceKey, Desired> desired_by_key;
  std::map<ResourceKey, int> times;
  for (size_t i = 0; i < desired.size(); ++i) {
    // A hook named by generateName only has no live copy to compare with until it runs (and
    // then a name of its own): it takes no part in the comparison.
    if (desired[i].is_object() && IsHook(desired[i]) && ResourceKey::Of(desired[i]).name.empty()) {
      const Json* metadata = FindMember(desired[i], "metadata");
      if (metadata != nullptr && !FindString(*metadata, "generateName").empty()) continue;
    }
    KSTACK_RETURN_IF_ERROR(CheckObject(desired[i], "desired", i));
    ResourceKey key = ResourceKey::Of(desired[i]);
    std::optional<bool> scope = namespaced(key);
    Desired d{.source = &desired[i]};
    if (scope == std::optional<bool>(false) && !key.ns.empty()) {
      key.ns.clear();  // a namespace on a cluster-scoped object means nothing
      d.ns = "";
    } else if (scope != std::optional<bool>(false) && key.ns.empty() &&
               !tracking.destination_namespace.empty()) {
      key.ns = tracking.destination_namespace;
      d.ns = key.ns;
    }
    ++times[key];
    desired_by_key.insert_or_assign(key, d);
  }
  for (const auto& [key, n] : times) {
    if (n > 1) out.warnings.push_back(fmt::format("{} appeared {} times", key.ToString(), n));
  }

  // The comparisons to make, in key order: desired resources and extraneous ones interleaved
  // as their keys sort.
  struct Task {
    const ResourceKey* key;
    const Desired* desired = nullptr;  // null: extraneous
    const Json* live = nullptr;        // null: missing
  };
  std::vector<Task> tasks;
  tasks.reserve(desired_by_key.size() + live_by_key.size());
  auto d = desired_by_key.begin();
  auto l = live_by_key.begin();
  while (d != desired_by_key.end() || l != live_by_key.end()) {
    if (l == live_by_key.end() || (d != desired_by_key.end() && d->first <= l->first)) {
      const Json* live_object = nullptr;
      if (l != live_by_key.end() && d->first == l->first) live_object = (l++)->second;
      tasks.push_back({.key = &d->first, .desired = &d->second, .live = live_object});
      ++d;
    } else {
      const Json& object = *l->second;
      bool counts = !HasOwners(object) && !IsHook(object) &&
                    (tracking.app.empty() || IsTracked(object, tracking));
      if (counts) tasks.push_back({.key = &l->first, .live = &object});
      ++l;
    }
  }

  // Resources compare independently, on several threads for a large app. Each range of tasks
  // has its own arenas (they are not thread-safe): working copies in a scratch arena dropped
  // when the range is done, the values of the result in one freed with the last of them.
  // DiffInputs are built, never assigned: assigning a value across storages copies it.
  auto compare = [&](const Task& task, boost::json::storage_ptr results,
                     boost::json::storage_ptr scratch) {
    if (task.desired == nullptr) {
      internal::DiffInputs in{.live_source = task.live,
                              .live = internal::CopyLive(*task.live, options.diff, results)};
      return ResourceComparison{
          .key = *task.key,
          .status = ResourceStatus::kExtraneous,
          .ignore_extraneous =
              HasOption(Annotation(*task.live, kCompareOptionsAnnotation), "IgnoreExtraneous"),
          .diff = internal::DiffPrepared(std::move(in), options.diff, results, scratch)};
    }
    Json object(*task.desired->source, scratch);
    if (task.desired->ns) SetNamespace(object, *task.desired->ns);
    SetTracking(object, tracking);
    bool missing = task.live == nullptr;
    bool hook = IsHook(object);
    internal::DiffInputs in{
        .desired = std::move(object),
        .live_source = task.live,
        .live = missing ? Json() : internal::CopyLive(*task.live, options.diff, results)};
    if (!missing) NormalizeTracking(in.desired, in.live, tracking);
    ResourceDiff diff = internal::DiffPrepared(std::move(in), options.diff, results, scratch);
    ResourceStatus status = missing                              ? ResourceStatus::kMissing
                            : diff.status == SyncStatus::kSynced ? ResourceStatus::kSynced
                                                                 : ResourceStatus::kOutOfSync;
    return ResourceComparison{
        .key = *task.key, .status = status, .hook = hook, .diff = std::move(diff)};
  };
  std::vector<std::optional<ResourceComparison>> compared(tasks.size());
  std::vector<size_t> weights(tasks.size(), 1);
  ForEachRange(weights, kParallelResourcesPerThread, [&](size_t begin, size_t end) {
    auto scratch = boost::json::make_shared_resource<boost::json::monotonic_resource>();
    auto results = boost::json::make_shared_resource<boost::json::monotonic_resource>();
    for (size_t i = begin; i < end; ++i) compared[i] = compare(tasks[i], results, scratch);
  });
  out.resources.reserve(tasks.size());
  for (std::optional<ResourceComparison>& r : compared) out.resources.push_back(std::move(*r));
  for (const ResourceComparison& r : out.resources) {
    if (r.Counts() && r.status != ResourceStatus::kSynced) out.status = SyncStatus::kOutOfSync;
  }
  return out;
}

}  // namespace kstack::gitops::diff
