#include "gitops/sync/plan.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <set>
#include <utility>

#include "gitops/sync/internal/object_checks.h"
#include "gitops/sync/internal/scopes.h"
#include "gitops/sync/internal/wave_moves.h"
#include "gitops/sync/kind_order.h"
#include "gitops/sync/waves.h"

namespace kstack::gitops::sync {
namespace {

using internal::Annotation;
using internal::CrdDefines;
using internal::IsCrd;
using internal::MirrorPruneWaves;
using internal::MovePruneLastTasks;
using internal::ObjectHeader;
using internal::PullDependenciesForward;
using internal::ReadHeader;
using internal::Scope;
using internal::Scopes;

struct LiveEntry {
  const Json* object = nullptr;
  ObjectHeader header;
  ResourceKey key;
  bool claimed = false;  // a desired object or hook stands for it: not a prune candidate
};

class LiveIndex {
 public:
  Status Add(const Json& object, size_t index) {
    KSTACK_ASSIGN_OR_RETURN(ObjectHeader header, ReadHeader(object, "live object", index));
    if (header.name.empty()) {
      return InvalidError(header.description + ": metadata.name is missing");
    }
    ResourceKey key{header.group, header.kind, header.namespace_, header.name};
    auto [it, inserted] = index_.emplace(key, entries_.size());
    if (!inserted) {
      return InvalidError(header.description + ": the same object as " +
                          entries_[it->second].header.description);
    }
    entries_.push_back(LiveEntry{&object, std::move(header), std::move(key)});
    return Status::Ok();
  }

  // The entry at `key`, or (when `also_cluster_scoped`) at `key` without a namespace.
  LiveEntry* Find(const ResourceKey& key, bool also_cluster_scoped) {
    if (auto it = index_.find(key); it != index_.end()) return &entries_[it->second];
    if (also_cluster_scoped && !key.namespace_.empty()) {
      ResourceKey cluster = key;
      cluster.namespace_.clear();
      if (auto it = index_.find(cluster); it != index_.end()) return &entries_[it->second];
    }
    return nullptr;
  }

  std::vector<LiveEntry>& entries() { return entries_; }

