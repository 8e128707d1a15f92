#include "gitops/sync/task.h"

namespace kstack::gitops::sync {

std::string ResourceKey::ToString() const {
  return group + "/" + kind + "/" + namespace_ + "/" + name;
}

std::string_view ActionName(Action action) {
  switch (action) {
    case Action::kApply:
      return "apply";
    case Action::kCreate:
      return "create";
    case Action::kReplace:
      return "replace";
    case Action::kUpdate:
      return "update";
    case Action::kDeleteHookBeforeCreate:
      return "delete-hook-before-create";
    case Action::kPrune:
      return "prune";
    case Action::kPruneDisabled:
      return "prune-disabled";
    case Action::kRequiresPruning:
      return "requires-pruning";
    case Action::kDelete:
      return "delete";
    case Action::kKeep:
      return "keep";
  }
  return "";
}

std::string FormatTask(const Task& task) {
  std::string out(PhaseName(task.phase));
  out += ' ';
  out += std::to_string(task.wave);
  out += ' ';
  out += task.resource.kind;
  out += ' ';
  if (!task.resource.namespace_.empty()) out += task.resource.namespace_ + "/";
  out += task.resource.name;
  out += ' ';
  out += ActionName(task.action);
  if (task.hook) {
    out += " hook=";
    for (size_t i = 0; i < task.hook_delete_policies.size(); ++i) {
      if (i > 0) out += ',';
      out += HookDeletePolicyName(task.hook_delete_policies[i]);
    }
  }
  for (const std::string& option : task.options.Describe()) {
    out += ' ';
    out += option;
  }
  return out;
}

std::string FormatTasks(const std::vector<Task>& tasks) {
  std::string out;
  for (const Task& task : tasks) {
    out += FormatTask(task);
    out += '\n';
  }
  return out;
}

}  // namespace kstack::gitops::sync
