#include "server/workloads/job_controller.h"

#include <fmt/format.h>

#include <mutex>
#include <set>
#include <vector>

#include "machinery/selector.h"
#include "server/workloads/objects.h"
#include "server/workloads/pod_template.h"
#include "server/workloads/slow_start.h"

namespace kstack::server::workloads {
namespace {

const ResourceType& PodsType() { return *machinery::FindBuiltinResource("", "v1", "pods"); }
const ResourceType& JobsType() { return *machinery::FindBuiltinResource("batch", "v1", "jobs"); }

bool Finished(const Json& job) {
  for (const char* type : {"Complete", "Failed"}) {
    const Json* c = FindCondition(job, type);
    if (c && FindString(*c, "status") == "True") return true;
  }
  return false;
}

void AddJobCondition(Json& conditions, std::string_view type, std::string_view reason,
                     std::string_view message, const std::string& now) {
  SetCondition(conditions, type, "True", reason, message, now);
  for (Json& c : conditions.as_array()) {
    if (FindString(c, "type") == type) c.as_object()["lastProbeTime"] = now;
  }
}

constexpr std::string_view kIndexKey = "batch.kubernetes.io/job-completion-index";

// The completion index of an Indexed Job's pod, or -1.
int64_t CompletionIndex(const Json& pod) {
  const Json* annotations = At(pod, {"metadata", "annotations"});
  std::string text(annotations ? FindString(*annotations, kIndexKey) : "");
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos) return -1;
  return std::atoll(text.c_str());
}

// "0-2,4,6-7", as Kubernetes writes status.completedIndexes.
std::string IndexRanges(const std::set<int64_t>& indexes) {
  std::string out;
  for (auto it = indexes.begin(); it != indexes.end();) {
    int64_t first = *it, last = *it;
    for (++it; it != indexes.end() && *it == last + 1; ++it) last = *it;
    if (!out.empty()) out += ',';
    out += first == last ? std::to_string(first) : fmt::format("{}-{}", first, last);
  }
  return out;
}

// The pod of one index: "<job>-<index>-<random>", the index as annotation, label, hostname
// and the JOB_COMPLETION_INDEX variable of every container.
Json IndexedPod(const Json& pod_template, const Json& job, int64_t index) {
  std::string text = std::to_string(index);
  Json pod = PodFromTemplate(pod_template, job, "batch/v1", "Job");
  JsonObject& meta = pod.as_object()["metadata"].as_object();
  meta["generateName"] = fmt::format("{}-{}-", Meta(job, "name"), index);
  EnsureObject(meta, "annotations")[kIndexKey] = text;
  EnsureObject(meta, "labels")[kIndexKey] = text;
  JsonObject& spec = pod.as_object()["spec"].as_object();
  spec["hostname"] = fmt::format("{}-{}", Meta(job, "name"), index);
  if (Json* containers = spec.if_contains("containers"); containers && containers->is_array()) {
    for (Json& c : containers->get_array()) {
      Json& env = c.as_object()["env"];
      if (!env.is_array()) env = JsonArray();
      env.get_array().push_back(JsonObject{
          {"name", "JOB_COMPLETION_INDEX"},
          {"valueFrom",
           JsonObject{
               {"fieldRef", JsonObject{{"fieldPath",
                                        fmt::format("metadata.annotations['{}']", kIndexKey)}}}}}});
    }
  }
  return pod;
}

}  // namespace

JobController::JobController(ObjectRegistry* registry, const Clock* clock)
    : registry_(registry), clock_(clock) {}

Status JobController::Start() {
  loop_ = std::make_unique<ControllerLoop>(ControllerLoopOptions{
      .name = "job-controller",
      .workers = 2,
      .resync = Duration(30000),
      .list_keys =
          [this] {
            std::vector<std::string> keys;
            Result<Json> list = registry_->List(JobsType(), "", {});
            if (list.ok()) {
              for (const Json& job : list->at("items").as_array()) {
                if (!Finished(job)) keys.push_back(KeyOf(job));
              }
            }
            return keys;
          },
      .reconcile = [this](const std::string& key) { return Reconcile(key); },
  });
  loop_->Start();
  return Status::Ok();
}

void JobController::Stop() {
  if (loop_) loop_->Stop();
}

void JobController::Enqueue(const std::string& key) {
  if (loop_) loop_->Enqueue(key);
}