 private:
  std::vector<LiveEntry> entries_;
  std::map<ResourceKey, size_t> index_;
};

// The name given to a hook with only generateName: stable for one sync (revision and start
// time), different for each phase the hook runs in.
std::string GeneratedHookName(std::string_view generate_name, Phase phase,
                              const PlanOptions& options) {
  std::string revision =
      options.revision.size() >= 8 ? options.revision.substr(0, 7) : options.revision;
  std::string suffix =
      revision + "-" + std::string(PhaseName(phase)) + "-" + std::to_string(options.started_at);
  for (char& c : suffix) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return std::string(generate_name) + suffix;
}

bool Has(const std::vector<HookDeletePolicy>& policies, HookDeletePolicy policy) {
  return std::find(policies.begin(), policies.end(), policy) != policies.end();
}

bool IsTrue(const std::optional<bool>& value) { return value.has_value() && *value; }
bool IsFalse(const std::optional<bool>& value) { return value.has_value() && !*value; }

SyncOptionList LiveOptions(const Json* live) {
  if (live == nullptr) return {};
  std::optional<std::string_view> text = Annotation(*live, kSyncOptionsAnnotation);
  return text ? ParseLiveSyncOptions(*text) : SyncOptionList{};
}

// The options of a task that applies `target` (with `live` when there is one).
TaskOptions ApplyOptions(const SyncOptionList& app, const SyncOptionList& own,
                         const SyncOptionList& live, bool operation_force, bool crd_in_sync) {
  TaskOptions o;
  o.server_side_apply = !IsFalse(own.server_side_apply) &&
                        (IsTrue(app.server_side_apply) || IsTrue(own.server_side_apply));
  o.replace = IsTrue(app.replace) || IsTrue(own.replace) || IsTrue(live.replace);
  o.force = operation_force || IsTrue(app.force) || IsTrue(own.force) || IsTrue(live.force);
  o.validate = !IsFalse(app.validate) && !IsFalse(own.validate);
  o.skip_dry_run_on_missing_resource = IsTrue(app.skip_dry_run_on_missing_resource) ||
                                       IsTrue(own.skip_dry_run_on_missing_resource) || crd_in_sync;
  o.delete_ = own.delete_.value_or(app.delete_.value_or(Permission::kAllow));
  o.apply_out_of_sync_only =
      own.apply_out_of_sync_only.value_or(app.apply_out_of_sync_only.value_or(false));
  return o;
}

Action ApplyAction(const Task& task) {
  if (task.hook && !task.live.is_null() &&
      Has(task.hook_delete_policies, HookDeletePolicy::kBeforeHookCreation)) {
    return Action::kDeleteHookBeforeCreate;
  }
  if (!task.options.replace) return Action::kApply;
  if (task.live.is_null()) return Action::kCreate;
  // Replacing a CRD or a Namespace would delete everything it holds.
  if (IsCrd(task.resource.group, task.resource.kind) || task.resource.kind == "Namespace") {
    return Action::kUpdate;
  }
  return Action::kReplace;
}

// Sets metadata.namespace, metadata.name and the hook finalizer of a copy of `object`.
Json TargetOf(const Json& object, const std::string& fill_namespace, const std::string& name,
              bool hook) {
  Json target = object;
  JsonObject& metadata = target.as_object()["metadata"].as_object();
  if (!fill_namespace.empty()) metadata["namespace"] = fill_namespace;
  const Json* existing = metadata.if_contains("name");
  if (existing == nullptr || !existing->is_string() || existing->get_string().empty()) {
    metadata["name"] = name;
  }
  if (hook) {
    Json& finalizers = metadata["finalizers"];
    if (!finalizers.is_array()) finalizers = JsonArray();
    JsonArray& list = finalizers.as_array();
    bool present = std::any_of(list.begin(), list.end(), [](const Json& f) {
      return f.is_string() && f.get_string() == kHookFinalizer;
    });
    if (!present) list.emplace_back(kHookFinalizer);
  }
  return target;
}

SortKey KeyOf(const Task& t) {
  return SortKey{.phase = PhaseRank(t.phase),
                 .wave = t.wave,
                 .kind_order = KindOrder(t.resource.kind),
                 .name = t.resource.name,
                 .kind = t.resource.kind,
                 .group = t.resource.group,
                 .namespace_ = t.resource.namespace_,
                 .action = static_cast<int>(t.action)};
}

}  // namespace

Result<Plan> PlanSync(std::span<const Json> desired, std::span<const Json> live,
                      const PlanOptions& options) {
  KSTACK_ASSIGN_OR_RETURN(SyncOptionList app,
                          ParseSyncOptions(options.sync_options, "syncOptions"));

  LiveIndex lives;
  for (size_t i = 0; i < live.size(); ++i) KSTACK_RETURN_IF_ERROR(lives.Add(live[i], i));

  std::vector<ObjectHeader> headers;
  headers.reserve(desired.size());
  for (size_t i = 0; i < desired.size(); ++i) {
    KSTACK_ASSIGN_OR_RETURN(ObjectHeader header, ReadHeader(desired[i], "desired object", i));
    headers.push_back(std::move(header));
  }

  Scopes scopes(options.is_namespaced);
  std::set<std::string> crds_in_sync;  // "group/kind" of custom resources defined by desired CRDs
  for (size_t i = 0; i < desired.size(); ++i) {
    if (!IsCrd(headers[i].group, headers[i].kind)) continue;
    scopes.AddCrd(desired[i]);
    if (std::optional<std::string> defines = CrdDefines(desired[i])) {
      crds_in_sync.insert(*defines);
    }
  }
  for (const LiveEntry& entry : lives.entries()) {
    if (IsCrd(entry.key.group, entry.key.kind)) scopes.AddCrd(*entry.object);
  }

  std::vector<Task> tasks;
  std::map<ResourceKey, size_t> claimed_by;  // desired object at each key
  auto claim = [&](const ResourceKey& key, size_t i) -> Status {
    auto [it, inserted] = claimed_by.emplace(key, i);
    if (!inserted) {
      return InvalidError(headers[i].description + ": the same object as " +
                          headers[it->second].description);
    }
    return Status::Ok();
  };

  for (size_t i = 0; i < desired.size(); ++i) {
    const Json& object = desired[i];
    const ObjectHeader& h = headers[i];
    Result<HookInfo> hook = ReadHook(object);
    if (!hook.ok()) return hook.status().WithContext(h.description);
    Result<int64_t> wave = WaveOf(object);
    if (!wave.ok()) return wave.status().WithContext(h.description);
    std::optional<std::string_view> own_text = Annotation(object, kSyncOptionsAnnotation);
    KSTACK_ASSIGN_OR_RETURN(
        SyncOptionList own,
        ParseSyncOptionsAnnotation(own_text.value_or(""),
                                   h.description + ": " + std::string(kSyncOptionsAnnotation)));

    Scope scope = scopes.Of(h.group, h.kind);
    std::string fill_namespace =
        scope != Scope::kCluster && h.namespace_.empty() ? options.namespace_ : std::string();
    std::string ns = scope == Scope::kCluster
                         ? std::string()
                         : (h.namespace_.empty() ? options.namespace_ : h.namespace_);
    bool crd_in_sync = crds_in_sync.count(h.group + "/" + h.kind) > 0;

    if (!hook->is_hook) {
      if (h.name.empty()) {
        return InvalidError(h.description +
                            ": metadata.name is missing (only hooks may have generateName alone)");
      }
      ResourceKey key{h.group, h.kind, ns, h.name};
      KSTACK_RETURN_IF_ERROR(claim(key, i));
      LiveEntry* entry = lives.Find(key, scope == Scope::kUnknown);
      if (entry != nullptr) entry->claimed = true;
      if (hook->skip) continue;
      Task t;
      t.phase = Phase::kSync;
      t.wave = *wave;
      t.resource = entry != nullptr ? entry->key : key;
      t.target = TargetOf(object, fill_namespace, h.name, false);
      if (entry != nullptr) t.live = *entry->object;
      SyncOptionList live_options = LiveOptions(entry != nullptr ? entry->object : nullptr);
      t.options = ApplyOptions(app, own, live_options, options.force, crd_in_sync);
      t.action = ApplyAction(t);
      tasks.push_back(std::move(t));
      continue;
    }

    if (h.name.empty() && h.generate_name.empty()) {
      return InvalidError(h.description + ": metadata.name and metadata.generateName are missing");
    }
    if (!h.name.empty()) KSTACK_RETURN_IF_ERROR(claim({h.group, h.kind, ns, h.name}, i));
    if (options.skip_hooks) continue;
    for (Phase phase : hook->phases) {
      std::string name =
          h.name.empty() ? GeneratedHookName(h.generate_name, phase, options) : h.name;
      ResourceKey key{h.group, h.kind, ns, name};
      if (h.name.empty()) KSTACK_RETURN_IF_ERROR(claim(key, i));
      // A hook's live copy (from an earlier sync) is found whatever the scope. It is the
      // hook's to delete or keep, never a prune candidate (even when it was an ordinary
      // resource before: pruning it by name would delete the hook just created).
      LiveEntry* entry = lives.Find(key, true);
      if (entry != nullptr) entry->claimed = true;
      Task t;
      t.phase = phase;
      t.wave = *wave;
      t.resource = entry != nullptr ? entry->key : key;
      t.hook = true;
      t.hook_delete_policies = hook->delete_policies;
      t.target = TargetOf(object, fill_namespace, name, true);
      if (entry != nullptr) t.live = *entry->object;
      SyncOptionList live_options = LiveOptions(entry != nullptr ? entry->object : nullptr);
      t.options = ApplyOptions(app, own, live_options, options.force, crd_in_sync);
      t.action = ApplyAction(t);
      tasks.push_back(std::move(t));
    }
  }

  // The destination namespace, when the application creates it and Git does not declare it.
  if (IsTrue(app.create_namespace) && !options.namespace_.empty() &&
      claimed_by.count(ResourceKey{"", "Namespace", "", options.namespace_}) == 0) {
    LiveEntry* entry = lives.Find(ResourceKey{"", "Namespace", "", options.namespace_}, false);
    if (entry != nullptr) entry->claimed = true;  // not pruned by the sync that creates it
    const Json& meta = options.managed_namespace_metadata;
    bool has_metadata = meta.is_object() && !meta.get_object().empty();
    if (entry == nullptr || has_metadata) {
      JsonObject metadata{{"name", options.namespace_}};
      for (std::string_view field : {"labels", "annotations"}) {
        if (const JsonObject* values = meta.is_object() ? FindObject(meta, field) : nullptr) {
          metadata[field] = *values;
        }
      }
      Task t;
      t.phase = Phase::kPreSync;
      t.resource = ResourceKey{"", "Namespace", "", options.namespace_};
      t.target = JsonObject{{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", metadata}};
      if (entry != nullptr) t.live = *entry->object;
      t.action = Action::kApply;
      tasks.push_back(std::move(t));
    }
  }

  // Live objects no desired object stands for.
  for (const LiveEntry& entry : lives.entries()) {
    if (entry.claimed || ReadLiveRole(*entry.object) != LiveRole::kResource) continue;
    Task t;
    t.phase = Phase::kSync;
    t.wave = LiveWaveOf(*entry.object);
    t.resource = entry.key;
    t.live = *entry.object;
    SyncOptionList own = LiveOptions(entry.object);
    t.options.prune = own.prune.value_or(app.prune.value_or(Permission::kAllow));
    t.options.delete_ = own.delete_.value_or(app.delete_.value_or(Permission::kAllow));
    t.options.prune_last = IsTrue(app.prune_last) || IsTrue(own.prune_last);
    if (!options.prune) {
      t.action = Action::kRequiresPruning;
    } else if (t.options.prune == Permission::kDisabled) {
      t.action = Action::kPruneDisabled;
    } else {
      t.action = Action::kPrune;
    }
    tasks.push_back(std::move(t));
  }

  MirrorPruneWaves(&tasks);
  MovePruneLastTasks(&tasks);
  PullDependenciesForward(&tasks);

  for (Task& t : tasks) t.key = KeyOf(t);
  std::sort(tasks.begin(), tasks.end(), [](const Task& a, const Task& b) { return a.key < b.key; });

  // ApplyOutOfSyncOnly: resources already in sync are not applied again.
  std::erase_if(tasks, [&](const Task& t) {
    if (t.hook || t.target.is_null() || t.live.is_null() || !t.options.apply_out_of_sync_only) {
      return false;
    }
    auto it = options.sync_status.find(t.resource);
    return it != options.sync_status.end() && it->second == SyncStatus::kSynced;
  });

  return Plan{std::move(tasks)};
}

}  // namespace kstack::gitops::sync
