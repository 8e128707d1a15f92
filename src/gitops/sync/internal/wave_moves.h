#pragma once

// The waves planning moves before sorting, each a pass over all tasks. Prune tasks are those
// without a target.

#include <vector>

#include "gitops/sync/task.h"

namespace kstack::gitops::sync::internal {

// Pruning runs in reverse wave order: the distinct waves of the prune tasks are mirrored among
// themselves (lowest with highest, and so on inward), so that what was created last is
// deleted first. Other tasks keep their waves.
void MirrorPruneWaves(std::vector<Task>* tasks);

// Prune tasks with PruneLast run in a wave of their own after every Sync-phase wave (the
// highest Sync-phase wave, mirrored prune waves included, plus 1; at least 1).
void MovePruneLastTasks(std::vector<Task>* tasks);

// A Namespace (core group) moves into the phase and wave of the earliest task of an object in
// it, and a CustomResourceDefinition into those of the earliest of its custom resources, when
// those come earlier than its own. Prune tasks neither move nor count.
void PullDependenciesForward(std::vector<Task>* tasks);

}  // namespace kstack::gitops::sync::internal
