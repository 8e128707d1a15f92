#include "kube/http_client.h"

#include <mutex>

#include "kube/discovery.h"
#include "kube/internal/response_status.h"
#include "kube/internal/transport.h"
#include "kube/internal/watch_line.h"
#include "machinery/resource_types.h"

namespace kstack::kube {
namespace {

using internal::HttpRequest;
using internal::HttpResponse;

// Percent-encodes everything but RFC 3986's unreserved characters.
std::string Escape(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

class Query {
 public:
  Query& Add(std::string_view key, std::string_view value) {
    if (value.empty()) return *this;
    text_ += text_.empty() ? '?' : '&';
    text_ += key;
    text_ += '=';
    text_ += Escape(value);
    return *this;
  }
  const std::string& text() const { return text_; }

 private:
  std::string text_;
};

std::string_view MetadataString(const Json& object, std::string_view key) {
  const Json* metadata = FindMember(object, "metadata");
  return metadata ? FindString(*metadata, key) : std::string_view();
}

class HttpWatchStream : public WatchStream {
 public:
  explicit HttpWatchStream(std::unique_ptr<internal::LineStream> lines)
      : lines_(std::move(lines)) {}

  Result<std::optional<WatchEvent>> Next(std::chrono::milliseconds timeout) override {
    if (!end_.ok()) return end_;
    Result<std::optional<std::string>> line = lines_->Next(timeout);
    if (!line.ok()) {
      end_ = line.status().reason() == Reason::kTimeout
                 ? Status(Reason::kTimeout, "watch closed: " + line.status().message())
                 : line.status();
      return end_;
    }
    if (!line->has_value()) return std::optional<WatchEvent>();
    Result<WatchEvent> event = internal::ParseWatchLine(**line);
    if (!event.ok()) {
      end_ = event.status();
      lines_->Cancel();
      return end_;
    }
    return std::optional<WatchEvent>(std::move(*event));
  }

  void Cancel() override { lines_->Cancel(); }

 private:
  std::unique_ptr<internal::LineStream> lines_;
  Status end_;
};

}  // namespace

std::string_view WatchEventTypeName(WatchEvent::Type type) {
  switch (type) {
    case WatchEvent::Type::kAdded:
      return "ADDED";
    case WatchEvent::Type::kModified:
      return "MODIFIED";
    case WatchEvent::Type::kDeleted:
      return "DELETED";
    case WatchEvent::Type::kBookmark:
      return "BOOKMARK";
  }
  return "";
}

struct HttpClient::Impl {
  std::unique_ptr<internal::Transport> transport;
  std::unique_ptr<Discovery> discovery;

  // The path of ref's collection, or of the named object when `name` is not empty.
  Result<std::string> Path(const ResourceRef& ref, std::string_view ns, std::string_view name,
                           std::string_view subresource) {
    if (ref.version.empty()) return InvalidError("resource reference: version: required");
    std::string resource = ref.resource;
    if (resource.empty()) {
      if (ref.kind.empty()) return InvalidError("resource reference: resource or kind: required");
      if (const machinery::ResourceType* t =
              machinery::FindBuiltinKind(ref.group, ref.version, ref.kind)) {
        resource = std::string(t->resource);
      } else {
        KSTACK_ASSIGN_OR_RETURN(ApiResource found,
                                discovery->ForKind(ref.group, ref.version, ref.kind));
        resource = found.resource;
      }
    }
    std::string path =
        ref.group.empty() ? "/api/" + ref.version : "/apis/" + ref.group + "/" + ref.version;
    if (!ns.empty()) path += "/namespaces/" + Escape(ns);
    path += "/" + resource;
    if (!name.empty()) path += "/" + Escape(name);
    if (!subresource.empty()) path += "/" + std::string(subresource);
    return path;
  }

  Result<Json> Send(HttpRequest request) {
    KSTACK_ASSIGN_OR_RETURN(HttpResponse response, transport->Do(request));
    if (response.code < 200 || response.code >= 300) {
      return internal::StatusFromResponse(response.code, response.body,
                                          request.method + " " + request.target);
    }
    if (response.body.empty()) return Json(JsonObject());
    Result<Json> parsed = ParseJson(response.body, request.method + " " + request.target);
    if (!parsed.ok()) return InternalError(parsed.status().message());
    return parsed;
  }

