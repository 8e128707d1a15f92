#include "gitops/sync/deletion.h"

#include <algorithm>
#include <map>

#include "gitops/sync/internal/object_checks.h"
#include "gitops/sync/kind_order.h"
#include "gitops/sync/waves.h"

namespace kstack::gitops::sync {

Result<std::vector<Task>> PlanDeletion(std::span<const Json> live, const DeletionOptions& options) {
  KSTACK_ASSIGN_OR_RETURN(SyncOptionList app,
                          ParseSyncOptions(options.sync_options, "syncOptions"));
  std::vector<Task> tasks;
  std::map<ResourceKey, std::string> seen;
  for (size_t i = 0; i < live.size(); ++i) {
    KSTACK_ASSIGN_OR_RETURN(internal::ObjectHeader h,
                            internal::ReadHeader(live[i], "live object", i));
    if (h.name.empty()) return InvalidError(h.description + ": metadata.name is missing");
    ResourceKey key{h.group, h.kind, h.namespace_, h.name};
    auto [it, inserted] = seen.emplace(key, h.description);
    if (!inserted) return InvalidError(h.description + ": the same object as " + it->second);

    std::optional<std::string_view> text = internal::Annotation(live[i], kSyncOptionsAnnotation);
    SyncOptionList own = text ? ParseLiveSyncOptions(*text) : SyncOptionList{};
    Task t;
    t.phase = Phase::kSync;
    t.wave = LiveWaveOf(live[i]);
    t.resource = key;
    t.live = live[i];
    t.options.delete_ = own.delete_.value_or(app.delete_.value_or(Permission::kAllow));
    // Deletion needs approval when either option asks for it.
    t.options.prune = own.prune.value_or(app.prune.value_or(Permission::kAllow));
    if (t.options.prune != Permission::kConfirm) t.options.prune = Permission::kAllow;

    bool keep_policy = false;
    if (auto policy = internal::Annotation(live[i], kHelmResourcePolicyAnnotation)) {
      std::vector<std::string> items = internal::SplitCommaList(*policy);
      keep_policy = std::find(items.begin(), items.end(), "keep") != items.end();
    }
    bool is_crd = h.group == "apiextensions.k8s.io" && h.kind == "CustomResourceDefinition";
    bool is_application = !options.application.name.empty() && key == options.application;
    t.action = t.options.delete_ == Permission::kDisabled || keep_policy || is_crd || is_application
                   ? Action::kKeep
                   : Action::kDelete;
    t.key = SortKey{.phase = PhaseRank(t.phase),
                    .wave = -t.wave,
                    .kind_order = KindOrder(key.kind),
                    .name = key.name,
                    .kind = key.kind,
                    .group = key.group,
                    .namespace_ = key.namespace_,
                    .action = static_cast<int>(t.action)};
    tasks.push_back(std::move(t));
  }
  std::sort(tasks.begin(), tasks.end(), [](const Task& a, const Task& b) { return a.key < b.key; });
  return tasks;
}

}  // namespace kstack::gitops::sync
