#include "kube/informer.h"

namespace kstack::kube {
namespace {

std::string_view Meta(const Json& object, std::string_view key) {
  const Json* metadata = FindMember(object, "metadata");
  return metadata ? FindString(*metadata, key) : std::string_view();
}

std::string KeyOf(std::string_view ns, std::string_view name) {
  std::string key(ns);
  key += '/';
  key += name;
  return key;
}

std::string KeyOf(const Json& object) {
  return KeyOf(Meta(object, "namespace"), Meta(object, "name"));
}

bool IsExpired(const Status& status) {
  return status.reason() == Reason::kExpired || status.reason() == Reason::kGone;
}

}  // namespace

Informer::Informer(Client* client, InformerOptions options, InformerHandlers handlers)
    : client_(client),
      options_(std::move(options)),
      handlers_(std::move(handlers)),
      backoff_(options_.min_backoff) {
  options_.type.name.clear();
}

Informer::~Informer() { Stop(); }

void Informer::Start() {
  thread_ = std::thread([this] { Run(); });
}

void Informer::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    if (watch_ != nullptr) watch_->Cancel();
    cv_.notify_all();
  }
  if (thread_.joinable()) thread_.join();
}

bool Informer::HasSynced() const {
  std::lock_guard lock(mu_);
  return synced_;
}

bool Informer::WaitForSync(std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, timeout, [&] { return synced_; });
}

ObjectPtr Informer::Get(std::string_view namespace_name, std::string_view name) const {
  std::lock_guard lock(mu_);
  auto it = objects_.find(KeyOf(namespace_name, name));
  return it == objects_.end() ? nullptr : it->second;
}

std::vector<ObjectPtr> Informer::List() const {
  std::lock_guard lock(mu_);
  std::vector<ObjectPtr> out;
  out.reserve(objects_.size());
  for (const auto& [key, object] : objects_) out.push_back(object);
  return out;
}

std::string Informer::ResourceVersion() const {
  std::lock_guard lock(mu_);
  return resource_version_;
}

Status Informer::last_error() const {
  std::lock_guard lock(mu_);
  return last_error_;
}

void Informer::SetError(Status status) {
  std::lock_guard lock(mu_);
  last_error_ = std::move(status);
}

bool Informer::Backoff() {
  std::unique_lock lock(mu_);
  cv_.wait_for(lock, backoff_, [&] { return stopping_; });
  backoff_ = std::min(backoff_ * 2, options_.max_backoff);
  return !stopping_;
}

Status Informer::ListAndReplace() {
  std::map<std::string, ObjectPtr> fresh;
  std::string version;
  ListOptions list{.label_selector = options_.label_selector,
                   .field_selector = options_.field_selector,
                   .limit = options_.page_size};
  do {
    KSTACK_ASSIGN_OR_RETURN(Json page, client_->List(options_.type, list));
    const Json* metadata = FindMember(page, "metadata");
    if (version.empty() && metadata)
      version = std::string(FindString(*metadata, "resourceVersion"));
    list.continue_token = metadata ? std::string(FindString(*metadata, "continue")) : "";
    if (JsonArray* items = page.is_object() && page.as_object().contains("items") &&
                                   page.as_object()["items"].is_array()
                               ? &page.as_object()["items"].as_array()
                               : nullptr) {
      for (Json& item : *items) {
        std::string key = KeyOf(item);
        fresh[key] = std::make_shared<const Json>(std::move(item));
      }
    }
  } while (!list.continue_token.empty());
  lists_.fetch_add(1);

  // What changed since the store was last current, told to the handlers in key order.
  std::map<std::string, ObjectPtr> old;
  {
    std::lock_guard lock(mu_);
    old = objects_;
    objects_ = fresh;
    resource_version_ = version;
  }
  for (const auto& [key, object] : fresh) {
    auto it = old.find(key);
    if (it == old.end()) {
      if (handlers_.on_add) handlers_.on_add(*object);
    } else if (Meta(*it->second, "resourceVersion") != Meta(*object, "resourceVersion")) {
      if (handlers_.on_update) handlers_.on_update(*it->second, *object);
    }
  }
  for (const auto& [key, object] : old) {
    if (!fresh.contains(key) && handlers_.on_delete) handlers_.on_delete(*object);
  }
  std::lock_guard lock(mu_);
  synced_ = true;
  last_error_ = Status::Ok();
  backoff_ = options_.min_backoff;
  cv_.notify_all();
  return Status::Ok();
}

void Informer::ApplyEvent(const WatchEvent& event) {
  if (event.type == WatchEvent::Type::kBookmark) {
    std::lock_guard lock(mu_);
    resource_version_ = event.resource_version;
    return;
  }
  auto object = std::make_shared<const Json>(event.object);
  std::string key = KeyOf(*object);
  ObjectPtr old;
  {
    std::lock_guard lock(mu_);
    auto it = objects_.find(key);
    if (it != objects_.end()) old = it->second;
    if (event.type == WatchEvent::Type::kDeleted) {
      objects_.erase(key);
    } else {
      objects_[key] = object;
    }
    resource_version_ = event.resource_version;
  }
  if (event.type == WatchEvent::Type::kDeleted) {
    // The event carries the object as it was last, as client-go hands it on.
    if (handlers_.on_delete) handlers_.on_delete(*object);
  } else if (old) {
    if (handlers_.on_update) handlers_.on_update(*old, *object);
  } else if (handlers_.on_add) {
    handlers_.on_add(*object);
  }
}

void Informer::Run() {
  bool need_list = true;
  while (true) {
    {
      std::lock_guard lock(mu_);
      if (stopping_) return;
    }
    if (need_list) {
      if (Status s = ListAndReplace(); !s.ok()) {
        SetError(s);
        if (!Backoff()) return;
        continue;
      }
      need_list = false;
    }
    Result<std::unique_ptr<WatchStream>> watch =
        client_->Watch(options_.type, {.label_selector = options_.label_selector,
                                       .field_selector = options_.field_selector,
                                       .resource_version = ResourceVersion(),
                                       .allow_bookmarks = true,
                                       .timeout_seconds = options_.watch_timeout_seconds});
    if (!watch.ok()) {
      SetError(watch.status());
      // The version is gone, or the server is back with other content: start over.
      need_list = true;
      if (!IsExpired(watch.status()) && !Backoff()) return;
      continue;
    }
    {
      std::lock_guard lock(mu_);
      if (stopping_) return;
      watch_ = watch->get();
      last_error_ = Status::Ok();
    }
    bool got_event = false;
    Status end;
    auto watch_began = std::chrono::steady_clock::now();
    while (end.ok()) {
      Result<std::optional<WatchEvent>> event = (*watch)->Next(std::chrono::milliseconds(1000));
      if (!event.ok()) {
        end = event.status();
        break;
      }
      if (event->has_value()) {
        ApplyEvent(**event);
        got_event = true;
      }
    }
    {
      std::lock_guard lock(mu_);
      watch_ = nullptr;
      if (stopping_) return;
      if (got_event) backoff_ = options_.min_backoff;
    }
    watch->reset();
    if (IsExpired(end)) {
      need_list = true;
    } else if (end.reason() == Reason::kTimeout) {
      // The server ended the watch; one that ends at once again and again is not hammered.
      if (std::chrono::steady_clock::now() - watch_began < std::chrono::seconds(1) && !Backoff()) {
        return;
      }
    } else {
      // A broken connection: wait, then resume from the last version (or list when that fails).
      SetError(end);
      if (!Backoff()) return;
    }
  }
}

}  // namespace kstack::kube