Result<ReconcileResult> JobController::Reconcile(const std::string& key) {
  auto [ns, name] = SplitKey(key);
  Result<Json> got = registry_->Get(JobsType(), ns, name);
  if (got.status().reason() == Reason::kNotFound) return ReconcileResult{};
  if (!got.ok()) return got.status();
  const Json& job = *got;
  if (Finished(job) || At(job, {"metadata", "deletionTimestamp"}) != nullptr) {
    return ReconcileResult{};
  }
  const Json* selector_json = At(job, {"spec", "selector"});
  const Json* pod_template = At(job, {"spec", "template"});
  if (selector_json == nullptr || pod_template == nullptr) return ReconcileResult{};
  Result<machinery::LabelSelector> selector = machinery::LabelSelector::FromJson(*selector_json);
  if (!selector.ok() || selector->empty()) return ReconcileResult{};
  KSTACK_ASSIGN_OR_RETURN(
      Json pods, registry_->List(PodsType(), ns, {.label_selector = selector->ToString()}));
  std::string uid(Meta(job, "uid"));
  bool indexed = FindString(job.at("spec"), "completionMode") == "Indexed";
  std::vector<Json> active;
  std::set<int64_t> done_indexes, active_indexes;
  int64_t succeeded = 0, failed = 0, ready = 0;
  for (Json& pod : pods.at("items").as_array()) {
    if (!ControlledBy(pod, "Job", uid)) continue;
    std::string_view phase = FindString(pod.at("status"), "phase");
    int64_t index = CompletionIndex(pod);
    if (phase == "Succeeded") {
      ++succeeded;
      if (index >= 0) done_indexes.insert(index);
    } else if (phase == "Failed") {
      ++failed;
    } else if (IsActive(pod)) {
      if (IsReady(pod)) ++ready;
      if (index >= 0) active_indexes.insert(index);
      active.push_back(std::move(pod));
    }
  }
  int64_t completions = IntAt(job, {"spec", "completions"}, 1);
  int64_t parallelism = IntAt(job, {"spec", "parallelism"}, 1);
  int64_t backoff_limit = IntAt(job, {"spec", "backoffLimit"}, 6);
  const Json* suspend = At(job, {"spec", "suspend"});
  bool suspended = suspend && suspend->is_bool() && suspend->get_bool();
  std::string now = FormatRfc3339(clock_->Now());

  Json updated = job;
  JsonObject& status = EnsureObject(updated.as_object(), "status");
  Json& conditions = status["conditions"];
  if (indexed) succeeded = static_cast<int64_t>(done_indexes.size());
  bool complete = succeeded >= completions;
  bool failing = failed > backoff_limit;
  Status manage = Status::Ok();
  if (failing) {
    AddJobCondition(conditions, "FailureTarget", "BackoffLimitExceeded",
                    "Job has reached the specified backoff limit", now);
    AddJobCondition(conditions, "Failed", "BackoffLimitExceeded",
                    "Job has reached the specified backoff limit", now);
  }
  if (failing || complete || suspended) {
    for (const Json& pod : active) {
      Result<Json> d = registry_->Delete(PodsType(), ns, Meta(pod, "name"));
      if (!d.ok() && d.status().reason() != Reason::kNotFound) manage = d.status();
    }
    if (manage.ok()) active.clear(), ready = 0;
  } else {
    int64_t want = std::min(parallelism, completions - succeeded);
    int64_t diff = want - static_cast<int64_t>(active.size());
    if (diff > 0 && indexed) {
      // The lowest indexes neither done nor running, one pod each.
      for (int64_t index = 0; index < completions && diff > 0; ++index) {
        if (done_indexes.contains(index) || active_indexes.contains(index)) continue;
        Result<Json> c = registry_->Create(PodsType(), ns, IndexedPod(*pod_template, job, index));
        if (!c.ok()) {
          manage = c.status();
          break;
        }
        active.push_back(std::move(*c));
        --diff;
      }
    } else if (diff > 0) {
      Json pod = PodFromTemplate(*pod_template, job, "batch/v1", "Job");
      std::mutex mu;
      auto [count, status_of_create] =
          SlowStart(static_cast<size_t>(diff), 32, [&](size_t) -> Status {
            Result<Json> c = registry_->Create(PodsType(), ns, pod);
            if (!c.ok()) return c.status();
            std::lock_guard lock(mu);
            active.push_back(std::move(*c));
            return Status::Ok();
          });
      manage = status_of_create;
    }
  }
  if (complete && !failing) {
    AddJobCondition(conditions, "SuccessCriteriaMet", "CompletionsReached",
                    "Reached expected number of succeeded pods", now);
    AddJobCondition(conditions, "Complete", "CompletionsReached",
                    "Reached expected number of succeeded pods", now);
    if (!status.contains("completionTime")) status["completionTime"] = now;
  }
  if (suspended) {
    SetCondition(conditions, "Suspended", "True", "JobSuspended", "Job suspended", now);
  } else if (FindCondition(updated, "Suspended") != nullptr) {
    SetCondition(conditions, "Suspended", "False", "JobResumed", "Job resumed", now);
  }
  if (!conditions.is_array() || conditions.as_array().empty()) status.erase("conditions");
  if (!status.contains("startTime") && !suspended) status["startTime"] = now;
  if (active.empty()) {
    status.erase("active");
  } else {
    status["active"] = static_cast<int64_t>(active.size());
  }
  status["ready"] = ready;
  status["terminating"] = 0;
  if (succeeded > 0) status["succeeded"] = succeeded;
  if (indexed) status["completedIndexes"] = IndexRanges(done_indexes);
  if (failed > 0) status["failed"] = failed;
  status["uncountedTerminatedPods"] = JsonObject{};
  if (updated != job) {
    Result<Json> written = registry_->UpdateStatus(JobsType(), ns, name, updated);
    if (!written.ok() && written.status().reason() != Reason::kNotFound) return written.status();
  }
  if (!manage.ok()) return manage;
  return ReconcileResult{};
}

}  // namespace kstack::server::workloads
