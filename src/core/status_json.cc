#include "core/status_json.h"

namespace kstack {

Json StatusToJson(const Status& status) {
  JsonObject out;
  out["kind"] = "Status";
  out["apiVersion"] = "v1";
  out["metadata"] = JsonObject();
  if (status.ok()) {
    out["status"] = "Success";
    out["code"] = 200;
    return out;
  }
  out["status"] = "Failure";
  out["message"] = status.message();
  out["reason"] = ReasonName(status.reason());
  if (const StatusDetails* d = status.details()) {
    JsonObject details;
    if (!d->name.empty()) details["name"] = d->name;
    if (!d->group.empty()) details["group"] = d->group;
    if (!d->kind.empty()) details["kind"] = d->kind;
    if (!d->causes.empty()) {
      JsonArray causes;
      for (const StatusCause& c : d->causes) {
        JsonObject cause;
        if (!c.type.empty()) cause["reason"] = c.type;
        if (!c.message.empty()) cause["message"] = c.message;
        if (!c.field.empty()) cause["field"] = c.field;
        causes.push_back(std::move(cause));
      }
      details["causes"] = std::move(causes);
    }
    if (d->retry_after_seconds > 0) details["retryAfterSeconds"] = d->retry_after_seconds;
    out["details"] = std::move(details);
  }
  out["code"] = status.code();
  return out;
}

}  // namespace kstack
