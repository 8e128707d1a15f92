#include "gitops/app/auto_sync.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace kstack::gitops::app {
namespace {

using Action = AutoSyncDecision::Action;

const Json* Path(const Json& root, std::initializer_list<std::string_view> keys) {
  const Json* at = &root;
  for (std::string_view key : keys) {
    at = FindMember(*at, key);
    if (at == nullptr || at->is_null()) return nullptr;
  }
  return at;
}

bool Flag(const Json* object, std::string_view key) {
  const Json* value = object ? FindMember(*object, key) : nullptr;
  return value != nullptr && value->is_bool() && value->get_bool();
}

// The revisions list as Go prints a []string: "[a b]".
std::string RevisionList(const std::vector<std::string>& revisions) {
  return fmt::format("[{}]", fmt::join(revisions, " "));
}

std::string RevisionText(const std::vector<std::string>& revisions) {
  return revisions.size() == 1 ? revisions.front() : RevisionList(revisions);
}

// A source without its targetRevision: two sources that differ only there are the same.
Json WithoutTargetRevision(const Json* source) {
  if (source == nullptr || !source->is_object()) return Json();
  Json copy = *source;
  copy.get_object().erase("targetRevision");
  return copy;
}

bool SameSources(const Json& spec, const Json& sync_result, bool multi) {
  if (!multi) {
    return WithoutTargetRevision(FindMember(spec, "source")) ==
           WithoutTargetRevision(FindMember(sync_result, "source"));
  }
  const JsonArray* a = FindArray(spec, "sources");
  const JsonArray* b = FindArray(sync_result, "sources");
  if (a == nullptr || b == nullptr || a->size() != b->size()) return false;
  for (size_t i = 0; i < a->size(); ++i) {
    if (WithoutTargetRevision(&(*a)[i]) != WithoutTargetRevision(&(*b)[i])) return false;
  }
  return true;
}

std::vector<std::string> ResultRevisions(const Json& sync_result, bool multi) {
  std::vector<std::string> out;
  if (!multi) {
    out.emplace_back(FindString(sync_result, "revision"));
    return out;
  }
  if (const JsonArray* list = FindArray(sync_result, "revisions")) {
    for (const Json& r : *list) out.emplace_back(r.is_string() ? r.get_string() : "");
  }
  return out;
}

int64_t IntegerOr(const Json* object, std::string_view key, int64_t fallback) {
  const Json* value = object ? FindMember(*object, key) : nullptr;
  if (value == nullptr) return fallback;
  if (value->is_int64()) return value->get_int64();
  if (value->is_uint64()) return static_cast<int64_t>(value->get_uint64());
  return fallback;
}

}  // namespace

std::chrono::nanoseconds SelfHealBackoff::Delay(int64_t attempts) const {
  // As a Kubernetes wait.Backoff stepped `attempts` times: duration, then times factor, capped.
  double delay = 0, step = static_cast<double>(duration.count());
  for (int64_t i = 0; i < attempts; ++i) {
    delay = step;
    step = std::min(step * static_cast<double>(factor), static_cast<double>(cap.count()));
    if (cap.count() > 0) delay = std::min(delay, static_cast<double>(cap.count()));
  }
  return std::chrono::nanoseconds(static_cast<int64_t>(delay));
}

