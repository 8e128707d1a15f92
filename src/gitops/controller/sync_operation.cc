#include "gitops/controller/sync_operation.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <map>
#include <thread>

#include "gitops/app/retry.h"
#include "gitops/controller/internal/json_access.h"
#include "gitops/health/assess.h"
#include "gitops/sync/plan.h"

namespace kstack::gitops::controller {
namespace {

using internal::Member;
using std::chrono::milliseconds;

bool Flag(const Json* object, std::string_view key) {
  const Json* value = Member(object, key);
  return value != nullptr && value->is_bool() && value->get_bool();
}

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return out;
}

std::string VersionOf(const Json& object) {
  return std::string(
      internal::VersionOf(object.is_object() ? FindString(object, "apiVersion") : ""));
}

// "deployment.apps/web", "configmap/web": how kubectl names what it applied.
std::string KubectlName(const sync::ResourceKey& r) {
  return Lower(r.kind) + (r.group.empty() ? "" : "." + r.group) + "/" + r.name;
}

std::string TaskId(std::string_view phase, std::string_view group, std::string_view kind,
                   std::string_view ns, std::string_view name) {
  return fmt::format("{}|{}|{}|{}|{}", phase, group, kind, ns, name);
}

std::string TaskId(const sync::Task& t) {
  return TaskId(sync::PhaseName(t.phase), t.resource.group, t.resource.kind, t.resource.namespace_,
                t.resource.name);
}

std::string ResultId(const Json& r) {
  return TaskId(FindString(r, "syncPhase"), FindString(r, "group"), FindString(r, "kind"),
                FindString(r, "namespace"), FindString(r, "name"));
}

kube::ResourceRef RefOf(const sync::Task& t) {
  const Json& object = t.target.is_object() ? t.target : t.live;
  return {.group = t.resource.group,
          .version = VersionOf(object),
          .kind = t.resource.kind,
          .namespace_name = t.resource.namespace_,
          .name = t.resource.name};
}

Json ResultEntry(const sync::Task& t, std::string_view status, std::string message) {
  JsonObject r;
  r["group"] = t.resource.group;
  r["version"] = VersionOf(t.target.is_object() ? t.target : t.live);
  r["kind"] = t.resource.kind;
  r["namespace"] = t.resource.namespace_;
  r["name"] = t.resource.name;
  r["status"] = status;
  r["message"] = std::move(message);
  if (t.hook) {
    r["hookType"] = sync::PhaseName(t.phase);
    r["hookPhase"] = status == "Synced" ? "Running" : "Failed";
  }
  r["syncPhase"] = sync::PhaseName(t.phase);
  return r;
}

struct Outcome {
  std::string status;  // Synced, SyncFailed, Pruned, PruneSkipped
  std::string message;
  bool failed = false;
};

Outcome Apply(const sync::Task& t, const OperationContext& ctx, bool dry_run) {
  Json target = t.target;
  diff::SetTracking(target, ctx.tracking);
  Result<Json> applied =
      ctx.client->Patch(RefOf(t), kube::PatchType::kApply, target,
                        {.dry_run = dry_run, .field_manager = ctx.field_manager, .force = true});
  if (!applied.ok()) return {"SyncFailed", applied.status().message(), true};
  return {"Synced", KubectlName(t.resource) +
                        (dry_run ? " serverside-applied (dry run)" : " serverside-applied")};
}

Outcome Delete(const sync::Task& t, const OperationContext& ctx, bool dry_run) {
  Result<Json> deleted =
      ctx.client->Delete(RefOf(t), {.dry_run = dry_run, .propagation_policy = "Foreground"});
  if (!deleted.ok() && deleted.status().reason() != Reason::kNotFound) {
    return {"SyncFailed", deleted.status().message(), true};
  }
  return {"Pruned", dry_run ? "pruned (dry run)" : "pruned"};
}

Outcome Execute(const sync::Task& t, const OperationContext& ctx, bool dry_run) {
  switch (t.action) {
    case sync::Action::kApply:
    case sync::Action::kCreate:
    case sync::Action::kReplace:
    case sync::Action::kUpdate:
      return Apply(t, ctx, dry_run);
    case sync::Action::kDeleteHookBeforeCreate: {
      if (!dry_run) {
        Outcome gone = Delete(t, ctx, false);
        if (gone.failed) return gone;
        // The new hook may only be created once the old one is gone.
        for (int i = 0; i < 300; ++i) {
          Result<Json> still = ctx.client->Get(RefOf(t));
          if (!still.ok() && still.status().reason() == Reason::kNotFound) break;
          std::this_thread::sleep_for(milliseconds(100));
        }
      }
      return Apply(t, ctx, dry_run);
    }
    case sync::Action::kPrune:
    case sync::Action::kDelete:
      return Delete(t, ctx, dry_run);
    case sync::Action::kPruneDisabled:
      return {"PruneSkipped", "ignored (no prune)"};
    case sync::Action::kRequiresPruning:
      return {"PruneSkipped", "ignored (requires pruning)"};
    case sync::Action::kKeep:
      return {"PruneSkipped", "ignored (kept)"};
  }
  return {"SyncFailed", "unknown task", true};
}

bool Applies(const sync::Task& t) {
  return t.action == sync::Action::kApply || t.action == sync::Action::kCreate ||
         t.action == sync::Action::kReplace || t.action == sync::Action::kUpdate ||
         t.action == sync::Action::kDeleteHookBeforeCreate;
}

// "3:04PM", Go's time.Kitchen, as Argo CD writes retry times.
std::string Kitchen(Clock::WallTime t) {
  std::time_t tt = Clock::WallTime::clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  int hour = tm.tm_hour % 12 == 0 ? 12 : tm.tm_hour % 12;
  return fmt::format("{}:{:02}{}", hour, tm.tm_min, tm.tm_hour < 12 ? "AM" : "PM");
}

class Step {
 public:
  Step(const Json& app, const OperationContext& ctx) : app_(app), ctx_(ctx) {}