  Result<Json> Write(std::string method, const ResourceRef& ref, const Json& object,
                     const WriteOptions& options, std::string_view subresource) {
    std::string ns = ref.namespace_name.empty() ? std::string(MetadataString(object, "namespace"))
                                                : ref.namespace_name;
    std::string name;
    if (method == "PUT") {
      name = ref.name.empty() ? std::string(MetadataString(object, "name")) : ref.name;
      if (name.empty()) return InvalidError("metadata.name: required to update an object");
    }
    KSTACK_ASSIGN_OR_RETURN(std::string path, Path(ref, ns, name, subresource));
    Query query;
    query.Add("dryRun", options.dry_run ? "All" : "")
        .Add("fieldManager", options.field_manager)
        .Add("fieldValidation", options.field_validation);
    return Send({.method = std::move(method),
                 .target = path + query.text(),
                 .content_type = "application/json",
                 .body = WriteJson(object)});
  }
};

HttpClient::HttpClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpClient::~HttpClient() = default;

Result<std::unique_ptr<HttpClient>> HttpClient::Create(const RestConfig& config,
                                                       const HttpClientOptions& options) {
  auto impl = std::make_unique<Impl>();
  KSTACK_ASSIGN_OR_RETURN(
      impl->transport,
      internal::Transport::Create(config, {.connect_timeout = options.connect_timeout,
                                           .request_timeout = options.request_timeout,
                                           .max_idle_connections = options.max_idle_connections,
                                           .user_agent = options.user_agent}));
  std::unique_ptr<HttpClient> client(new HttpClient(std::move(impl)));
  client->impl_->discovery = std::make_unique<Discovery>(client.get());
  return client;
}

Discovery& HttpClient::discovery() { return *impl_->discovery; }

int64_t HttpClient::connections_opened() const { return impl_->transport->connections_opened(); }

Result<Json> HttpClient::Get(const ResourceRef& ref) {
  if (ref.name.empty()) return InvalidError("resource reference: name: required to get");
  KSTACK_ASSIGN_OR_RETURN(std::string path, impl_->Path(ref, ref.namespace_name, ref.name, ""));
  return impl_->Send({.target = path});
}

Result<Json> HttpClient::List(const ResourceRef& ref, const ListOptions& options) {
  KSTACK_ASSIGN_OR_RETURN(std::string path, impl_->Path(ref, ref.namespace_name, "", ""));
  Query query;
  query.Add("labelSelector", options.label_selector)
      .Add("fieldSelector", options.field_selector)
      .Add("limit", options.limit > 0 ? std::to_string(options.limit) : "")
      .Add("continue", options.continue_token)
      .Add("resourceVersion", options.resource_version)
      .Add("resourceVersionMatch", options.resource_version_match);
  return impl_->Send({.target = path + query.text()});
}

Result<Json> HttpClient::Create(const ResourceRef& ref, const Json& object,
                                const WriteOptions& options) {
  return impl_->Write("POST", ref, object, options, "");
}

Result<Json> HttpClient::Update(const ResourceRef& ref, const Json& object,
                                const WriteOptions& options) {
  return impl_->Write("PUT", ref, object, options, "");
}

Result<Json> HttpClient::UpdateStatus(const ResourceRef& ref, const Json& object,
                                      const WriteOptions& options) {
  return impl_->Write("PUT", ref, object, options, "status");
}

Result<Json> HttpClient::Patch(const ResourceRef& ref, PatchType type, const Json& patch,
                               const PatchOptions& options) {
  if (ref.name.empty()) return InvalidError("resource reference: name: required to patch");
  std::string content_type;
  switch (type) {
    case PatchType::kMerge:
      content_type = "application/merge-patch+json";
      break;
    case PatchType::kJson:
      content_type = "application/json-patch+json";
      break;
    case PatchType::kStrategic:
      content_type = "application/strategic-merge-patch+json";
      break;
    case PatchType::kApply:
      content_type = "application/apply-patch+yaml";
      break;
  }
  if (type == PatchType::kApply && options.field_manager.empty()) {
    return InvalidError("fieldManager: Required value: is required for apply patch");
  }
  KSTACK_ASSIGN_OR_RETURN(std::string path,
                          impl_->Path(ref, ref.namespace_name, ref.name, options.subresource));
  Query query;
  query.Add("dryRun", options.dry_run ? "All" : "")
      .Add("fieldManager", options.field_manager)
      .Add("force", type == PatchType::kApply && options.force ? "true" : "")
      .Add("fieldValidation", options.field_validation);
  // JSON is YAML, so an apply body is sent as JSON text.
  return impl_->Send({.method = "PATCH",
                      .target = path + query.text(),
                      .content_type = content_type,
                      .body = WriteJson(patch)});
}

Result<Json> HttpClient::Delete(const ResourceRef& ref, const DeleteOptions& options) {
  if (ref.name.empty()) return InvalidError("resource reference: name: required to delete");
  KSTACK_ASSIGN_OR_RETURN(std::string path, impl_->Path(ref, ref.namespace_name, ref.name, ""));
  JsonObject body{{"kind", "DeleteOptions"}, {"apiVersion", "v1"}};
  if (!options.propagation_policy.empty()) body["propagationPolicy"] = options.propagation_policy;
  if (options.grace_period_seconds) body["gracePeriodSeconds"] = *options.grace_period_seconds;
  if (!options.precondition_uid.empty() || !options.precondition_resource_version.empty()) {
    JsonObject pre;
    if (!options.precondition_uid.empty()) pre["uid"] = options.precondition_uid;
    if (!options.precondition_resource_version.empty()) {
      pre["resourceVersion"] = options.precondition_resource_version;
    }
    body["preconditions"] = std::move(pre);
  }
  if (options.dry_run) body["dryRun"] = JsonArray{"All"};
  Query query;
  query.Add("dryRun", options.dry_run ? "All" : "");
  return impl_->Send({.method = "DELETE",
                      .target = path + query.text(),
                      .content_type = "application/json",
                      .body = WriteJson(Json(std::move(body)))});
}

Result<std::unique_ptr<WatchStream>> HttpClient::Watch(const ResourceRef& ref,
                                                       const WatchOptions& options) {
  KSTACK_ASSIGN_OR_RETURN(std::string path, impl_->Path(ref, ref.namespace_name, "", ""));
  std::string fields = options.field_selector;
  if (!ref.name.empty()) {
    fields = "metadata.name=" + ref.name + (fields.empty() ? "" : "," + fields);
  }
  Query query;
  query.Add("watch", "1")
      .Add("labelSelector", options.label_selector)
      .Add("fieldSelector", fields)
      .Add("resourceVersion", options.resource_version)
      .Add("allowWatchBookmarks", options.allow_bookmarks ? "true" : "")
      .Add("sendInitialEvents", options.send_initial_events ? "true" : "")
      .Add("resourceVersionMatch", options.send_initial_events ? "NotOlderThan" : "")
      .Add("timeoutSeconds",
           options.timeout_seconds > 0 ? std::to_string(options.timeout_seconds) : "");
  std::string target = path + query.text();
  internal::HttpRequest request{.target = target};
  if (options.timeout_seconds > 0) {
    // A server that vanished without closing the connection must not hold the watch forever.
    request.stream_deadline = std::chrono::seconds(options.timeout_seconds + 30);
  }
  KSTACK_ASSIGN_OR_RETURN(internal::Transport::StreamResult started,
                          impl_->transport->Stream(request));
  if (started.error_response) {
    return internal::StatusFromResponse(started.error_response->code, started.error_response->body,
                                        "GET " + target);
  }
  return std::unique_ptr<WatchStream>(std::make_unique<HttpWatchStream>(std::move(started.stream)));
}

Result<Json> HttpClient::GetPath(const std::string& path, const std::string& accept) {
  return impl_->Send({.target = path, .accept = accept});
}

}  // namespace kstack::kube
