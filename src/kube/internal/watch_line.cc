#include "kube/internal/watch_line.h"

#include <string>

#include "kube/internal/response_status.h"

namespace kstack::kube::internal {

Result<WatchEvent> ParseWatchLine(std::string_view line) {
  Result<Json> parsed = ParseJson(line, "watch event");
  if (!parsed.ok()) return InternalError("watch: " + parsed.status().message());
  std::string_view type = FindString(*parsed, "type");
  const Json* object = FindMember(*parsed, "object");
  if (object == nullptr || !object->is_object()) {
    return InternalError("watch: an event without an object: " + std::string(line.substr(0, 200)));
  }
  if (type == "ERROR") return StatusFromStatusObject(*object, 500);
  WatchEvent event;
  if (type == "ADDED") {
    event.type = WatchEvent::Type::kAdded;
  } else if (type == "MODIFIED") {
    event.type = WatchEvent::Type::kModified;
  } else if (type == "DELETED") {
    event.type = WatchEvent::Type::kDeleted;
  } else if (type == "BOOKMARK") {
    event.type = WatchEvent::Type::kBookmark;
  } else {
    return InternalError("watch: unknown event type \"" + std::string(type) + "\"");
  }
  if (const Json* metadata = FindMember(*object, "metadata")) {
    event.resource_version = std::string(FindString(*metadata, "resourceVersion"));
    if (const Json* annotations = FindMember(*metadata, "annotations")) {
      event.initial_events_end = event.type == WatchEvent::Type::kBookmark &&
                                 FindString(*annotations, "k8s.io/initial-events-end") == "true";
    }
  }
  event.object = std::move(parsed->as_object()["object"]);
  return event;
}

}  // namespace kstack::kube::internal
