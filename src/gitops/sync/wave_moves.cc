#include "gitops/sync/internal/wave_moves.h"

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <utility>

#include "gitops/sync/internal/object_checks.h"

namespace kstack::gitops::sync::internal {
namespace {

bool IsPrune(const Task& task) { return task.target.is_null(); }

// One pass of PullDependenciesForward: `provides` gives the key a task provides, `needs` the
// key a task needs; a task that provides a key needs none in the same pass.
template <typename Provides, typename Needs>
void PullForward(std::vector<Task>* tasks, Provides provides, Needs needs) {
  struct Earliest {
    int rank;
    int64_t wave;
    Phase phase;
  };
  std::map<std::string, Earliest> earliest;
  for (const Task& t : *tasks) {
    if (IsPrune(t) || provides(t)) continue;
    std::optional<std::string> key = needs(t);
    if (!key) continue;
    Earliest at{PhaseRank(t.phase), t.wave, t.phase};
    auto it = earliest.find(*key);
    if (it == earliest.end()) {
      earliest.emplace(*key, at);
    } else if (std::pair(at.rank, at.wave) < std::pair(it->second.rank, it->second.wave)) {
      it->second = at;
    }
  }
  for (Task& t : *tasks) {
    if (IsPrune(t)) continue;
    std::optional<std::string> key = provides(t);
    if (!key) continue;
    auto it = earliest.find(*key);
    if (it == earliest.end()) continue;
    if (std::pair(it->second.rank, it->second.wave) < std::pair(PhaseRank(t.phase), t.wave)) {
      t.phase = it->second.phase;
      t.wave = it->second.wave;
    }
  }
}

}  // namespace

void MirrorPruneWaves(std::vector<Task>* tasks) {
  std::vector<int64_t> waves;
  for (const Task& t : *tasks) {
    if (IsPrune(t)) waves.push_back(t.wave);
  }
  std::sort(waves.begin(), waves.end());
  waves.erase(std::unique(waves.begin(), waves.end()), waves.end());
  for (Task& t : *tasks) {
    if (!IsPrune(t)) continue;
    size_t at = std::lower_bound(waves.begin(), waves.end(), t.wave) - waves.begin();
    t.wave = waves[waves.size() - 1 - at];
  }
}

void MovePruneLastTasks(std::vector<Task>* tasks) {
  int64_t last = 0;
  for (const Task& t : *tasks) {
    if (t.phase == Phase::kSync) last = std::max(last, t.wave);
  }
  for (Task& t : *tasks) {
    if (IsPrune(t) && t.options.prune_last) t.wave = last + 1;
  }
}

void PullDependenciesForward(std::vector<Task>* tasks) {
  PullForward(
      tasks,
      [](const Task& t) -> std::optional<std::string> {
        if (!IsNamespace(t.resource.group, t.resource.kind)) return std::nullopt;
        return t.resource.name;
      },
      [](const Task& t) -> std::optional<std::string> {
        if (t.resource.namespace_.empty()) return std::nullopt;
        return t.resource.namespace_;
      });
  PullForward(
      tasks,
      [](const Task& t) -> std::optional<std::string> {
        if (!IsCrd(t.resource.group, t.resource.kind)) return std::nullopt;
        return CrdDefines(t.target);
      },
      [](const Task& t) -> std::optional<std::string> {
        return t.resource.group + "/" + t.resource.kind;
      });
}

}  // namespace kstack::gitops::sync::internal
