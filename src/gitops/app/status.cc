#include "gitops/app/status.h"

#include <algorithm>
#include <set>

namespace kstack::gitops::app {
namespace {

const Json* Member(const Json* object, std::string_view key) {
  if (object == nullptr || !object->is_object()) return nullptr;
  const Json* value = FindMember(*object, key);
  return value == nullptr || value->is_null() ? nullptr : value;
}

std::string_view VersionOf(std::string_view api_version) {
  size_t slash = api_version.find('/');
  return slash == std::string_view::npos ? api_version : api_version.substr(slash + 1);
}

void AddImages(const Json* pod_spec, std::vector<std::string>& out) {
  for (std::string_view list : {"initContainers", "containers", "ephemeralContainers"}) {
    const Json* containers = Member(pod_spec, list);
    if (containers == nullptr || !containers->is_array()) continue;
    for (const Json& c : containers->get_array()) {
      std::string_view image = c.is_object() ? FindString(c, "image") : "";
      if (!image.empty()) out.emplace_back(image);
    }
  }
}

Json HealthJson(const health::HealthStatus& h) {
  JsonObject out{{"status", health::HealthCodeName(h.status)}};
  if (!h.message.empty()) out["message"] = h.message;
  return out;
}

std::optional<int64_t> SyncWave(const Json* object) {
  const Json* annotations = Member(Member(object, "metadata"), "annotations");
  std::string_view wave =
      annotations ? FindString(*annotations, "argocd.argoproj.io/sync-wave") : "";
  if (wave.empty()) return std::nullopt;
  try {
    size_t used = 0;
    int64_t n = std::stoll(std::string(wave), &used);
    if (used == wave.size()) return n;
  } catch (...) {
  }
  return std::nullopt;
}

Json ResourceJson(const diff::ResourceComparison& r, const std::optional<health::HealthStatus>& h) {
  const Json& object = !r.diff.live.is_null() ? r.diff.live : r.diff.desired;
  JsonObject out;
  if (!r.key.group.empty()) out["group"] = r.key.group;
  out["version"] = VersionOf(object.is_object() ? FindString(object, "apiVersion") : "");
  out["kind"] = r.key.kind;
  if (!r.key.ns.empty()) out["namespace"] = r.key.ns;
  out["name"] = r.key.name;
  out["status"] = r.status == diff::ResourceStatus::kSynced ? "Synced" : "OutOfSync";
  if (h) out["health"] = HealthJson(*h);
  if (r.hook) out["hook"] = true;
  if (r.status == diff::ResourceStatus::kExtraneous) out["requiresPruning"] = true;
  const Json* desired = r.diff.desired.is_null() ? nullptr : &r.diff.desired;
  if (std::optional<int64_t> wave = SyncWave(desired ? desired : &object); wave && *wave != 0) {
    out["syncWave"] = *wave;
  }
  return out;
}

Json ComparedTo(const Json& spec) {
  JsonObject out;
  if (const Json* sources = Member(&spec, "sources")) {
    out["sources"] = *sources;
  } else if (const Json* source = Member(&spec, "source")) {
    out["source"] = *source;
  }
  out["destination"] = Member(&spec, "destination") ? *Member(&spec, "destination") : JsonObject();
  if (const Json* ignore = Member(&spec, "ignoreDifferences")) out["ignoreDifferences"] = *ignore;
  return out;
}

// Conditions keep the time they first appeared with the same type and message.
Json Conditions(const std::vector<Condition>& conditions, const Json* previous,
                const std::string& now) {
  JsonArray out;
  for (const Condition& c : conditions) {
    std::string since = now;
    if (previous != nullptr && previous->is_array()) {
      for (const Json& p : previous->get_array()) {
        if (p.is_object() && FindString(p, "type") == c.type &&
            FindString(p, "message") == c.message && !FindString(p, "lastTransitionTime").empty()) {
          since = std::string(FindString(p, "lastTransitionTime"));
        }
      }
    }
    out.push_back(
        JsonObject{{"type", c.type}, {"message", c.message}, {"lastTransitionTime", since}});
  }
  return out;
}

}  // namespace

std::vector<std::string> ImagesOf(const Json& object) {
  std::vector<std::string> out;
  const Json* spec = Member(&object, "spec");
  AddImages(spec, out);                                      // Pod
  AddImages(Member(Member(spec, "template"), "spec"), out);  // Deployment, StatefulSet, Job...
  AddImages(Member(Member(Member(Member(spec, "jobTemplate"), "spec"), "template"), "spec"),
            out);  // CronJob
  return out;
}

Json BuildStatus(const StatusInput& input) {
  const Json* spec = Member(input.app, "spec");
  const Json* previous = Member(input.app, "status");
  std::string now = FormatRfc3339(input.now);
  JsonObject status;

  JsonObject sync;
  sync["status"] = input.comparison == nullptr                             ? "Unknown"
                   : input.comparison->status == diff::SyncStatus::kSynced ? "Synced"
                                                                           : "OutOfSync";
  bool multi = Member(spec, "sources") != nullptr;
  if (multi) {
    JsonArray revisions;
    for (const std::string& r : input.revisions) revisions.emplace_back(r);
    sync["revisions"] = std::move(revisions);
  } else if (!input.revisions.empty()) {
    sync["revision"] = input.revisions.front();
  }
  sync["comparedTo"] = spec ? ComparedTo(*spec) : Json(JsonObject());
  status["sync"] = std::move(sync);

  JsonArray resources;
  std::set<std::string> images;
  if (input.comparison != nullptr) {
    const auto& compared = input.comparison->resources;
    for (size_t i = 0; i < compared.size(); ++i) {
      std::optional<health::HealthStatus> h;
      if (input.health != nullptr && i < input.health->resources.size()) {
        h = input.health->resources[i];
      }
      resources.push_back(ResourceJson(compared[i], h));
      if (compared[i].diff.live.is_object()) {
        for (std::string& image : ImagesOf(compared[i].diff.live)) images.insert(std::move(image));
      }
    }
  }
  if (input.health != nullptr) {
    status["health"] =
        HealthJson({.status = input.health->status, .message = input.health->message});
  } else {
    status["health"] = JsonObject{{"status", "Unknown"}};
  }
  status["resources"] = std::move(resources);
  JsonArray image_list;
  for (const std::string& image : images) image_list.emplace_back(image);
  status["summary"] =
      image_list.empty() ? JsonObject() : JsonObject{{"images", std::move(image_list)}};
  status["sourceType"] = input.source_type;
  status["reconciledAt"] = now;
  if (!input.conditions.empty()) {
    status["conditions"] = Conditions(input.conditions, Member(previous, "conditions"), now);
  }
  return status;
}

}  // namespace kstack::gitops::app
