// The pod table: readiness, the status word kubectl shows (Running, Init:0/1, CrashLoopBackOff,
// Completed, Terminating, ...), restarts with the time of the last one, and where the pod runs.

#include <fmt/format.h>

#include "server/internal/table_printer.h"
#include "server/table.h"

namespace kstack::server::internal {
namespace {

// A sidecar: an init container that keeps running beside the pod's containers.
bool IsRestartable(const Json& pod, std::string_view init_container) {
  for (const Json& c : Items(pod, {"spec", "initContainers"})) {
    if (FindString(c, "name") == init_container) {
      return FindString(c, "restartPolicy") == "Always";
    }
  }
  return false;
}

bool HasCondition(const Json& pod, std::string_view type) {
  for (const Json& c : Items(pod, {"status", "conditions"})) {
    if (FindString(c, "type") == type) return FindString(c, "status") == "True";
  }
  return false;
}

// The finish time of the container's previous run, when it was later than `latest`.
void NoteLastTermination(const Json& status, std::optional<Clock::WallTime>* latest) {
  const Json& finished = At(status, {"lastState", "terminated", "finishedAt"});
  if (!At(status, {"lastState", "terminated"}).is_object()) return;
  std::optional<Clock::WallTime> at =
      finished.is_string() ? ParseTime(finished.get_string()) : std::nullopt;
  if (at && (!*latest || **latest < *at)) *latest = at;
}

// "Init:" or "" followed by the reason, signal or exit code of a terminated container.
std::string TerminatedText(const Json& terminated, std::string_view prefix) {
  std::string reason = Str(terminated, {"reason"});
  if (!reason.empty()) return std::string(prefix) + reason;
  if (int64_t signal = Int(terminated, {"signal"}); signal != 0) {
    return fmt::format("{}Signal:{}", prefix, signal);
  }
  return fmt::format("{}ExitCode:{}", prefix, Int(terminated, {"exitCode"}));
}

struct PodSummary {
  int64_t ready = 0;
  int64_t total = 0;
  int64_t restarts = 0;
  std::optional<Clock::WallTime> last_restart;
  std::string reason;
};

PodSummary Summarize(const Json& pod) {
  PodSummary s;
  s.total = Count(pod, {"spec", "containers"});
  // A new pod's phase is Pending until the kubelet reports.
  std::string phase = Str(pod, {"status", "phase"}, "Pending");
  s.reason = Str(pod, {"status", "reason"}, phase);
  for (const Json& c : Items(pod, {"status", "conditions"})) {
    if (FindString(c, "type") == "PodScheduled" && FindString(c, "reason") == "SchedulingGated") {
      s.reason = "SchedulingGated";
    }
  }
  for (const Json& c : Items(pod, {"spec", "initContainers"})) {
    if (FindString(c, "restartPolicy") == "Always") ++s.total;
  }

  int64_t sidecar_restarts = 0;
  std::optional<Clock::WallTime> sidecar_last_restart;
  bool initializing = false;
  const JsonArray& init_statuses = Items(pod, {"status", "initContainerStatuses"});
  const int64_t init_count = Count(pod, {"spec", "initContainers"});
  for (size_t i = 0; i < init_statuses.size(); ++i) {
    const Json& c = init_statuses[i];
    bool sidecar = IsRestartable(pod, FindString(c, "name"));
    s.restarts += Int(c, {"restartCount"});
    NoteLastTermination(c, &s.last_restart);
    if (sidecar) {
      sidecar_restarts += Int(c, {"restartCount"});
      NoteLastTermination(c, &sidecar_last_restart);
    }
    const Json& terminated = At(c, {"state", "terminated"});
    std::string waiting = Str(c, {"state", "waiting", "reason"});
    if (terminated.is_object() && Int(terminated, {"exitCode"}) == 0) continue;
    if (sidecar && IsTrue(c, {"started"})) {
      if (IsTrue(c, {"ready"})) ++s.ready;
      continue;
    }
    if (terminated.is_object()) {
      s.reason = TerminatedText(terminated, "Init:");
    } else if (!waiting.empty() && waiting != "PodInitializing") {
      s.reason = "Init:" + waiting;
    } else {
      s.reason = fmt::format("Init:{}/{}", i, init_count);
    }
    initializing = true;
    break;
  }

  if (!initializing || HasCondition(pod, "Initialized")) {
    s.restarts = sidecar_restarts;
    s.last_restart = sidecar_last_restart;
    bool has_running = false;
    const JsonArray& statuses = Items(pod, {"status", "containerStatuses"});
    for (auto it = statuses.rbegin(); it != statuses.rend(); ++it) {
      const Json& c = *it;
      s.restarts += Int(c, {"restartCount"});
      NoteLastTermination(c, &s.last_restart);
      const Json& terminated = At(c, {"state", "terminated"});
      std::string waiting = Str(c, {"state", "waiting", "reason"});
      if (!waiting.empty()) {
        s.reason = waiting;
      } else if (terminated.is_object()) {
        s.reason = TerminatedText(terminated, "");
      } else if (IsTrue(c, {"ready"}) && At(c, {"state", "running"}).is_object()) {
        has_running = true;
        ++s.ready;
      }
    }
    // A container still running makes a "Completed" pod Running (or NotReady) again.
    if (s.reason == "Completed" && has_running) {
      s.reason = HasCondition(pod, "Ready") ? "Running" : "NotReady";
    }
  }

  if (At(pod, {"metadata", "deletionTimestamp"}).is_string()) {
    if (Str(pod, {"status", "reason"}) == "NodeLost") {
      s.reason = "Unknown";
    } else if (phase != "Succeeded" && phase != "Failed") {
      s.reason = "Terminating";
    }
  }
  return s;
}

std::string ReadinessGates(const Json& pod) {
  const JsonArray& gates = Items(pod, {"spec", "readinessGates"});
  if (gates.empty()) return "<none>";
  int64_t met = 0;
  for (const Json& gate : gates) {
    std::string_view type = FindString(gate, "conditionType");
    for (const Json& c : Items(pod, {"status", "conditions"})) {
      if (FindString(c, "type") == type) {
        if (FindString(c, "status") == "True") ++met;
        break;
      }
    }
  }
  return fmt::format("{}/{}", met, gates.size());
}

JsonArray PodRow(const RowInput& in) {
  const Json& pod = in.object;
  PodSummary s = Summarize(pod);
  std::string restarts = std::to_string(s.restarts);
  if (s.restarts != 0 && s.last_restart) {
    auto ago = std::chrono::duration_cast<std::chrono::seconds>(in.now - *s.last_restart);
    restarts += fmt::format(" ({} ago)", HumanDuration(ago));
  }
  // status.podIP wins over status.podIPs, as the API server reads a pod.
  std::string ip = Str(pod, {"status", "podIP"});
  if (ip.empty() && !Items(pod, {"status", "podIPs"}).empty()) {
    ip = Str(Items(pod, {"status", "podIPs"})[0], {"ip"});
  }
  return JsonArray{Str(pod, {"metadata", "name"}),
                   fmt::format("{}/{}", s.ready, s.total),
                   s.reason,
                   restarts,
                   in.age,
                   ip.empty() ? "<none>" : ip,
                   Str(pod, {"spec", "nodeName"}, "<none>"),
                   Str(pod, {"status", "nominatedNodeName"}, "<none>"),
                   ReadinessGates(pod)};
}

// Finished pods carry a Completed row condition.
JsonArray PodConditions(const Json& pod) {
  std::string phase = Str(pod, {"status", "phase"});
  if (phase != "Succeeded" && phase != "Failed") return {};
  return JsonArray{
      JsonObject{{"type", "Completed"},
                 {"status", "True"},
                 {"reason", phase},
                 {"message", phase == "Succeeded" ? "The pod ran to completion."
                                                  : "The pod ended in failure."}}};
}

}  // namespace

void AddPodPrinters(PrinterMap* printers) {
  (*printers)["/pods"] = Printer{
      {kNameColumn,
       {"Ready", "string", "Ready containers of the pod out of all its containers."},
       {"Status", "string", "The state of the pod in one word, from its containers' states."},
       {"Restarts", "string", "Restarts of the pod's containers, and how long ago the last was."},
       kAgeColumn,
       {"IP", "string", "The pod's IP address.", 1},
       {"Node", "string", "The node the pod is bound to.", 1},
       {"Nominated Node", "string", "The node a preempting scheduler nominated for the pod.", 1},
       {"Readiness Gates", "string", "Readiness gates of the pod that are met, of all.", 1}},
      PodRow,
      PodConditions};
}

}  // namespace kstack::server::internal