AutoSyncDecision DecideAutoSync(const Json& app, const Comparison& comparison, Clock::WallTime now,
                                const SelfHealBackoff& backoff) {
  AutoSyncDecision out;
  const Json* spec = FindMember(app, "spec");
  const Json* policy = spec ? Path(*spec, {"syncPolicy"}) : nullptr;
  const Json* automated = policy ? Path(*policy, {"automated"}) : nullptr;
  if (automated == nullptr) return out;
  if (const Json* enabled = FindMember(*automated, "enabled");
      enabled != nullptr && enabled->is_bool() && !enabled->get_bool()) {
    return out;
  }
  auto skip = [&](std::string message) {
    out.message = "Skipping auto-sync: " + std::move(message);
    return out;
  };
  if (Path(app, {"operation"}) != nullptr) return skip("another operation is in progress");
  if (Path(app, {"metadata", "deletionTimestamp"}) != nullptr) {
    return skip("deletion in progress");
  }
  if (comparison.status != "OutOfSync") {
    return skip(fmt::format("application status is {}", comparison.status));
  }
  const bool prune = Flag(automated, "prune");
  const bool self_heal = Flag(automated, "selfHeal");
  if (!prune) {
    bool prune_only =
        std::all_of(comparison.resources.begin(), comparison.resources.end(),
                    [](const ResourceState& r) { return r.synced || r.requires_pruning; });
    if (prune_only) {
      return skip("need to prune extra resources only but automated prune is disabled");
    }
  }

  const bool multi = spec != nullptr && FindArray(*spec, "sources") != nullptr &&
                     !FindArray(*spec, "sources")->empty();
  const Json* state = Path(app, {"status", "operationState"});
  const Json* result = state ? Path(*state, {"syncResult"}) : nullptr;
  const Json* last_sync = state ? Path(*state, {"operation", "sync"}) : nullptr;
  bool attempted = result != nullptr && last_sync != nullptr && spec != nullptr &&
                   ResultRevisions(*result, multi) == comparison.revisions &&
                   SameSources(*spec, *result, multi);

  Json sync = JsonObject();
  JsonObject& s = sync.get_object();
  if (multi) {
    JsonArray revisions;
    for (const std::string& r : comparison.revisions) revisions.emplace_back(r);
    s["revisions"] = std::move(revisions);
  } else {
    s["revision"] = comparison.revisions.empty() ? "" : comparison.revisions.front();
  }
  s["prune"] = prune;
  if (const Json* options = policy ? FindMember(*policy, "syncOptions") : nullptr;
      options != nullptr && options->is_array() && !options->get_array().empty()) {
    s["syncOptions"] = *options;
  }

  if (attempted) {
    std::string phase(FindString(*state, "phase"));
    if (phase != "Succeeded") {
      out.message = fmt::format("Skipping auto-sync: failed previous sync attempt to {}",
                                RevisionList(comparison.revisions));
      out.sync_error =
          fmt::format("Failed last sync attempt to {}: {}", RevisionList(comparison.revisions),
                      FindString(*state, "message"));
      return out;
    }
    if (!self_heal) {
      return skip(
          fmt::format("most recent sync already to {}", RevisionText(comparison.revisions)));
    }
    // Self-heal: the count of self-heals in a row goes on until a sync finished longer than the
    // cooldown ago.
    Clock::WallTime finished;
    bool has_finished = ParseRfc3339(FindString(*state, "finishedAt"), &finished);
    std::chrono::nanoseconds since = has_finished ? now - finished : std::chrono::nanoseconds(0);
    // The resources to heal now, as the operation names them.
    JsonArray resources;
    for (const ResourceState& r : comparison.resources) {
      if (r.synced) continue;
      resources.push_back(JsonObject{{"group", r.group}, {"kind", r.kind}, {"name", r.name}});
    }
    // A fight with another writer shows as the same drift again right after a heal (within
    // the backoff the last heal waited, plus one base step): only then does the count go on.
    const Json* healed = FindMember(*last_sync, "resources");
    bool same_drift = healed != nullptr && healed->is_array() && healed->get_array() == resources;
    int64_t previous = IntegerOr(last_sync, "selfHealAttemptsCount", 0);
    bool fighting = !has_finished || since < backoff.Delay(previous) + backoff.duration;
    int64_t attempts = same_drift && fighting && since < backoff.cooldown ? previous : 0;
    std::chrono::nanoseconds remaining = backoff.Delay(attempts) - since;
    if (remaining.count() > 0) {
      out.action = Action::kWait;
      out.retry_after = remaining;
      out.message = fmt::format(
          "Skipping auto-sync: already attempted sync to {} (retrying in {:.3f}s)",
          RevisionText(comparison.revisions), std::chrono::duration<double>(remaining).count());
      return out;
    }
    s["selfHealAttemptsCount"] = attempts + 1;
    s["resources"] = std::move(resources);
  }

  if (prune && !Flag(automated, "allowEmpty")) {
    bool all_pruned = std::all_of(comparison.resources.begin(), comparison.resources.end(),
                                  [](const ResourceState& r) { return r.requires_pruning; });
    if (all_pruned) {
      out.message =
          fmt::format("Skipping sync attempt to {}: auto-sync will wipe out all resources",
                      RevisionText(comparison.revisions));
      out.sync_error = out.message;
      return out;
    }
  }

  const Json* retry = policy ? Path(*policy, {"retry"}) : nullptr;
  out.operation = JsonObject{{"initiatedBy", JsonObject{{"automated", true}}},
                             {"retry", retry ? *retry : Json(JsonObject{{"limit", 5}})},
                             {"sync", std::move(sync)}};
  out.action = Action::kSync;
  out.message = fmt::format("Initiated automated sync to '{}'", RevisionText(comparison.revisions));
  return out;
}

}  // namespace kstack::gitops::app
