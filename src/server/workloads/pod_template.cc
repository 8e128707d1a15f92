#include "server/workloads/pod_template.h"

#include "server/workloads/objects.h"

namespace kstack::server::workloads {

Json PodFromTemplate(const Json& pod_template, const Json& owner, std::string_view api_version,
                     std::string_view kind, std::string_view name) {
  JsonObject meta;
  if (name.empty()) {
    meta["generateName"] = std::string(Meta(owner, "name")) + "-";
  } else {
    meta["name"] = name;
  }
  meta["namespace"] = Meta(owner, "namespace");
  if (const Json* labels = At(pod_template, {"metadata", "labels"})) meta["labels"] = *labels;
  if (const Json* annotations = At(pod_template, {"metadata", "annotations"})) {
    meta["annotations"] = *annotations;
  }
  if (const Json* finalizers = At(pod_template, {"metadata", "finalizers"})) {
    meta["finalizers"] = *finalizers;
  }
  meta["ownerReferences"] = JsonArray{ControllerReference(owner, api_version, kind)};
  const Json* spec = FindMember(pod_template, "spec");
  return JsonObject{{"apiVersion", "v1"},
                    {"kind", "Pod"},
                    {"metadata", std::move(meta)},
                    {"spec", spec ? *spec : Json(JsonObject{})}};
}

Json WithoutLabel(const Json& pod_template, std::string_view label) {
  Json copy = pod_template;
  if (!copy.is_object()) return copy;
  Json* meta = copy.get_object().if_contains("metadata");
  if (meta == nullptr || !meta->is_object()) return copy;
  if (Json* labels = meta->get_object().if_contains("labels"); labels && labels->is_object()) {
    labels->get_object().erase(label);
    if (labels->get_object().empty()) meta->get_object().erase("labels");
  }
  return copy;
}

}  // namespace kstack::server::workloads
