#include "server/internal/watch_stream.h"

#include "core/status_json.h"
#include "server/object_registry.h"

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
                         Options options)
    : keep_alive_(options.keep_alive),
      type_(type),
      watcher_(std::move(watcher)),
      box_(std::move(box)),
      labels_(std::move(labels)),
      fields_(std::move(fields)),
      options_(std::move(options)),
      revision_(options_.start_revision) {
  // As Kubernetes does: a bookmark every minute, and one shortly before the end so that the
  // client resumes from a recent revision.
  auto now = std::chrono::steady_clock::now();
  next_bookmark_ = std::min(now + std::chrono::minutes(1), options_.end - std::chrono::seconds(2));
  if (next_bookmark_ < now) next_bookmark_ = now + (options_.end - now) / 2;
}

std::chrono::steady_clock::time_point WatchStream::deadline() const {
  return options_.bookmarks ? std::min(options_.end, next_bookmark_) : options_.end;
}

std::string WatchStream::Bookmark(bool initial_events_end) const {
  JsonObject metadata{{"resourceVersion", std::to_string(revision_)}};
  if (initial_events_end) {
    metadata["annotations"] = JsonObject{{"k8s.io/initial-events-end", "true"}};
  }
  Json object = JsonObject{{"kind", type_.kind},
                           {"apiVersion", type_.group_version},
                           {"metadata", std::move(metadata)}};
  return Line("BOOKMARK", object, nullptr);
}

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

std::optional<Json> WatchStream::Decode(const store::KeyValue& kv, int64_t revision) const {
  Result<Json> object = ObjectRegistry::DecodeStored(type_, kv, revision);
  if (!object.ok()) return std::nullopt;
  return std::move(*object);
}

bool WatchStream::Matches(const Json& object) const {
  if (!labels_.MatchesObject(object)) return false;
  return fields_.empty() || fields_.Matches(machinery::FieldsOf(type_.group, type_.kind, object));
}

bool WatchStream::Poll(std::string* out) {
  if (ended_) return false;
  out->append(options_.initial);
  options_.initial.clear();
  if (options_.initial_events_end) {
    out->append(Bookmark(true));
    options_.initial_events_end = false;
  }
  auto now = std::chrono::steady_clock::now();
  if (now >= options_.end) {
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
    revision_ = std::max(revision_, e->revision);
    // What the client sees follows its selectors: an object that starts matching is ADDED, one
    // that stops matching is DELETED (as it was, at the event's revision).
    std::optional<Json> current, previous;
    if (e->type != store::Event::Type::kDeleted) current = Decode(e->kv, e->revision);
    bool filtered = !labels_.empty() || !fields_.empty();
    bool matched = false;
    if (e->type == store::Event::Type::kDeleted || (filtered && e->prev)) {
      if (e->prev) previous = Decode(*e->prev, e->revision);
      matched = previous && Matches(*previous);
    } else if (e->type == store::Event::Type::kUpdated) {
      matched = true;  // no selector: everything matches
    }
    bool now_matches = current && Matches(*current);
    if (now_matches) {
      out->append(Line(matched ? "MODIFIED" : "ADDED", *current, options_.to_table));
    } else if (matched) {
      out->append(Line("DELETED", *previous, options_.to_table));
    }
  }
  if (options_.bookmarks && now >= next_bookmark_) {
    out->append(Bookmark(false));
    next_bookmark_ = std::min(now + std::chrono::minutes(1), options_.end - std::chrono::seconds(2));
    if (next_bookmark_ <= now) next_bookmark_ = options_.end;
  }
  return true;
}

}  // namespace kstack::server::internal
