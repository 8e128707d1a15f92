#include "server/openapi_v2.h"

#include <fmt/format.h>

#include <cctype>

namespace kstack::server {
namespace {

using machinery::ResourceType;

constexpr std::string_view kMeta = "io.k8s.apimachinery.pkg.apis.meta.v1.";

std::string Ref(std::string_view definition) { return fmt::format("#/definitions/{}", definition); }

std::string Capitalized(std::string_view word) {
  std::string out(word);
  if (!out.empty()) out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
  return out;
}

// The group/version as a word of operation IDs: "CoreV1", "RbacAuthorizationV1", "AppsV1".
std::string GroupVersionWord(const ResourceType& t) {
  std::string_view group = t.group.empty() ? "core" : t.group;
  if (group.ends_with(".k8s.io")) group.remove_suffix(sizeof(".k8s.io") - 1);
  std::string out;
  while (!group.empty()) {
    size_t dot = group.find('.');
    out += Capitalized(group.substr(0, dot));
    group.remove_prefix(dot == std::string_view::npos ? group.size() : dot + 1);
  }
  return out + Capitalized(t.version);
}

Json Gvk(const ResourceType& t, std::string_view kind) {
  return JsonObject{{"group", t.group}, {"version", t.version}, {"kind", kind}};
}

Json QueryParameter(std::string_view name, std::string_view type, std::string_view description) {
  return JsonObject{{"uniqueItems", true},
                    {"type", type},
                    {"description", description},
                    {"name", name},
                    {"in", "query"}};
}

Json PathParameter(std::string_view name, std::string_view description) {
  return JsonObject{{"uniqueItems", true}, {"type", "string"}, {"description", description},
                    {"name", name},        {"in", "path"},     {"required", true}};
}

Json BodyParameter(std::string_view definition) {
  return JsonObject{{"name", "body"},
                    {"in", "body"},
                    {"required", true},
                    {"schema", JsonObject{{"$ref", Ref(definition)}}}};
}

JsonArray WriteParameters(bool patch) {
  JsonArray out = {
      QueryParameter("dryRun", "string", "When present (All), the change is not persisted."),
      QueryParameter("fieldManager", "string", "The name of the actor making the change."),
      QueryParameter("fieldValidation", "string",
                     "Ignore, Warn or Strict: what to do with unknown or duplicate fields.")};
  if (patch) {
    out.push_back(QueryParameter("force", "boolean", "Force an apply over conflicts."));
  }
  return out;
}

struct OperationSpec {
  std::string_view action;  // x-kubernetes-action
  std::string_view verb;    // the operation ID's first word
  std::string_view description;
  std::string response;  // definition of the 200 answer
  JsonArray parameters;
  bool all_namespaces = false;
  std::vector<std::string_view> consumes = {"*/*"};
};

Json Operation(const ResourceType& t, OperationSpec spec) {
  std::string id = fmt::format("{}{}{}{}{}", spec.verb, GroupVersionWord(t),
                               t.namespaced && !spec.all_namespaces ? "Namespaced" : "", t.kind,
                               spec.all_namespaces ? "ForAllNamespaces" : "");
  JsonObject responses{
      {"200", JsonObject{{"description", "OK"}, {"schema", JsonObject{{"$ref", spec.response}}}}}};
  if (spec.action == "post") {
    responses["201"] =
        JsonObject{{"description", "Created"}, {"schema", JsonObject{{"$ref", spec.response}}}};
  }
  responses["401"] = JsonObject{{"description", "Unauthorized"}};
  JsonArray consumes;
  for (std::string_view c : spec.consumes) consumes.emplace_back(c);
  std::string tag = GroupVersionWord(t);
  return JsonObject{{"description", fmt::format("{} {}", spec.description, t.kind)},
                    {"consumes", std::move(consumes)},
                    {"produces", JsonArray{"application/json", "application/yaml",
                                           "application/vnd.kubernetes.protobuf"}},
                    {"schemes", JsonArray{"https"}},
                    {"tags", JsonArray{JsonString(tag)}},
                    {"operationId", id},
                    {"parameters", std::move(spec.parameters)},
                    {"responses", std::move(responses)},
                    {"x-kubernetes-action", spec.action},
                    {"x-kubernetes-group-version-kind", Gvk(t, t.kind)}};
}

Json OpenObject(std::string_view description) {
  return JsonObject{{"description", description}, {"type", "object"}};
}

}  // namespace

std::string OpenApiV2DefinitionName(const ResourceType& t) {
  if (machinery::FindBuiltinKind(t.group, t.version, t.kind) != nullptr) {
    if (t.group == "apiextensions.k8s.io") {
      return fmt::format("io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.{}.{}", t.version,
                         t.kind);
    }
    std::string_view package = t.group.empty() ? "core" : t.group.substr(0, t.group.find('.'));
    return fmt::format("io.k8s.api.{}.{}.{}", package, t.version, t.kind);
  }
  // Custom resources: the group's labels reversed, as Kubernetes names their definitions.
  std::string name;
  std::string_view group = t.group;
  while (!group.empty()) {
    size_t dot = group.rfind('.');
    std::string_view label = dot == std::string_view::npos ? group : group.substr(dot + 1);
    name += std::string(label) + ".";
    group = dot == std::string_view::npos ? std::string_view() : group.substr(0, dot);
  }
  return fmt::format("{}{}.{}", name, t.version, t.kind);
}

Json OpenApiV2Document(std::span<const ResourceType> types) {
  JsonObject paths;
  JsonObject definitions;
  std::string status = Ref(std::string(kMeta) + "Status");
  for (const ResourceType& t : types) {
    std::string definition = OpenApiV2DefinitionName(t);
    std::string list_definition = definition + "List";
    std::string prefix =
        t.group.empty() ? "/api/v1" : fmt::format("/apis/{}/{}", t.group, t.version);
    std::string collection =
        fmt::format("{}{}/{}", prefix, t.namespaced ? "/namespaces/{namespace}" : "", t.resource);
    JsonArray scope;
    if (t.namespaced) {
      scope.push_back(PathParameter("namespace", "The namespace of the objects."));
    }
    JsonArray list_parameters = {
        QueryParameter("labelSelector", "string", "Only objects whose labels match."),
        QueryParameter("fieldSelector", "string", "Only objects whose fields match."),
        QueryParameter("limit", "integer", "The most objects to return in one chunk."),
        QueryParameter("continue", "string", "The token of the next chunk."),
        QueryParameter("resourceVersion", "string", "The version to list or watch from."),
        QueryParameter("watch", "boolean", "Watch for changes instead of listing."),
    };
    paths[collection] =
        JsonObject{{"get", Operation(t, {.action = "list",
                                         .verb = "list",
                                         .description = "list or watch objects of kind",
                                         .response = Ref(list_definition),
                                         .parameters = list_parameters})},
                   {"post", Operation(t, {.action = "post",
                                          .verb = "create",
                                          .description = "create a",
                                          .response = Ref(definition),
                                          .parameters =
                                              [&] {
                                                JsonArray p = WriteParameters(false);
                                                p.insert(p.begin(), BodyParameter(definition));
                                                return p;
                                              }()})},
                   {"parameters", scope}};
    JsonArray named = scope;
    named.insert(named.begin(), PathParameter("name", "The name of the object."));
    JsonArray delete_parameters = {
        QueryParameter("dryRun", "string", "When present (All), the change is not persisted."),
        QueryParameter("gracePeriodSeconds", "integer", "Seconds before the object is deleted."),
        QueryParameter("propagationPolicy", "string", "Orphan, Background or Foreground.")};
    paths[collection + "/{name}"] = JsonObject{
        {"get", Operation(t, {.action = "get",
                              .verb = "read",
                              .description = "read the specified",
                              .response = Ref(definition)})},
        {"put", Operation(t, {.action = "put",
                              .verb = "replace",
                              .description = "replace the specified",
                              .response = Ref(definition),
                              .parameters =
                                  [&] {
                                    JsonArray p = WriteParameters(false);
                                    p.insert(p.begin(), BodyParameter(definition));
                                    return p;
                                  }()})},
        {"patch",
         Operation(t,
                   {.action = "patch",
                    .verb = "patch",
                    .description = "partially update the specified",
                    .response = Ref(definition),
                    .parameters =
                        [&] {
                          JsonArray p = WriteParameters(true);
                          p.insert(p.begin(), BodyParameter(std::string(kMeta) + "Patch"));
                          return p;
                        }(),
                    .consumes = {"application/json-patch+json", "application/merge-patch+json"}})},
        {"delete", Operation(t, {.action = "delete",
                                 .verb = "delete",
                                 .description = "delete a",
                                 .response = status,
                                 .parameters = delete_parameters})},
        {"parameters", std::move(named)}};
    if (t.namespaced) {
      paths[fmt::format("{}/{}", prefix, t.resource)] =
          JsonObject{{"get", Operation(t, {.action = "list",
                                           .verb = "list",
                                           .description = "list or watch objects of kind",
                                           .response = Ref(list_definition),
                                           .parameters = list_parameters,
                                           .all_namespaces = true})}};
    }
    Json object = OpenObject(fmt::format("{} ({}).", t.kind, t.group_version));
    object.as_object()["x-kubernetes-group-version-kind"] = JsonArray{Gvk(t, t.kind)};
    definitions[definition] = std::move(object);
    Json list = OpenObject(fmt::format("A list of {} objects.", t.kind));
    list.as_object()["x-kubernetes-group-version-kind"] =
        JsonArray{Gvk(t, std::string(t.kind) + "List")};
    definitions[list_definition] = std::move(list);
  }
  ResourceType meta{.group = "", .version = "v1"};
  Json status_definition = OpenObject("The result of an operation that returns no object.");
  status_definition.as_object()["x-kubernetes-group-version-kind"] = JsonArray{Gvk(meta, "Status")};
  definitions[std::string(kMeta) + "Status"] = std::move(status_definition);
  definitions[std::string(kMeta) + "Patch"] =
      OpenObject("A JSON patch or JSON merge patch document.");
  return JsonObject{
      {"swagger", "2.0"},
      {"info", JsonObject{{"title", "Kubernetes"}, {"version", "v1.32.0"}}},
      {"paths", std::move(paths)},
      {"definitions", std::move(definitions)},
  };
}

}  // namespace kstack::server
