// Tables of the workload controllers' objects (apps, batch) and of what steers them:
// controller revisions, horizontal pod autoscalers, pod disruption budgets.

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "server/internal/table_printer.h"
#include "server/table.h"

namespace kstack::server::internal {
namespace {

std::string Name(const Json& o) { return Str(o, {"metadata", "name"}); }

// spec.replicas, which the API server defaults to 1.
int64_t Replicas(const Json& o) { return Int(o, {"spec", "replicas"}, 1); }

JsonArray DeploymentRow(const RowInput& in) {
  const Json& d = in.object;
  auto [names, images] = ContainerCells(At(d, {"spec", "template", "spec"}));
  return JsonArray{Name(d),
                   fmt::format("{}/{}", Int(d, {"status", "readyReplicas"}), Replicas(d)),
                   Int(d, {"status", "updatedReplicas"}),
                   Int(d, {"status", "availableReplicas"}),
                   in.age,
                   names,
                   images,
                   SelectorString(At(d, {"spec", "selector"}))};
}

// The row of a ReplicaSet or a ReplicationController, whose selectors are written differently.
JsonArray ReplicasRow(const RowInput& in, std::string selector) {
  const Json& object = in.object;
  auto [names, images] = ContainerCells(At(object, {"spec", "template", "spec"}));
  return JsonArray{Name(object),
                   Replicas(object),
                   Int(object, {"status", "replicas"}),
                   Int(object, {"status", "readyReplicas"}),
                   in.age,
                   names,
                   images,
                   std::move(selector)};
}

JsonArray ReplicaSetRow(const RowInput& in) {
  return ReplicasRow(in, SelectorText(At(in.object, {"spec", "selector"})));
}

// A ReplicationController's selector is a plain map of labels ("app=web,tier=front").
std::string MapSelectorText(const Json& selector) {
  if (!selector.is_object()) return "<none>";
  std::vector<std::string> pairs;
  for (const auto& [key, value] : selector.get_object()) {
    pairs.push_back(std::string(key) + "=" +
                    (value.is_string() ? std::string(value.get_string()) : ""));
  }
  std::sort(pairs.begin(), pairs.end());
  return pairs.empty() ? "<none>" : fmt::format("{}", fmt::join(pairs, ","));
}

JsonArray ReplicationControllerRow(const RowInput& in) {
  return ReplicasRow(in, MapSelectorText(At(in.object, {"spec", "selector"})));
}

JsonArray StatefulSetRow(const RowInput& in) {
  const Json& sts = in.object;
  auto [names, images] = ContainerCells(At(sts, {"spec", "template", "spec"}));
  return JsonArray{Name(sts),
                   fmt::format("{}/{}", Int(sts, {"status", "readyReplicas"}), Replicas(sts)),
                   in.age, names, images};
}

JsonArray DaemonSetRow(const RowInput& in) {
  const Json& ds = in.object;
  const Json& pod_spec = At(ds, {"spec", "template", "spec"});
  auto [names, images] = ContainerCells(pod_spec);
  return JsonArray{Name(ds),
                   Int(ds, {"status", "desiredNumberScheduled"}),
                   Int(ds, {"status", "currentNumberScheduled"}),
                   Int(ds, {"status", "numberReady"}),
                   Int(ds, {"status", "updatedNumberScheduled"}),
                   Int(ds, {"status", "numberAvailable"}),
                   LabelsText(At(pod_spec, {"nodeSelector"})),
                   in.age,
                   names,
                   images,
                   SelectorText(At(ds, {"spec", "selector"}))};
}

// The status of the job's first condition of `type` is True.
bool JobCondition(const Json& job, std::string_view type) {
  for (const Json& c : Items(job, {"status", "conditions"})) {
    if (FindString(c, "type") == type) return FindString(c, "status") == "True";
  }
  return false;
}

std::string JobStatus(const Json& job) {
  if (JobCondition(job, "Complete")) return "Complete";
  if (JobCondition(job, "Failed")) return "Failed";
  if (At(job, {"metadata", "deletionTimestamp"}).is_string()) return "Terminating";
  if (JobCondition(job, "Suspended")) return "Suspended";
  if (JobCondition(job, "FailureTarget")) return "FailureTarget";
  return "Running";
}

std::string JobCompletions(const Json& job) {
  int64_t succeeded = Int(job, {"status", "succeeded"});
  if (std::optional<int64_t> completions = OptInt(job, {"spec", "completions"})) {
    return fmt::format("{}/{}", succeeded, *completions);
  }
  // A work queue: done when one pod succeeds.
  int64_t parallelism = Int(job, {"spec", "parallelism"}, 1);
  if (parallelism > 1) return fmt::format("{}/1 of {}", succeeded, parallelism);
  return fmt::format("{}/1", succeeded);
}

std::string JobDuration(const Json& job, Clock::WallTime now) {
  std::optional<Clock::WallTime> start = ParseTime(Str(job, {"status", "startTime"}));
  if (!start) return "";
  std::optional<Clock::WallTime> end = ParseTime(Str(job, {"status", "completionTime"}));
  return HumanDuration(
      std::chrono::duration_cast<std::chrono::seconds>(end.value_or(now) - *start));
}

JsonArray JobRow(const RowInput& in) {
  const Json& job = in.object;
  auto [names, images] = ContainerCells(At(job, {"spec", "template", "spec"}));
  return JsonArray{Name(job),
                   JobStatus(job),
                   JobCompletions(job),
                   JobDuration(job, in.now),
                   in.age,
                   names,
                   images,
                   SelectorText(At(job, {"spec", "selector"}))};
}

JsonArray CronJobRow(const RowInput& in) {
  const Json& cj = in.object;
  const Json& job_spec = At(cj, {"spec", "jobTemplate", "spec"});
  auto [names, images] = ContainerCells(At(job_spec, {"template", "spec"}));
  const Json& last = At(cj, {"status", "lastScheduleTime"});
  const Json& suspend = At(cj, {"spec", "suspend"});
  return JsonArray{Name(cj), Str(cj, {"spec", "schedule"}), Str(cj, {"spec", "timeZone"}, "<none>"),
                   // The API server defaults spec.suspend to false.
                   suspend.is_bool() ? BoolText(suspend.get_bool()) : BoolText(false),
                   Count(cj, {"status", "active"}),
                   last.is_null() ? std::string("<none>") : Since(last, in.now), in.age, names,
                   images, SelectorText(At(job_spec, {"selector"}))};
}

// "kind.group/name" of the owner reference marked as controller, lower case.
std::string ControllerText(const Json& object) {
  for (const Json& ref : Items(object, {"metadata", "ownerReferences"})) {
    if (!IsTrue(ref, {"controller"})) continue;
    std::string_view api_version = FindString(ref, "apiVersion");
    size_t slash = api_version.find('/');
    std::string group(slash == std::string_view::npos ? "" : api_version.substr(0, slash));
    std::string kind(FindString(ref, "kind"));
    std::string name(FindString(ref, "name"));
    if (kind.empty() && group.empty()) return name;
    std::string qualified = group.empty() ? kind : kind + "." + group;
    std::transform(qualified.begin(), qualified.end(), qualified.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    return qualified + "/" + name;
  }
  return "<none>";
}

JsonArray ControllerRevisionRow(const RowInput& in) {
  return JsonArray{Name(in.object), ControllerText(in.object), Int(in.object, {"revision"}),
                   in.age};
}

// The quantity at `path` of a metric target or current value; "<nil>" when it is absent.
std::string MetricQuantity(const Json& v, std::initializer_list<std::string_view> path) {
  const Json& q = At(v, path);
  return q.is_null() ? "<nil>" : QuantityText(q);
}

// One entry of the Targets column: "<current>/<target>" per metric, as the HPA printer writes
// them; `status` is the current metric at the same index, or null.
std::string MetricText(const Json& spec, const Json& status) {
  std::string type(FindString(spec, "type"));
  auto value_metric = [&](std::string_view source) {
    const Json& target = At(spec, {source, "target"});
    const Json& current = At(status, {source});
    if (!At(target, {"averageValue"}).is_null()) {
      std::string now = current.is_object() && !At(current, {"current", "averageValue"}).is_null()
                            ? MetricQuantity(current, {"current", "averageValue"})
                            : "<unknown>";
      return fmt::format("{}/{} (avg)", now, MetricQuantity(target, {"averageValue"}));
    }
    std::string now =
        current.is_object() ? MetricQuantity(current, {"current", "value"}) : "<unknown>";
    return fmt::format("{}/{}", now, MetricQuantity(target, {"value"}));
  };
  auto resource_metric = [&](std::string_view source) {
    const Json& metric = At(spec, {source});
    const Json& target = At(metric, {"target"});
    const Json& current = At(status, {source});
    std::string name = Str(metric, {"name"});
    if (!At(target, {"averageValue"}).is_null()) {
      std::string now =
          current.is_object() ? MetricQuantity(current, {"current", "averageValue"}) : "<unknown>";
      return fmt::format("{}: {}/{}", name, now, MetricQuantity(target, {"averageValue"}));
    }
    std::string now = "<unknown>";
    if (std::optional<int64_t> u = OptInt(current, {"current", "averageUtilization"})) {
      now = fmt::format("{}%", *u);
    }
    std::string want = "<auto>";
    if (std::optional<int64_t> u = OptInt(target, {"averageUtilization"})) {
      want = fmt::format("{}%", *u);
    }
    return fmt::format("{}: {}/{}", name, now, want);
  };
  if (type == "External") return value_metric("external");
  if (type == "Object") return value_metric("object");
  if (type == "Pods") {
    const Json& current = At(status, {"pods"});
    std::string now =
        current.is_object() ? MetricQuantity(current, {"current", "averageValue"}) : "<unknown>";
    return fmt::format("{}/{}", now, MetricQuantity(spec, {"pods", "target", "averageValue"}));
  }
  if (type == "Resource") return resource_metric("resource");
  if (type == "ContainerResource") return resource_metric("containerResource");
  return "<unknown type>";
}

std::string HpaTargets(const Json& hpa) {
  const JsonArray& specs = Items(hpa, {"spec", "metrics"});
  const JsonArray& statuses = Items(hpa, {"status", "currentMetrics"});
  if (specs.empty()) {
    // The API server gives an autoscaling/v2 object without metrics a CPU target of 80%.
    static const Json kDefault = {
        {"type", "Resource"},
        {"resource",
         {{"name", "cpu"}, {"target", {{"type", "Utilization"}, {"averageUtilization", 80}}}}}};
    return MetricText(kDefault, statuses.empty() ? Json(nullptr) : statuses[0]);
  }
  constexpr size_t kShown = 2;
  std::vector<std::string> parts;
  for (size_t i = 0; i < specs.size() && i < kShown; ++i) {
    parts.push_back(MetricText(specs[i], i < statuses.size() ? statuses[i] : Json(nullptr)));
  }
  std::string text = Join(parts, ", ");
  if (specs.size() > kShown) text += fmt::format(" + {} more...", specs.size() - kShown);
  return text;
}

JsonArray HpaRow(const RowInput& in) {
  const Json& hpa = in.object;
  // spec.minReplicas defaults to 1.
  int64_t min = Int(hpa, {"spec", "minReplicas"}, 1);
  return JsonArray{Name(hpa),
                   fmt::format("{}/{}", Str(hpa, {"spec", "scaleTargetRef", "kind"}),
                               Str(hpa, {"spec", "scaleTargetRef", "name"})),
                   HpaTargets(hpa),
                   std::to_string(min),
                   Int(hpa, {"spec", "maxReplicas"}),
                   Int(hpa, {"status", "currentReplicas"}),
                   in.age};
}

JsonArray PdbRow(const RowInput& in) {
  const Json& pdb = in.object;
  const Json& min = At(pdb, {"spec", "minAvailable"});
  const Json& max = At(pdb, {"spec", "maxUnavailable"});
  return JsonArray{Name(pdb), min.is_null() ? "N/A" : IntOrStringText(min),
                   max.is_null() ? "N/A" : IntOrStringText(max),
                   Int(pdb, {"status", "disruptionsAllowed"}), in.age};
}

}  // namespace

void AddWorkloadPrinters(PrinterMap* printers) {
  PrinterMap& p = *printers;
  p["apps/deployments"] =
      Printer{{kNameColumn,
               {"Ready", "string", "Ready pods out of the replicas wanted."},
               {"Up-to-date", "string", "Replicas running the current pod template."},
               {"Available", "string", "Replicas available to serve."},
               kAgeColumn,
               kContainersColumn,
               kImagesColumn,
               kSelectorColumn},
              DeploymentRow};
  p["apps/replicasets"] = Printer{{kNameColumn,
                                   {"Desired", "integer", "Replicas wanted."},
                                   {"Current", "integer", "Replicas created."},
                                   {"Ready", "integer", "Replicas ready."},
                                   kAgeColumn,
                                   kContainersColumn,
                                   kImagesColumn,
                                   kSelectorColumn},
                                  ReplicaSetRow};
  p["/replicationcontrollers"] = Printer{{kNameColumn,
                                          {"Desired", "integer", "Replicas wanted."},
                                          {"Current", "integer", "Replicas created."},
                                          {"Ready", "integer", "Replicas ready."},
                                          kAgeColumn,
                                          kContainersColumn,
                                          kImagesColumn,
                                          kSelectorColumn},
                                         ReplicationControllerRow};
  p["apps/statefulsets"] = Printer{{kNameColumn,
                                    {"Ready", "string", "Ready pods out of the replicas wanted."},
                                    kAgeColumn,
                                    kContainersColumn,
                                    kImagesColumn},
                                   StatefulSetRow};
  p["apps/daemonsets"] =
      Printer{{kNameColumn,
               {"Desired", "integer", "Nodes that should run the daemon pod."},
               {"Current", "integer", "Nodes running at least one daemon pod."},
               {"Ready", "integer", "Nodes whose daemon pod is ready."},
               {"Up-to-date", "integer", "Nodes running the current pod template."},
               {"Available", "integer", "Nodes whose daemon pod is available."},
               {"Node Selector", "string", "Labels a node needs to run the daemon pod."},
               kAgeColumn,
               kContainersColumn,
               kImagesColumn,
               kSelectorColumn},
              DaemonSetRow};
  p["apps/controllerrevisions"] =
      Printer{{kNameColumn,
               {"Controller", "string", "The object that owns the revision."},
               {"Revision", "string", "The revision number."},
               kAgeColumn},
              ControllerRevisionRow};
  p["batch/jobs"] = Printer{{kNameColumn,
                             {"Status", "string", "The state of the job."},
                             {"Completions", "string", "Pods that succeeded out of those wanted."},
                             {"Duration", "string", "How long the job ran or has been running."},
                             kAgeColumn,
                             kContainersColumn,
                             kImagesColumn,
                             kSelectorColumn},
                            JobRow};
  p["batch/cronjobs"] =
      Printer{{kNameColumn,
               {"Schedule", "string", "The cron schedule of the jobs."},
               {"Timezone", "string", "The time zone of the schedule."},
               {"Suspend", "boolean", "Whether new jobs are held back."},
               {"Active", "integer", "Jobs running now."},
               {"Last Schedule", "string", "Time since a job was last scheduled."},
               kAgeColumn,
               kContainersColumn,
               kImagesColumn,
               kSelectorColumn},
              CronJobRow};
  p["autoscaling/horizontalpodautoscalers"] =
      Printer{{kNameColumn,
               {"Reference", "string", "The scaled object, as kind/name."},
               {"Targets", "string", "Current and target values of the metrics."},
               {"MinPods", "string", "The fewest replicas the autoscaler sets."},
               {"MaxPods", "string", "The most replicas the autoscaler sets."},
               {"Replicas", "string", "Replicas the scaled object has now."},
               kAgeColumn},
              HpaRow};
  p["policy/poddisruptionbudgets"] =
      Printer{{kNameColumn,
               {"Min Available", "string", "Pods that must stay available."},
               {"Max Unavailable", "string", "Pods that may be unavailable."},
               {"Allowed Disruptions", "integer", "Pods that may be disrupted now."},
               kAgeColumn},
              PdbRow};
}

}  // namespace kstack::server::internal
