#include "server/openapi.h"

#include <fmt/format.h>

#include <functional>
#include <set>
#include <string>

#include "machinery/openapi_schema.h"

namespace kstack::server {
namespace {

using machinery::ResourceType;

std::string DocPath(const ResourceType& t) {
  return t.group.empty() ? "api/v1" : fmt::format("apis/{}/{}", t.group, t.version);
}

JsonArray Parameters(std::initializer_list<std::string_view> names) {
  JsonArray out;
  for (std::string_view n : names) {
    out.push_back(JsonObject{{"name", n},
                             {"in", "query"},
                             {"schema", JsonObject{{"type", "string"}, {"uniqueItems", true}}}});
  }
  return out;
}

// The component name of a type's schema: its definition name for built-in types, else the
// reverse-domain form Kubernetes uses for custom resources (com.example.v1.Widget).
std::string ComponentName(const ResourceType& t, const machinery::Schema* schema) {
  if (schema != nullptr && !schema->title.empty()) return schema->title;
  std::string name;
  std::string_view group = t.group;
  while (!group.empty()) {
    size_t dot = group.rfind('.');
    name += std::string(dot == std::string_view::npos ? group : group.substr(dot + 1)) + ".";
    group = dot == std::string_view::npos ? std::string_view() : group.substr(0, dot);
  }
  if (t.group.empty()) name = "io.k8s.api.core.";
  return fmt::format("{}{}.{}", name, t.version, t.kind);
}

JsonArray Gvk(const ResourceType& t) {
  return JsonArray({JsonObject{{"group", t.group}, {"version", t.version}, {"kind", t.kind}}});
}

Json Operation(const ResourceType& t, std::string_view action, JsonArray parameters,
               const std::string& component) {
  std::string schema_ref = fmt::format("#/components/schemas/{}", component);
  JsonObject content{
      {"application/json", JsonObject{{"schema", JsonObject{{"$ref", schema_ref}}}}}};
  return JsonObject{
      {"operationId", fmt::format("{}{}", action, t.kind)},
      {"x-kubernetes-action", action},
      {"x-kubernetes-group-version-kind",
       JsonObject{{"group", t.group}, {"version", t.version}, {"kind", t.kind}}},
      {"parameters", std::move(parameters)},
      {"responses", JsonObject{{"200", JsonObject{{"description", "OK"}, {"content", content}}}}}};
}

}  // namespace

Json OpenApiV3Index(std::span<const ResourceType> types, const SchemaLookup& schema_of) {
  JsonObject paths;
  for (const ResourceType& t : types) {
    std::string path = DocPath(t);
    if (paths.contains(path)) continue;
    // The hash changes whenever the document would: kubectl caches by URL.
    size_t hash = 0;
    for (const ResourceType& u : types) {
      if (DocPath(u) != path) continue;
      hash = hash * 31 + std::hash<std::string_view>()(u.resource);
      // A new schema is a new document (a CRD's schema changes without its names changing).
      if (schema_of) hash = hash * 31 + std::hash<const void*>()(schema_of(u));
    }
    paths[path] =
        JsonObject{{"serverRelativeURL", fmt::format("/openapi/v3/{}?hash={:016X}", path, hash)}};
  }
  return JsonObject{{"paths", std::move(paths)}};
}

Json OpenApiV3Document(std::span<const ResourceType> types, std::string_view path,
                       const SchemaLookup& schema_of) {
  JsonObject paths;
  JsonObject schemas;
  // Named definitions (built-in types) become components of their own, referred to by $ref.
  std::vector<const machinery::Schema*> pending;
  std::set<std::string> named;
  auto ref_of = [&](const machinery::Schema& s) -> std::string {
    if (s.title.empty()) return "";
    if (named.insert(s.title).second) pending.push_back(&s);
    return "#/components/schemas/" + s.title;
  };
  for (const ResourceType& t : types) {
    if (DocPath(t) != path) continue;
    const machinery::Schema* schema = schema_of ? schema_of(t) : nullptr;
    std::string component = ComponentName(t, schema);
    std::string base = "/" + DocPath(t) + (t.namespaced ? "/namespaces/{namespace}/" : "/") +
                       std::string(t.resource);
    auto op = [&](std::string_view action, std::initializer_list<std::string_view> params) {
      return Operation(t, action, Parameters(params), component);
    };
    paths[base] = JsonObject{
        {"get", op("list", {"labelSelector", "fieldSelector", "limit", "continue",
                            "resourceVersion", "watch"})},
        {"post", op("post", {"dryRun", "fieldManager", "fieldValidation"})}};
    paths[base + "/{name}"] = JsonObject{
        {"get", op("get", {})},
        {"put", op("put", {"dryRun", "fieldManager", "fieldValidation"})},
        {"patch", op("patch", {"dryRun", "fieldManager", "fieldValidation", "force"})},
        {"delete", op("delete", {"dryRun", "gracePeriodSeconds", "propagationPolicy"})}};
    Json object;
    if (schema == nullptr) {
      object = JsonObject{{"type", "object"}, {"x-kubernetes-preserve-unknown-fields", true}};
    } else if (!schema->title.empty()) {
      named.insert(schema->title);
      object = machinery::SchemaToJson(*schema, ref_of);
    } else {
      // A custom resource: its schema, with the fields every object has.
      object = machinery::SchemaToJson(*schema, ref_of);
      Json& props_json = object.as_object()["properties"];
      if (!props_json.is_object()) props_json = JsonObject();
      JsonObject& props = props_json.get_object();
      if (!props.contains("apiVersion")) props["apiVersion"] = JsonObject{{"type", "string"}};
      if (!props.contains("kind")) props["kind"] = JsonObject{{"type", "string"}};
      if (!props.contains("metadata")) props["metadata"] = JsonObject{{"type", "object"}};
    }
    object.as_object()["x-kubernetes-group-version-kind"] = Gvk(t);
    schemas[component] = std::move(object);
  }
  while (!pending.empty()) {
    const machinery::Schema* s = pending.back();
    pending.pop_back();
    if (schemas.contains(s->title)) continue;
    schemas[s->title] = machinery::SchemaToJson(*s, ref_of);
  }
  if (paths.empty()) return nullptr;
  return JsonObject{{"openapi", "3.0.0"},
                    {"info", JsonObject{{"title", "Kubernetes"}, {"version", "v1.32.0"}}},
                    {"paths", std::move(paths)},
                    {"components", JsonObject{{"schemas", std::move(schemas)}}}};
}

}  // namespace kstack::server
