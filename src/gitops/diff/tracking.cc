#include "gitops/diff/tracking.h"

#include <cctype>

#include "gitops/diff/internal/json_util.h"

namespace kstack::gitops::diff {
namespace {

std::string_view MetadataMapValue(const Json& object, std::string_view map, std::string_view key) {
  const Json* metadata = FindMember(object, "metadata");
  const Json* values = metadata ? FindMember(*metadata, map) : nullptr;
  return values ? FindString(*values, key) : "";
}

bool HasMetadataMapValue(const Json& object, std::string_view map, std::string_view key) {
  const Json* metadata = FindMember(object, "metadata");
  const Json* values = metadata ? FindMember(*metadata, map) : nullptr;
  return values != nullptr && FindMember(*values, key) != nullptr;
}

JsonObject& MetadataMap(Json& object, std::string_view map) {
  Json& metadata = object.get_object()["metadata"];
  if (!metadata.is_object()) metadata = JsonObject();
  Json& values = metadata.get_object()[map];
  if (!values.is_object()) values = JsonObject();
  return values.get_object();
}

}  // namespace

std::string TrackingId(const Tracking& tracking, const ResourceKey& key) {
  std::string ns = key.ns.empty() ? tracking.destination_namespace : key.ns;
  return tracking.app + ":" + key.group + "/" + key.kind + ":" + ns + "/" + key.name;
}

bool IsTracked(const Json& live, const Tracking& tracking) {
  if (tracking.method == TrackingMethod::kLabel) {
    return MetadataMapValue(live, "labels", tracking.label_key) == tracking.app &&
           !tracking.app.empty();
  }
  std::string_view id = MetadataMapValue(live, "annotations", kTrackingIdAnnotation);
  // <app>:<group>/<kind>:<namespace>/<name>; the app name holds no ":", the rest no more than
  // the two separators.
  size_t first = id.find(':');
  if (first == std::string_view::npos || id.substr(0, first) != tracking.app) return false;
  std::string_view rest = id.substr(first + 1);
  size_t second = rest.find(':');
  if (second == std::string_view::npos) return false;
  std::string_view group_kind = rest.substr(0, second), ns_name = rest.substr(second + 1);
  size_t gk = group_kind.find('/'), nn = ns_name.find('/');
  if (gk == std::string_view::npos || nn == std::string_view::npos) return false;
  if (group_kind.find('/', gk + 1) != std::string_view::npos ||
      ns_name.find('/', nn + 1) != std::string_view::npos) {
    return false;
  }
  ResourceKey key = ResourceKey::Of(live);
  return group_kind.substr(0, gk) == key.group && group_kind.substr(gk + 1) == key.kind &&
         (key.ns.empty() || ns_name.substr(0, nn) == key.ns) && ns_name.substr(nn + 1) == key.name;
}

void SetTracking(Json& object, const Tracking& tracking) {
  if (!object.is_object() || tracking.app.empty()) return;
  if (tracking.method != TrackingMethod::kLabel) {
    MetadataMap(object, "annotations")[kTrackingIdAnnotation] =
        TrackingId(tracking, ResourceKey::Of(object));
  }
  if (tracking.method != TrackingMethod::kAnnotation) {
    // A label value holds at most 63 characters and must end with one that is alphanumeric.
    std::string value = tracking.app.substr(0, 63);
    while (!value.empty() && !std::isalnum(static_cast<unsigned char>(value.back()))) {
      value.pop_back();
    }
    MetadataMap(object, "labels")[tracking.label_key] = value;
  }
}

void NormalizeTracking(const Json& desired, Json& live, const Tracking& tracking) {
  if (tracking.method == TrackingMethod::kLabel || !live.is_object()) return;
  if (!HasMetadataMapValue(live, "labels", tracking.label_key)) return;
  std::string_view id = MetadataMapValue(desired, "annotations", kTrackingIdAnnotation);
  if (!id.empty()) MetadataMap(live, "annotations")[kTrackingIdAnnotation] = std::string(id);
  if (!HasMetadataMapValue(desired, "labels", tracking.label_key)) {
    MetadataMap(live, "labels").erase(tracking.label_key);
  }
}

}  // namespace kstack::gitops::diff
