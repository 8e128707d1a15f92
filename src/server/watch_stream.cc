#include "server/internal/watch_stream.h"

#include "core/status_json.h"

namespace kstack::server::internal {

void WakeBox::Fire() {
  std::function<void()> wake;
  {
    std::lock_guard lock(mu_);
    if (!wake_) {
      pending_ = true;
      return;
    }
    wake = wake_;
  }
  wake();
}

void WakeBox::Set(std::function<void()> wake) {
  bool pending;
  {
    std::lock_guard lock(mu_);
    wake_ = wake;
    pending = pending_;
    pending_ = false;
  }
  if (pending) wake();
}

WatchStream::WatchStream(const machinery::ResourceType& type,
                         std::unique_ptr<store::Watcher> watcher, std::shared_ptr<WakeBox> box,
                         machinery::LabelSelector labels, machinery::FieldSelector fields,
                         std::string initial, std::chrono::steady_clock::time_point deadline,
                         TableFn to_table, std::shared_ptr<const void> keep_alive)
    : keep_alive_(std::move(keep_alive)),
      type_(type),
      watcher_(std::move(watcher)),
      box_(std::move(box)),
      labels_(std::move(labels)),
      fields_(std::move(fields)),
      initial_(std::move(initial)),
      deadline_(deadline),
      to_table_(std::move(to_table)) {}

void WatchStream::Start(std::function<void()> wake) { box_->Set(std::move(wake)); }

std::string WatchStream::Line(std::string_view type, const Json& object, const TableFn& to_table) {
  std::string line = "{\"type\":\"";
  line += type;
  line += "\",\"object\":";
  if (to_table) {
    const Json* metadata = FindMember(object, "metadata");
    const Json* rv = metadata ? FindMember(*metadata, "resourceVersion") : nullptr;
    JsonObject list_metadata;
    if (rv != nullptr) list_metadata["resourceVersion"] = *rv;
    AppendJson(&line, to_table(std::span<const Json>(&object, 1), list_metadata));
  } else {
    AppendJson(&line, object);
  }
  line += "}\n";
  return line;
}

bool WatchStream::Matches(const Json& object) const {
  if (!labels_.MatchesObject(object)) return false;
  return fields_.empty() || fields_.Matches(machinery::FieldsOf(type_.group, type_.kind, object));
}

bool WatchStream::Poll(std::string* out) {
  if (ended_) return false;
  out->append(initial_);
  initial_.clear();
  if (std::chrono::steady_clock::now() >= deadline_) {
    ended_ = true;
    return false;
  }
  Result<std::vector<store::EventPtr>> events = watcher_->Next(std::chrono::milliseconds(0));
  if (!events.ok()) {
    // The client re-lists, as after any expired watch.
    Status expired(Reason::kExpired, "too old resource version: " + events.status().message());
    out->append(Line("ERROR", StatusToJson(expired), nullptr));
    ended_ = true;
    return false;
  }
  for (const store::EventPtr& e : *events) {
    const store::KeyValue& kv =
        e->type == store::Event::Type::kDeleted && e->prev ? *e->prev : e->kv;
    Result<Json> object = ParseJson(kv.value, kv.key);
    if (!object.ok() || !object->is_object()) continue;
    Json& metadata = object->as_object()["metadata"];
    if (!metadata.is_object()) metadata = JsonObject();
    metadata.get_object()["resourceVersion"] = std::to_string(e->revision);
    // Custom resources are read through any served version (conversion None).
    if (FindString(*object, "apiVersion") != type_.group_version) {
      object->as_object()["apiVersion"] = type_.group_version;
    }
    if (!Matches(*object)) continue;
    std::string_view type = e->type == store::Event::Type::kCreated   ? "ADDED"
                            : e->type == store::Event::Type::kUpdated ? "MODIFIED"
                                                                      : "DELETED";
    out->append(Line(type, *object, to_table_));
  }
  return true;
}

}  // namespace kstack::server::internal
