// The fields a field selector may name, per type, as the Kubernetes API server supports them.

#include <fmt/format.h>

#include "machinery/selector.h"

namespace kstack::machinery {
namespace {

// A field and the JSON path of its value in the object.
struct FieldPath {
  std::string_view field;
  std::string_view path[3];
  enum class Zero { kEmpty, kFalse, kZero } zero = Zero::kEmpty;  // the value when absent
};

struct TypeFields {
  std::string_view group;
  std::string_view kind;
  std::vector<FieldPath> fields;
};

const std::vector<TypeFields>& Table() {
  using Z = FieldPath::Zero;
  static const auto* table = new std::vector<TypeFields>{
      {"", "Pod",
       {{"spec.nodeName", {"spec", "nodeName"}},
        {"spec.restartPolicy", {"spec", "restartPolicy"}},
        {"spec.schedulerName", {"spec", "schedulerName"}},
        {"spec.serviceAccountName", {"spec", "serviceAccountName"}},
        {"spec.hostNetwork", {"spec", "hostNetwork"}, Z::kFalse},
        {"status.phase", {"status", "phase"}},
        {"status.podIP", {"status", "podIP"}},
        {"status.nominatedNodeName", {"status", "nominatedNodeName"}}}},
      {"", "Event",
       {{"involvedObject.kind", {"involvedObject", "kind"}},
        {"involvedObject.namespace", {"involvedObject", "namespace"}},
        {"involvedObject.name", {"involvedObject", "name"}},
        {"involvedObject.uid", {"involvedObject", "uid"}},
        {"involvedObject.apiVersion", {"involvedObject", "apiVersion"}},
        {"involvedObject.resourceVersion", {"involvedObject", "resourceVersion"}},
        {"involvedObject.fieldPath", {"involvedObject", "fieldPath"}},
        {"reason", {"reason"}},
        {"reportingComponent", {"reportingComponent"}},
        {"source", {"source", "component"}},
        {"type", {"type"}}}},
      {"", "Namespace", {{"status.phase", {"status", "phase"}}}},
      {"", "Secret", {{"type", {"type"}}}},
      {"", "Node", {{"spec.unschedulable", {"spec", "unschedulable"}, Z::kFalse}}},
      {"", "ReplicationController", {{"status.replicas", {"status", "replicas"}, Z::kZero}}},
      {"apps", "ReplicaSet", {{"status.replicas", {"status", "replicas"}, Z::kZero}}},
      {"batch", "Job", {{"status.successful", {"status", "successful"}, Z::kZero}}},
  };
  return *table;
}

const TypeFields* FindType(std::string_view group, std::string_view kind) {
  for (const TypeFields& t : Table()) {
    if (t.group == group && t.kind == kind) return &t;
  }
  return nullptr;
}

std::string Text(const Json* v, FieldPath::Zero zero) {
  if (v == nullptr || v->is_null()) {
    return zero == FieldPath::Zero::kFalse ? "false" : zero == FieldPath::Zero::kZero ? "0" : "";
  }
  if (v->is_string()) return std::string(v->get_string());
  if (v->is_bool()) return v->get_bool() ? "true" : "false";
  if (v->is_int64()) return std::to_string(v->get_int64());
  return WriteJson(*v);
}

}  // namespace

std::map<std::string, std::string, std::less<>> FieldsOf(std::string_view group,
                                                         std::string_view kind,
                                                         const Json& object) {
  std::map<std::string, std::string, std::less<>> fields;
  const Json* metadata = FindMember(object, "metadata");
  fields["metadata.name"] = metadata ? std::string(FindString(*metadata, "name")) : "";
  fields["metadata.namespace"] = metadata ? std::string(FindString(*metadata, "namespace")) : "";
  if (const TypeFields* t = FindType(group, kind)) {
    for (const FieldPath& f : t->fields) {
      const Json* v = &object;
      for (std::string_view step : f.path) {
        if (step.empty() || v == nullptr) break;
        v = FindMember(*v, step);
      }
      fields[std::string(f.field)] = Text(v, f.zero);
    }
  }
  return fields;
}

Status CheckFieldsSupported(const FieldSelector& selector, std::string_view group,
                            std::string_view kind) {
  const TypeFields* t = FindType(group, kind);
  for (const FieldSelector::Requirement& r : selector.requirements()) {
    if (r.field == "metadata.name" || r.field == "metadata.namespace") continue;
    bool known = false;
    if (t != nullptr) {
      for (const FieldPath& f : t->fields) known = known || f.field == r.field;
    }
    if (!known) return BadRequestError(fmt::format("field label not supported: {}", r.field));
  }
  return Status::Ok();
}

}  // namespace kstack::machinery
