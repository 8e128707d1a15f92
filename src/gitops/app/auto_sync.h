#pragma once

// Automated sync as Argo CD decides it after each comparison of an Application whose
// `spec.syncPolicy.automated` is set (and not `enabled: false`): a pure function from the
// Application, the comparison just made and the time to what the controller does next.
//
// The rules, in Argo CD's order:
//  1. nothing while an operation is set or the app is being deleted, nor unless the app is
//     OutOfSync;
//  2. without `prune`, nothing when the only differences are resources to prune;
//  3. a revision is synced automatically once: when the last sync was to the same revisions and
//     sources (targetRevision aside) and failed, nothing, with a SyncError condition
//     ("Failed last sync attempt to [<sha>]: <message>"); when it succeeded, nothing unless
//     `selfHeal`, which syncs again only the resources out of sync, after a backoff that grows
//     with each self-heal in a row (Argo CD 3: 0, 2 s, 6 s, 18 s ... at most 5 min; the count
//     starts again once a sync finished longer than the cooldown ago). Unlike Argo CD, the
//     count also starts again when the drift is not a fight: the backoff is there to stop a
//     fight with another writer over the same resources, which shows as the drift the last
//     heal corrected coming back within that heal's backoff plus one base step (2 s). Another
//     drift, or the same one later, is healed at once;
//  4. with `prune` and without `allowEmpty`, nothing when every resource would be pruned, with a
//     SyncError ("Skipping sync attempt to <sha>: auto-sync will wipe out all resources");
//  5. otherwise the `operation` that `argocd app sync` would set, marked automated, with the
//     app's retry strategy (or a limit of 5).

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/json.h"

namespace kstack::gitops::app {

// One resource of the comparison, as status.resources[] reports it.
struct ResourceState {
  std::string group, kind, ns, name;
  bool synced = false;
  bool requires_pruning = false;
};

struct Comparison {
  std::string status;                  // "Synced", "OutOfSync" or "Unknown"
  std::vector<std::string> revisions;  // the resolved revision of each source, in order
  std::vector<ResourceState> resources;
};

// Argo CD 3's --self-heal-backoff-* defaults.
struct SelfHealBackoff {
  std::chrono::nanoseconds duration = std::chrono::seconds(2);
  int64_t factor = 3;
  std::chrono::nanoseconds cap = std::chrono::minutes(5);
  std::chrono::nanoseconds cooldown = std::chrono::seconds(330);

  // The wait before self-heal number `attempts` + 1 after the last sync finished.
  std::chrono::nanoseconds Delay(int64_t attempts) const;
};

struct AutoSyncDecision {
  enum class Action {
    kNone,  // nothing to do
    kSync,  // set `operation`
    kWait,  // compare again after `retry_after`, then decide again
  };
  Action action = Action::kNone;
  std::string message;                    // why, in Argo CD's words, for the log and events
  std::optional<std::string> sync_error;  // a SyncError condition to show on the app
  Json operation;                         // kSync: the Application's new `operation`
  std::chrono::nanoseconds retry_after{0};
};

// `app` is the Application object as stored (spec, status, metadata).
AutoSyncDecision DecideAutoSync(const Json& app, const Comparison& comparison, Clock::WallTime now,
                                const SelfHealBackoff& backoff = {});

}  // namespace kstack::gitops::app
