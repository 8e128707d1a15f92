#include "server/openapi.h"

#include <fmt/format.h>

#include <functional>
#include <string>

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

Json Operation(const ResourceType& t, std::string_view action, JsonArray parameters) {
  std::string schema_ref = fmt::format("#/components/schemas/{}", t.kind);
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

Json OpenApiV3Index(std::span<const ResourceType> types) {
  JsonObject paths;
  for (const ResourceType& t : types) {
    std::string path = DocPath(t);
    if (paths.contains(path)) continue;
    // The hash changes whenever the document would: kubectl caches by URL.
    size_t hash = 0;
    for (const ResourceType& u : types) {
      if (DocPath(u) == path) hash = hash * 31 + std::hash<std::string_view>()(u.resource);
    }
    paths[path] =
        JsonObject{{"serverRelativeURL", fmt::format("/openapi/v3/{}?hash={:016X}", path, hash)}};
  }
  return JsonObject{{"paths", std::move(paths)}};
}

Json OpenApiV3Document(std::span<const ResourceType> types, std::string_view path) {
  JsonObject paths;
  JsonObject schemas;
  for (const ResourceType& t : types) {
    if (DocPath(t) != path) continue;
    std::string base = "/" + DocPath(t) + (t.namespaced ? "/namespaces/{namespace}/" : "/") +
                       std::string(t.resource);
    paths[base] = JsonObject{
        {"get", Operation(t, "list",
                          Parameters({"labelSelector", "fieldSelector", "limit", "continue",
                                      "resourceVersion", "watch"}))},
        {"post", Operation(t, "post", Parameters({"dryRun", "fieldManager", "fieldValidation"}))}};
    paths[base + "/{name}"] = JsonObject{
        {"get", Operation(t, "get", Parameters({}))},
        {"put", Operation(t, "put", Parameters({"dryRun", "fieldManager", "fieldValidation"}))},
        {"patch",
         Operation(t, "patch", Parameters({"dryRun", "fieldManager", "fieldValidation", "force"}))},
        {"delete", Operation(t, "delete",
                             Parameters({"dryRun", "gracePeriodSeconds", "propagationPolicy"}))}};
    schemas[t.kind] = JsonObject{
        {"type", "object"},
        {"x-kubernetes-preserve-unknown-fields", true},
        {"x-kubernetes-group-version-kind",
         JsonArray({JsonObject{{"group", t.group}, {"version", t.version}, {"kind", t.kind}}})}};
  }
  if (paths.empty()) return nullptr;
  return JsonObject{{"openapi", "3.0.0"},
                    {"info", JsonObject{{"title", "Kubernetes"}, {"version", "v1.32.0"}}},
                    {"paths", std::move(paths)},
                    {"components", JsonObject{{"schemas", std::move(schemas)}}}};
}

}  // namespace kstack::server
