#include "server/internal/api_handler.h"

#include <fmt/format.h>

#include <charconv>
#include <vector>

#include "core/status_json.h"
#include "core/yaml.h"
#include "machinery/builtin_schemas.h"
#include "machinery/protobuf_object.h"
#include "server/custom_table.h"
#include "server/discovery.h"
#include "server/internal/routes.h"
#include "server/internal/watch_stream.h"
#include "server/openapi.h"
#include "server/openapi_v2.h"
#include "server/table.h"

namespace kstack::server::internal {
namespace {

using machinery::BuiltinResourceTypes;
using machinery::ResourceType;

constexpr std::string_view kJson = "application/json";
constexpr std::string_view kAggregated =
    "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
constexpr std::string_view kTable = "application/json;as=Table;v=v1;g=meta.k8s.io";

Response JsonResponse(const Json& value, int code = 200, std::string_view type = kJson) {
  return Response{.code = code, .content_type = std::string(type), .body = WriteJson(value)};
}

Response StatusResponse(const Status& status) {
  return JsonResponse(StatusToJson(status), status.code());
}

Response NotFoundPath() {
  return StatusResponse(
      Status(Reason::kNotFound, "the server could not find the requested resource", {}));
}

Response MethodNotAllowed() {
  return StatusResponse(Status(Reason::kMethodNotAllowed,
                               "the server does not allow this method on the requested resource",
                               {}));
}

std::vector<std::string_view> Split(std::string_view path) {
  std::vector<std::string_view> parts;
  size_t start = 1;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    if (slash > start) parts.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return parts;
}

int Hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string Unescape(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() && Hex(s[i + 1]) >= 0 && Hex(s[i + 2]) >= 0) {
      out += static_cast<char>(Hex(s[i + 1]) * 16 + Hex(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// The value of query parameter `key`, unescaped; "" when absent.
std::string Query(std::string_view target, std::string_view key) {
  size_t q = target.find('?');
  if (q == std::string_view::npos) return "";
  std::string_view query = target.substr(q + 1);
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    size_t eq = pair.find('=');
    if (pair.substr(0, eq) == key) {
      return eq == std::string_view::npos ? "" : Unescape(pair.substr(eq + 1));
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return "";
}

Result<Json> DecodeBody(const Request& request) {
  // kubectl's generator commands (create deployment, create secret, ...) send protobuf.
  if (request.content_type.starts_with(machinery::kProtobufMediaType) &&
      request.content_type.find(";stream=") == std::string::npos) {
    return machinery::DecodeProtobufObject(request.body);
  }
  if (request.content_type.find("protobuf") != std::string::npos ||
      request.content_type.find("cbor") != std::string::npos) {
    return Status(Reason::kUnsupportedMediaType,
                  fmt::format("the body of the request was in an unknown format - accepted media "
                              "types include: application/json, application/yaml, "
                              "application/vnd.kubernetes.protobuf (got {})",
                              request.content_type));
  }
  if (request.content_type.find("yaml") != std::string::npos) {
    return ParseYaml(request.body, "request body");
  }
  return ParseJson(request.body, "request body");
}

// The manager of a write as Kubernetes names it: fieldManager, else the User-Agent up to its
// first "/" (kubectl's "kubectl/v1.32.4 (linux/amd64) kubernetes/abc" is "kubectl").
std::string FieldManager(const Request& request) {
  std::string manager = Query(request.target, "fieldManager");
  if (manager.empty()) {
    manager = request.user_agent.substr(0, request.user_agent.find('/'));
    if (manager.size() > 128) manager.resize(128);
  }
  return manager;
}

// 422 for a bad write option, worded as Kubernetes words it: `PatchOptions.meta.k8s.io "" is
// invalid: fieldManager: Required value: ...`, with the field as its cause.
Status OptionsInvalid(std::string_view kind, std::string_view field, std::string_view cause,
                      std::string_view detail) {
  StatusDetails details{.group = "meta.k8s.io", .kind = std::string(kind)};
  details.causes.push_back(
      {.type = std::string(cause), .message = std::string(detail), .field = std::string(field)});
  return Status(Reason::kInvalid,
                fmt::format("{}.meta.k8s.io \"\" is invalid: {}: {}", kind, field, detail),
                std::move(details));
}

// Warnings for the client, as Kubernetes sends them: `Warning: 299 - "text"`.
void AddWarnings(Response& response, const std::vector<std::string>& warnings) {
  for (const std::string& w : warnings) {
    std::string quoted = "299 - \"";
    for (char c : w) {
      if (c == '"' || c == '\\') quoted += '\\';
      quoted += c;
    }
    quoted += '"';
    response.headers.emplace_back("Warning", std::move(quoted));
  }
}

}  // namespace

ApiHandler::ApiHandler(ObjectRegistry* registry, const TypeCatalog* catalog, const Clock* clock,
                       std::string server_address)
    : registry_(registry),
      catalog_(catalog),
      clock_(clock),
      server_address_(std::move(server_address)) {}

Json ApiHandler::Table(const TypeSet& types, const ResourceType& type,
                       std::span<const Json> objects, const Json& list_metadata) const {
  if (const CustomType* custom = types.Custom(&type)) {
    return CustomResourceTable(custom->printer_columns, objects, list_metadata, clock_->Now());
  }
  return ToTable(type, objects, list_metadata, clock_->Now());
}

Response ApiHandler::Handle(const Request& request) const {
  std::string_view target = request.target;
  std::string_view path = target.substr(0, target.find('?'));
  std::shared_ptr<const TypeSet> types = catalog_->Current();
  if (request.identity.authenticated && request.method == "GET" &&
      (path == "/openapi/v3" || path.starts_with("/openapi/v3/"))) {
    SchemaLookup schema_of = [&types](const ResourceType& t) -> const machinery::Schema* {
      const CustomType* custom = types->Custom(&t);
      if (custom != nullptr) return custom->schema;
      return machinery::BuiltinSchemaFor(t.group, t.version, t.kind);
    };
    if (path == "/openapi/v3") return JsonResponse(OpenApiV3Index(types->types(), schema_of));
    Json doc =
        OpenApiV3Document(types->types(), path.substr(sizeof("/openapi/v3/") - 1), schema_of);
    return doc.is_null() ? NotFoundPath() : JsonResponse(doc);
  }
  if (request.identity.authenticated && request.method == "GET" && path == "/openapi/v2") {
    Json doc = OpenApiV2Document(types->types());
    // kubectl asks for gnostic's protobuf; a client that prefers JSON gets JSON.
    size_t protobuf = request.accept.find("application/com.github.proto-openapi.spec.v2");
    if (protobuf == std::string::npos || request.accept.find(kJson) < protobuf) {
      return JsonResponse(doc);
    }
    Result<std::string> encoded = EncodeOpenApiV2Protobuf(doc);
    if (!encoded.ok()) return StatusResponse(encoded.status());
    return Response{.code = 200,
                    .content_type = std::string(kOpenApiV2Protobuf),
                    .body = std::move(*encoded)};
  }
  bool api = path == "/api" || path.starts_with("/api/");
  bool apis = path == "/apis" || path.starts_with("/apis/");
  if (!(api || apis) || !request.identity.authenticated) return Route(request);
  bool aggregated = request.accept.find("as=APIGroupDiscoveryList") != std::string::npos &&
                    request.accept.find("v=v2;") != std::string::npos;
  if (path == "/api" || path == "/apis") {
    if (request.method != "GET") return MethodNotAllowed();
    if (aggregated) {
      return JsonResponse(AggregatedDiscovery(types->types(), path == "/api"), 200,
                          kAggregated);
    }
    return JsonResponse(path == "/api" ? CoreApiVersions(server_address_)
                                       : ApiGroupList(types->types()));
  }
  return Resource(request, path, types);
}

Response ApiHandler::Watch(const Request& request, const ResourceType& type,
                           const std::string& ns,
                           const std::shared_ptr<const TypeSet>& types) const {
  Result<machinery::LabelSelector> labels =
      machinery::LabelSelector::Parse(Query(request.target, "labelSelector"));
  if (!labels.ok()) return StatusResponse(labels.status());
  Result<machinery::FieldSelector> fields =
      machinery::FieldSelector::Parse(Query(request.target, "fieldSelector"));
  if (!fields.ok()) return StatusResponse(fields.status());
  if (Status s = machinery::CheckFieldsSupported(*fields, type.group, type.kind); !s.ok()) {
    return StatusResponse(s);
  }
  bool table = request.accept.find("as=Table") != std::string::npos;
  WatchStream::TableFn to_table;
  if (table) {
    to_table = [this, types, &type](std::span<const Json> objects, const Json& list_metadata) {
      return Table(*types, type, objects, list_metadata);
    };
  }
  std::string initial;
  int64_t after = 0;
  std::string rv = Query(request.target, "resourceVersion");
  std::string send_initial = Query(request.target, "sendInitialEvents");
  bool bookmarks = Query(request.target, "allowWatchBookmarks") == "true";
  if (!send_initial.empty() && Query(request.target, "resourceVersionMatch") != "NotOlderThan") {
    return StatusResponse(Status(
        Reason::kInvalid, "resourceVersionMatch: Forbidden: sendInitialEvents requires setting "
                          "resourceVersionMatch to NotOlderThan"));
  }
  if (send_initial == "true" || (send_initial.empty() && (rv.empty() || rv == "0"))) {
    // Without a resourceVersion a watch starts with the current objects as ADDED events.
    Result<Json> list = registry_->List(type, ns,
                                        {.label_selector = Query(request.target, "labelSelector"),
                                         .field_selector = Query(request.target, "fieldSelector")});
    if (!list.ok()) return StatusResponse(list.status());
    for (const Json& item : list->at("items").as_array()) {
      initial += WatchStream::Line("ADDED", item, to_table);
    }
    std::string_view list_rv = list->at("metadata").at("resourceVersion").as_string();
    std::from_chars(list_rv.data(), list_rv.data() + list_rv.size(), after);
  } else {
    auto r = std::from_chars(rv.data(), rv.data() + rv.size(), after);
    if (r.ec != std::errc() || r.ptr != rv.data() + rv.size() || after < 0) {
      return StatusResponse(BadRequestError("resourceVersion must be a number: " + rv));
    }
  }
  int64_t timeout_seconds = 1800;
  std::string timeout = Query(request.target, "timeoutSeconds");
  if (!timeout.empty()) {
    std::from_chars(timeout.data(), timeout.data() + timeout.size(), timeout_seconds);
  }
  auto box = std::make_shared<WakeBox>();
  Result<std::unique_ptr<store::Watcher>> watcher =
      registry_->Watch(type, ns, after, [box] { box->Fire(); });
  if (!watcher.ok()) return StatusResponse(watcher.status());
  Response response{.code = 200, .content_type = std::string(kJson)};
  response.stream = std::make_shared<WatchStream>(
      type, std::move(*watcher), box, std::move(*labels), std::move(*fields),
      WatchStream::Options{
          .initial = std::move(initial),
          .start_revision = after,
          .end = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_seconds),
          .bookmarks = bookmarks,
          .initial_events_end = bookmarks && send_initial == "true",
          .to_table = std::move(to_table),
          .keep_alive = types});
  return response;
}

Response ApiHandler::Resource(const Request& request, std::string_view path,
                              const std::shared_ptr<const TypeSet>& types) const {
  auto find_type = [&](std::string_view group, std::string_view version,
                       std::string_view resource) {
    return types->FindResource(group, version, resource);
  };
  std::vector<std::string_view> parts = Split(path);
  // /api/v1/... or /apis/<group>/<version>/...
  std::string_view group, version;
  size_t i;
  if (parts[0] == "api") {
    if (parts.size() < 2) return NotFoundPath();
    version = parts[1];
    i = 2;
  } else {
    if (parts.size() < 3) return NotFoundPath();
    group = parts[1];
    version = parts[2];
    i = 3;
  }
  if (i == parts.size()) {
    if (request.method != "GET") return MethodNotAllowed();
    Json list = ApiResourceList(types->types(), group, version);
    return list.is_null() ? NotFoundPath() : JsonResponse(list);
  }
  // [namespaces/<ns>/]<resource>[/<name>[/<subresource>]]; /namespaces/<name> is a namespace.
  std::string ns;
  std::vector<std::string_view> rest(parts.begin() + static_cast<std::ptrdiff_t>(i), parts.end());
  if (rest.size() >= 3 && rest[0] == "namespaces") {
    const ResourceType* inner = find_type(group, version, rest[2]);
    if (inner != nullptr && inner->namespaced) {
      ns = std::string(rest[1]);
      rest.erase(rest.begin(), rest.begin() + 2);
    }
  }
  const ResourceType* type = find_type(group, version, rest[0]);
  if (type == nullptr || rest.size() > 3) return NotFoundPath();
  std::string name = rest.size() >= 2 ? Unescape(rest[1]) : "";
  // A namespaced type outside /namespaces/<ns>/ is only listed (across every namespace).
  if (type->namespaced && ns.empty() && (!name.empty() || request.method != "GET")) {
    return NotFoundPath();
  }
  std::string_view sub = rest.size() == 3 ? rest[2] : "";
  if (!sub.empty() && !(sub == "status" && type->has_status) &&
      !(sub == "scale" && type->has_scale)) {
    return NotFoundPath();
  }

  const std::string& m = request.method;
  bool dry_run = Query(request.target, "dryRun") == "All";
  bool table = request.accept.find("as=Table") != std::string::npos;
  std::vector<std::string> warnings;
  WriteOptions write{.dry_run = dry_run,
                     .field_validation = Query(request.target, "fieldValidation"),
                     .warnings = &warnings,
                     .field_manager = FieldManager(request)};
  if (const CustomType* custom = types->Custom(type)) write.schema = custom->schema;
  if (m != "GET" && write.field_manager.size() > 128) {
    return StatusResponse(OptionsInvalid(
        m == "PATCH" ? "PatchOptions" : m == "POST" ? "CreateOptions" : "UpdateOptions",
        "fieldManager", "FieldValueTooLong", "Too long: may not be more than 128 bytes"));
  }
  auto reply = [&](Result<Json> result, int code = 200) -> Response {
    if (!result.ok()) return StatusResponse(result.status());
    Response response;
    if (table && m == "GET") {
      std::span<const Json> one(&*result, 1);
      response = JsonResponse(Table(*types, *type, one, JsonObject()), 200, kTable);
    } else {
      response = JsonResponse(*result, code);
    }
    AddWarnings(response, warnings);
    return response;
  };
  if (name.empty()) {
    if (m == "GET") {
      if (Query(request.target, "watch") == "true" || Query(request.target, "watch") == "1") {
        return Watch(request, *type, ns, types);
      }
      ListQuery q{.label_selector = Query(request.target, "labelSelector"),
                  .field_selector = Query(request.target, "fieldSelector"),
                  .continue_token = Query(request.target, "continue")};
      std::string rv = Query(request.target, "resourceVersion");
      std::string match = Query(request.target, "resourceVersionMatch");
      if (!match.empty() && rv.empty()) {
        return StatusResponse(InvalidError(
            "resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless "
            "resourceVersion is provided"));
      }
      if (!rv.empty()) {
        int64_t revision = 0;
        auto r = std::from_chars(rv.data(), rv.data() + rv.size(), revision);
        if (r.ec != std::errc() || r.ptr != rv.data() + rv.size() || revision < 0) {
          return StatusResponse(BadRequestError("resourceVersion must be a number: " + rv));
        }
        if (match == "Exact") {
          if (revision == 0) {
            return StatusResponse(InvalidError(
                "resourceVersionMatch: Forbidden: resourceVersionMatch \"exact\" is forbidden "
                "for resourceVersion \"0\""));
          }
          q.revision = revision;
        } else if (!match.empty() && match != "NotOlderThan") {
          return StatusResponse(InvalidError(
              fmt::format("resourceVersionMatch: Unsupported value: \"{}\": supported values: "
                          "\"Exact\", \"NotOlderThan\"",
                          match)));
        }
        // "0", NotOlderThan and the legacy form: the latest state is never older.
      }
      std::string limit = Query(request.target, "limit");
      if (!limit.empty()) {
        auto r = std::from_chars(limit.data(), limit.data() + limit.size(), q.limit);
        if (r.ec != std::errc()) return StatusResponse(BadRequestError("limit must be a number"));
      }
      Result<Json> list = registry_->List(*type, ns, q);
      if (list.ok() && table) {
        const JsonArray& items = list->at("items").as_array();
        return JsonResponse(Table(*types, *type, std::span<const Json>(items.data(), items.size()),
                                  list->at("metadata")),
                            200, kTable);
      }
      return reply(std::move(list));
    }
    if (m == "POST") {
      Result<Json> body = DecodeBody(request);
      if (!body.ok()) return StatusResponse(body.status());
      return reply(registry_->Create(*type, ns, std::move(*body), write), 201);
    }
    return MethodNotAllowed();
  }
  if (sub == "scale") {
    if (m == "GET") return reply(registry_->GetScale(*type, ns, name));
    if (m == "PUT") {
      Result<Json> body = DecodeBody(request);
      if (!body.ok()) return StatusResponse(body.status());
      return reply(registry_->UpdateScale(*type, ns, name, *body, write));
    }
  }
  if (m == "GET") return reply(registry_->Get(*type, ns, name));
  if (m == "PUT") {
    Result<Json> body = DecodeBody(request);
    if (!body.ok()) return StatusResponse(body.status());
    if (sub == "status") {
      return reply(
          registry_->UpdateStatus(*type, ns, name, std::move(*body), write));
    }
    return reply(registry_->Update(*type, ns, name, std::move(*body), write));
  }
  if (m == "DELETE" && sub.empty()) {
    DeleteOptions options{.dry_run = dry_run};
    if (!request.body.empty()) {
      Result<Json> body = ParseJson(request.body, "request body");
      if (!body.ok()) return StatusResponse(body.status());
      if (const JsonObject* pre = FindObject(*body, "preconditions")) {
        Json pre_json = *pre;
        options.uid_precondition = std::string(FindString(pre_json, "uid"));
        options.resource_version_precondition =
            std::string(FindString(pre_json, "resourceVersion"));
      }
      if (FindString(*body, "dryRun") == "All") options.dry_run = true;
    }
    return reply(registry_->Delete(*type, ns, name, options));
  }
  if (m == "PATCH") {
    const std::string& type_header = request.content_type;
    std::string force = Query(request.target, "force");
    if (type_header.starts_with("application/apply-patch+yaml")) {
      if (Query(request.target, "fieldManager").empty()) {
        return StatusResponse(OptionsInvalid("PatchOptions", "fieldManager", "FieldValueRequired",
                                             "Required value: is required for apply patch"));
      }
      if (!force.empty() && force != "true" && force != "false") {
        return StatusResponse(BadRequestError(
            fmt::format("force: invalid value \"{}\": must be true or false", force)));
      }
      if (sub == "scale") return MethodNotAllowed();
      Result<Json> applied = ParseYaml(request.body, "apply patch");
      if (!applied.ok()) return StatusResponse(applied.status());
      bool created = false;
      Result<Json> result = registry_->Apply(*type, ns, name, *applied, force == "true",
                                             sub == "status", write, &created);
      return reply(std::move(result), created ? 201 : 200);
    }
    if (!force.empty()) {
      return StatusResponse(OptionsInvalid("PatchOptions", "force", "FieldValueForbidden",
                                           "Forbidden: may not be specified for non-apply patch"));
    }
    PatchType patch_type;
    if (type_header.starts_with("application/merge-patch+json")) {
      patch_type = PatchType::kMerge;
    } else if (type_header.starts_with("application/json-patch+json")) {
      patch_type = PatchType::kJson;
    } else if (type_header.starts_with("application/strategic-merge-patch+json")) {
      patch_type = PatchType::kStrategic;
    } else {
      return StatusResponse(Status(
          Reason::kUnsupportedMediaType,
          fmt::format("the body of the request was in an unknown format - accepted media types "
                      "include: application/json-patch+json, application/merge-patch+json, "
                      "application/strategic-merge-patch+json, application/apply-patch+yaml "
                      "(got {})",
                      type_header)));
    }
    Result<Json> patch = ParseJson(request.body, "patch");
    if (!patch.ok()) return StatusResponse(patch.status());
    if (sub == "scale") {
      return reply(
          registry_->PatchScale(*type, ns, name, patch_type, *patch, write));
    }
    return reply(registry_->Patch(*type, ns, name, patch_type, *patch, sub == "status", write));
  }
  return MethodNotAllowed();
}

}  // namespace kstack::server::internal
