#include "server/workloads/cronjob_controller.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "server/workloads/cron_schedule.h"
#include "server/workloads/objects.h"

namespace kstack::server::workloads {
namespace {

const ResourceType& JobsType() { return *machinery::FindBuiltinResource("batch", "v1", "jobs"); }
const ResourceType& CronJobsType() {
  return *machinery::FindBuiltinResource("batch", "v1", "cronjobs");
}

std::string_view Finished(const Json& job) {
  for (const char* type : {"Complete", "Failed"}) {
    const Json* c = FindCondition(job, type);
    if (c && FindString(*c, "status") == "True") return type;
  }
  return "";
}

bool Flag(const Json& object, std::initializer_list<std::string_view> path) {
  const Json* v = At(object, path);
  return v && v->is_bool() && v->get_bool();
}

}  // namespace

Status ValidateCronJob(const Json& cronjob) {
  const Json* schedule = At(cronjob, {"spec", "schedule"});
  if (schedule == nullptr || !schedule->is_string() || schedule->get_string().empty()) {
    return InvalidError("spec.schedule: Required value");
  }
  Result<CronSchedule> parsed = CronSchedule::Parse(schedule->get_string());
  if (!parsed.ok()) {
    return InvalidError(fmt::format("spec.schedule: Invalid value: \"{}\": {}",
                                    std::string_view(schedule->get_string()),
                                    parsed.status().message()));
  }
  const Json* zone = At(cronjob, {"spec", "timeZone"});
  if (zone && zone->is_string()) {
    Result<TimeZone> found = TimeZone::Find(zone->get_string());
    if (!found.ok()) {
      return InvalidError(fmt::format("spec.timeZone: Invalid value: \"{}\": {}",
                                      std::string_view(zone->get_string()),
                                      found.status().message()));
    }
  }
  return Status::Ok();
}

CronJobController::CronJobController(ObjectRegistry* registry, const Clock* clock)
    : registry_(registry), clock_(clock) {}

Status CronJobController::Start() {
  loop_ = std::make_unique<ControllerLoop>(ControllerLoopOptions{
      .name = "cronjob-controller",
      .workers = 1,
      .resync = Duration(10000),
      .list_keys =
          [this] {
            std::vector<std::string> keys;
            Result<Json> list = registry_->List(CronJobsType(), "", {});
            if (list.ok()) {
              for (const Json& c : list->at("items").as_array()) keys.push_back(KeyOf(c));
            }
            return keys;
          },
      .reconcile = [this](const std::string& key) { return Reconcile(key); },
  });
  loop_->Start();
  return Status::Ok();
}

void CronJobController::Stop() {
  if (loop_) loop_->Stop();
}

void CronJobController::Enqueue(const std::string& key) {
  if (loop_) loop_->Enqueue(key);
}

Result<ReconcileResult> CronJobController::Reconcile(const std::string& key) {
  auto [ns, name] = SplitKey(key);
  Result<Json> got = registry_->Get(CronJobsType(), ns, name);
  if (got.status().reason() == Reason::kNotFound) return ReconcileResult{};
  if (!got.ok()) return got.status();
  const Json& cj = *got;
  if (At(cj, {"metadata", "deletionTimestamp"}) != nullptr) return ReconcileResult{};
  const Json* schedule_text = At(cj, {"spec", "schedule"});
  if (schedule_text == nullptr || !schedule_text->is_string()) return ReconcileResult{};
  Result<CronSchedule> schedule = CronSchedule::Parse(schedule_text->get_string());
  if (!schedule.ok()) return ReconcileResult{};  // refused at admission
  const Json* zone_name = At(cj, {"spec", "timeZone"});
  Result<TimeZone> zone =
      TimeZone::Find(zone_name && zone_name->is_string() ? std::string_view(zone_name->get_string())
                                                         : std::string_view());
  if (!zone.ok()) return ReconcileResult{};  // refused at admission

  std::string uid(Meta(cj, "uid"));
  KSTACK_ASSIGN_OR_RETURN(Json listed, registry_->List(JobsType(), ns, {}));
  std::vector<Json> jobs;
  for (Json& job : listed.at("items").as_array()) {
    if (ControlledBy(job, "CronJob", uid)) jobs.push_back(std::move(job));
  }
  Clock::WallTime now = clock_->Now();
  Json updated = cj;
  JsonObject& status = EnsureObject(updated.as_object(), "status");

  // The most recent unmet schedule time.
  Clock::WallTime earliest{};
  if (!ParseRfc3339(FindString(status, "lastScheduleTime"), &earliest) &&
      !ParseRfc3339(Meta(cj, "creationTimestamp"), &earliest)) {
    earliest = now;
  }
  bool has_due = false;
  Clock::WallTime due{};
  Clock::WallTime t = schedule->Next(earliest, *zone);
  for (int i = 0; t <= now && i < 100000; ++i) {
    due = t;
    has_due = true;
    t = schedule->Next(t, *zone);
  }
  Clock::WallTime next = t;
  int64_t deadline = IntAt(cj, {"spec", "startingDeadlineSeconds"}, -1);
  if (has_due && deadline >= 0 && now - due > std::chrono::seconds(deadline)) has_due = false;
  std::string policy(FindString(cj.at("spec"), "concurrencyPolicy"));
  bool suspended = Flag(cj, {"spec", "suspend"});

  auto active_jobs = [&] {
    std::vector<const Json*> out;
    for (const Json& job : jobs) {
      if (Finished(job).empty() && At(job, {"metadata", "deletionTimestamp"}) == nullptr) {
        out.push_back(&job);
      }
    }
    return out;
  };
  if (has_due && !suspended) {
    std::vector<const Json*> active = active_jobs();
    bool run = true;
    if (policy == "Forbid" && !active.empty()) run = false;
    if (policy == "Replace") {
      for (const Json* job : active) {
        Result<Json> gone = registry_->Delete(JobsType(), ns, Meta(*job, "name"));
        if (!gone.ok() && gone.status().reason() != Reason::kNotFound) return gone.status();
      }
      std::erase_if(jobs, [&](const Json& job) {
        return std::find(active.begin(), active.end(), &job) != active.end();
      });
    }
    if (run) {
      int64_t minutes =
          std::chrono::duration_cast<std::chrono::minutes>(due.time_since_epoch()).count();
      const Json* tmpl = At(cj, {"spec", "jobTemplate"});
      JsonObject meta;
      meta["name"] = fmt::format("{}-{}", name, minutes);
      if (const Json* l = tmpl ? At(*tmpl, {"metadata", "labels"}) : nullptr) meta["labels"] = *l;
      JsonObject annotations;
      if (const Json* a = tmpl ? At(*tmpl, {"metadata", "annotations"}) : nullptr;
          a && a->is_object()) {
        annotations = a->get_object();
      }
      annotations["batch.kubernetes.io/cronjob-scheduled-timestamp"] = FormatRfc3339(due);
      meta["annotations"] = std::move(annotations);
      meta["ownerReferences"] = JsonArray{ControllerReference(cj, "batch/v1", "CronJob")};
      const Json* spec = tmpl ? FindMember(*tmpl, "spec") : nullptr;
      Json job =
          JsonObject{{"metadata", std::move(meta)}, {"spec", spec ? *spec : Json(JsonObject{})}};
      Result<Json> created = registry_->Create(JobsType(), ns, std::move(job));
      if (created.ok()) {
        jobs.push_back(std::move(*created));
      } else if (created.status().reason() != Reason::kAlreadyExists) {
        return created.status();
      }
      status["lastScheduleTime"] = FormatRfc3339(due);
    }
  }
  // History: the oldest finished Jobs beyond the limits go.
  for (const auto& [kind, limit_field, fallback] :
       {std::tuple<std::string_view, std::string_view, int64_t>{"Complete",
                                                                "successfulJobsHistoryLimit", 3},
        {"Failed", "failedJobsHistoryLimit", 1}}) {
    int64_t limit = IntAt(cj, {"spec", limit_field}, fallback);
    std::vector<const Json*> done;
    for (const Json& job : jobs) {
      if (Finished(job) == kind) done.push_back(&job);
    }
    std::sort(done.begin(), done.end(), [](const Json* a, const Json* b) {
      return Meta(*a, "creationTimestamp") < Meta(*b, "creationTimestamp") ||
             (Meta(*a, "creationTimestamp") == Meta(*b, "creationTimestamp") &&
              Meta(*a, "name") < Meta(*b, "name"));
    });
    for (size_t i = 0; static_cast<int64_t>(done.size() - i) > limit; ++i) {
      Result<Json> gone = registry_->Delete(JobsType(), ns, Meta(*done[i], "name"));
      if (!gone.ok() && gone.status().reason() != Reason::kNotFound) return gone.status();
    }
  }
  JsonArray active_refs;
  std::string last_success;
  for (const Json& job : jobs) {
    if (Finished(job) == "Complete") {
      last_success =
          std::max(last_success, std::string(FindString(job.at("status"), "completionTime")));
    }
  }
  for (const Json* job : active_jobs()) {
    active_refs.push_back(JsonObject{{"apiVersion", "batch/v1"},
                                     {"kind", "Job"},
                                     {"name", Meta(*job, "name")},
                                     {"namespace", ns},
                                     {"resourceVersion", Meta(*job, "resourceVersion")},
                                     {"uid", Meta(*job, "uid")}});
  }
  if (active_refs.empty()) {
    status.erase("active");
  } else {
    status["active"] = std::move(active_refs);
  }
  if (!last_success.empty()) status["lastSuccessfulTime"] = last_success;
  if (updated != cj) {
    Result<Json> written = registry_->UpdateStatus(CronJobsType(), ns, name, updated);
    if (!written.ok() && written.status().reason() != Reason::kNotFound) return written.status();
  }
  if (next == Clock::WallTime::max()) return ReconcileResult{};
  auto wait = std::chrono::duration_cast<Duration>(next - clock_->Now()) + Duration(100);
  return ReconcileResult{.requeue_after = std::max(wait, Duration(100))};
}

}  // namespace kstack::server::workloads