  StepResult Run(const std::vector<Json>& desired, const std::string& revision,
                 const std::vector<Json>& live);

 private:
  StepResult Finish(std::string phase, std::string message);
  StepResult Fail(std::string message);
  StepResult Wait(milliseconds after) {
    return {.operation_state = state_, .done = false, .requeue_after = after};
  }
  void DeleteHooks(sync::HookDeletePolicy policy);

  const Json& app_;
  const OperationContext& ctx_;
  Json state_;
  std::vector<sync::Task> tasks_;
  app::RetryStrategy retry_;
};

void Step::DeleteHooks(sync::HookDeletePolicy policy) {
  for (const sync::Task& t : tasks_) {
    if (!t.hook) continue;
    if (std::find(t.hook_delete_policies.begin(), t.hook_delete_policies.end(), policy) ==
        t.hook_delete_policies.end()) {
      continue;
    }
    ctx_.client->Delete(RefOf(t), {.propagation_policy = "Background"}).status().IgnoreError();
  }
}

StepResult Step::Finish(std::string phase, std::string message) {
  JsonObject& s = state_.as_object();
  s["phase"] = phase;
  s["message"] = std::move(message);
  s["finishedAt"] = FormatRfc3339(ctx_.now);
  DeleteHooks(phase == "Succeeded" ? sync::HookDeletePolicy::kHookSucceeded
                                   : sync::HookDeletePolicy::kHookFailed);
  return {.operation_state = state_, .done = true};
}

StepResult Step::Fail(std::string message) {
  JsonObject& s = state_.as_object();
  int64_t retries =
      s.contains("retryCount") && s["retryCount"].is_int64() ? s["retryCount"].get_int64() : 0;
  if (retry_.ShouldRetry(retries)) {
    std::chrono::nanoseconds delay = retry_.Delay(retries);
    s["retryCount"] = retries + 1;
    s["finishedAt"] = FormatRfc3339(ctx_.now);
    s["message"] = fmt::format(
        "{}. Retrying attempt #{} at {}.", message, retries + 1,
        Kitchen(ctx_.now + std::chrono::duration_cast<Clock::WallTime::duration>(delay)));
    return Wait(std::chrono::duration_cast<milliseconds>(delay));
  }
  if (retries > 0) message += fmt::format(" (retried {} times).", retries);
  return Finish("Failed", std::move(message));
}

StepResult Step::Run(const std::vector<Json>& desired, const std::string& revision,
                     const std::vector<Json>& live) {
  const Json* operation = Member(&app_, "operation");
  const Json* spec = Member(&app_, "spec");
  const Json* sync_op = Member(operation, "sync");
  const Json* previous = Member(Member(&app_, "status"), "operationState");
  bool resuming = previous != nullptr && Member(previous, "operation") != nullptr &&
                  *Member(previous, "operation") == *operation &&
                  FindString(*previous, "phase") == "Running";
  if (resuming) {
    state_ = *previous;
  } else {
    Json source = Member(spec, "source") ? *Member(spec, "source") : Json(JsonObject());
    state_ = JsonObject{
        {"operation", *operation},
        {"phase", "Running"},
        {"message", ""},
        {"startedAt", FormatRfc3339(ctx_.now)},
        {"syncResult",
         JsonObject{{"resources", JsonArray()}, {"revision", revision}, {"source", source}}}};
  }
  Result<app::RetryStrategy> retry =
      app::ParseRetryStrategy(Member(operation, "retry"), "operation.retry");
  if (!retry.ok()) return Finish("Error", retry.status().message());
  retry_ = *retry;

  JsonObject& s = state_.as_object();
  // A failed attempt waits for its retry: finishedAt is when it failed.
  if (const Json* finished = Member(&state_, "finishedAt")) {
    Clock::WallTime at;
    int64_t retries = s["retryCount"].is_int64() ? s["retryCount"].get_int64() : 1;
    if (ParseRfc3339(finished->as_string(), &at)) {
      auto due = at + std::chrono::duration_cast<Clock::WallTime::duration>(
                          retry_.Delay(std::max<int64_t>(0, retries - 1)));
      if (due > ctx_.now) {
        return Wait(std::chrono::duration_cast<milliseconds>(due - ctx_.now) + milliseconds(1));
      }
    }
    s.erase("finishedAt");
    s["syncResult"].as_object()["resources"] = JsonArray();
  }

  bool dry_run = Flag(sync_op, "dryRun");
  std::vector<std::string> options;
  for (const Json* list :
       {Member(sync_op, "syncOptions"), Member(Member(spec, "syncPolicy"), "syncOptions")}) {
    if (list == nullptr || !list->is_array()) continue;
    for (const Json& o : list->get_array()) {
      if (o.is_string() &&
          std::find(options.begin(), options.end(), o.get_string()) == options.end()) {
        options.emplace_back(o.get_string());
      }
    }
  }
  Clock::WallTime started;
  ParseRfc3339(FindString(state_, "startedAt"), &started);
  const Json* destination = Member(spec, "destination");
  sync::PlanOptions plan_options{
      .namespace_ = destination ? std::string(FindString(*destination, "namespace")) : "",
      .sync_options = options,
      .prune = Flag(sync_op, "prune"),
      .revision = revision,
      .started_at =
          std::chrono::duration_cast<std::chrono::seconds>(started.time_since_epoch()).count(),
      .is_namespaced = [this](std::string_view g, std::string_view k) {
        return ctx_.live->Namespaced(g, k);
      }};
  if (const Json* metadata = Member(Member(spec, "syncPolicy"), "managedNamespaceMetadata")) {
    plan_options.managed_namespace_metadata = *metadata;
  }
  Result<sync::Plan> plan = sync::PlanSync(desired, live, plan_options);
  if (!plan.ok()) return Finish("Error", plan.status().message());
  tasks_ = std::move(plan->tasks);

  // A selective sync (self-heal, `argocd app sync --resource`) runs only the resources named.
  if (const Json* only = Member(sync_op, "resources"); only && only->is_array()) {
    std::vector<sync::Task> kept;
    for (sync::Task& t : tasks_) {
      bool named =
          std::any_of(only->get_array().begin(), only->get_array().end(), [&](const Json& r) {
            return r.is_object() && FindString(r, "group") == t.resource.group &&
                   FindString(r, "kind") == t.resource.kind &&
                   FindString(r, "name") == t.resource.name &&
                   (FindString(r, "namespace").empty() ||
                    FindString(r, "namespace") == t.resource.namespace_);
          });
      if (named) kept.push_back(std::move(t));
    }
    tasks_ = std::move(kept);
  }

  JsonArray& results = s["syncResult"].as_object()["resources"].as_array();
  std::map<std::string, size_t> done;
  for (size_t i = 0; i < results.size(); ++i) done[ResultId(results[i])] = i;

  for (size_t begin = 0; begin < tasks_.size();) {
    size_t end = begin;
    while (end < tasks_.size() && tasks_[end].phase == tasks_[begin].phase &&
           tasks_[end].wave == tasks_[begin].wave) {
      ++end;
    }
    std::vector<const sync::Task*> pending;
    for (size_t i = begin; i < end; ++i) {
      if (done.count(TaskId(tasks_[i])) == 0) pending.push_back(&tasks_[i]);
    }
    if (!pending.empty()) {
      // Prunes first, then the rest in plan order, as Argo CD runs a wave.
      std::stable_partition(pending.begin(), pending.end(),
                            [](const sync::Task* t) { return t->action == sync::Action::kPrune; });
      std::string first_error;
      for (const sync::Task* t : pending) {
        Outcome o = Execute(*t, ctx_, dry_run);
        if (o.failed && first_error.empty()) first_error = o.message;
        results.push_back(ResultEntry(*t, o.status, o.message));
      }
      if (!first_error.empty()) {
        return Fail("one or more objects failed to apply, reason: " + first_error);
      }
      s["message"] = "";
      return Wait(milliseconds(0));
    }
    if (!dry_run) {
      for (size_t i = begin; i < end; ++i) {
        const sync::Task& t = tasks_[i];
        if (!Applies(t)) continue;
        Result<Json> now = ctx_.client->Get(RefOf(t));
        std::string what =
            t.resource.group.empty()
                ? fmt::format("{}/{}", t.resource.kind, t.resource.name)
                : fmt::format("{}/{}/{}", t.resource.group, t.resource.kind, t.resource.name);
        if (!now.ok()) {
          s["message"] = "waiting for healthy state of " + what;
          return Wait(milliseconds(1000));
        }
        std::optional<health::HealthStatus> h = health::Assess(*now, ctx_.assess);
        if (!h || h->status == health::HealthCode::kHealthy ||
            h->status == health::HealthCode::kSuspended) {
          continue;
        }
        if (h->status == health::HealthCode::kDegraded) {
          results[done[TaskId(t)]].as_object()["message"] = h->message;
          if (t.hook) results[done[TaskId(t)]].as_object()["hookPhase"] = "Failed";
          return Fail("one or more synchronization tasks completed unsuccessfully");
        }
        s["message"] = "waiting for healthy state of " + what;
        return Wait(milliseconds(1000));
      }
    }
    begin = end;
  }
  for (Json& r : results) {
    if (r.as_object().contains("hookPhase") && r.at("hookPhase") == "Running") {
      r.as_object()["hookPhase"] = "Succeeded";
    }
  }
  return Finish("Succeeded", "successfully synced (all tasks run)");
}

}  // namespace

StepResult StepOperation(const Json& app, const std::vector<Json>& desired,
                         const std::string& revision, const std::vector<Json>& live,
                         const OperationContext& context) {
  return Step(app, context).Run(desired, revision, live);
}

}  // namespace kstack::gitops::controller
