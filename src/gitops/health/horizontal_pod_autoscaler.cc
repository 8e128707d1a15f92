// autoscaling HorizontalPodAutoscaler. Version 1 keeps its conditions as JSON text in an
// annotation; the later versions have status.conditions. Any failure to read the scale target
// or the metrics is Degraded, whatever else the conditions say; then AbleToScale or
// ScalingLimited being true is Healthy.

#include <strings.h>

#include <array>
#include <string>
#include <vector>

#include "gitops/health/builtin_checks.h"
#include "gitops/health/internal/fields.h"

namespace kstack::gitops::health {
namespace {

using internal::FieldReader;

constexpr std::string_view kConditionsAnnotation = "autoscaling.alpha.kubernetes.io/conditions";

HealthStatus Waiting() { return {HealthCode::kProgressing, "Waiting to Autoscale"}; }

struct Condition {
  std::string_view type;
  std::string_view reason;
  std::string_view message;
  std::string_view status;
};

bool IsDegraded(const Condition& c) {
  struct Failure {
    std::string_view type;
    std::string_view reason;
  };
  static constexpr std::array<Failure, 8> kFailures = {{
      {"AbleToScale", "FailedGetScale"},
      {"AbleToScale", "FailedUpdateScale"},
      {"ScalingActive", "FailedGetResourceMetric"},
      {"ScalingActive", "FailedGetObjectMetric"},
      {"ScalingActive", "FailedGetPodsMetric"},
      {"ScalingActive", "FailedGetExternalMetric"},
      {"ScalingActive", "FailedComputeMetricsReplicas"},
      {"ScalingActive", "InvalidSelector"},
  }};
  for (const Failure& f : kFailures) {
    if (c.type == f.type && c.reason == f.reason) return true;
  }
  return false;
}

bool IsHealthy(const Condition& c) {
  return (c.type == "AbleToScale" || c.type == "ScalingLimited") && c.status == "True";
}

HealthStatus Judge(const std::vector<Condition>& conditions) {
  for (const Condition& c : conditions) {
    if (IsDegraded(c)) return {HealthCode::kDegraded, std::string(c.message)};
  }
  for (const Condition& c : conditions) {
    if (IsHealthy(c)) return {HealthCode::kHealthy, std::string(c.message)};
  }
  return Waiting();
}

// A member of a condition decoded from the annotation: Go's JSON decoder matches field names
// without regard to case, preferring an exact match.
const Json* Field(const JsonObject& object, std::string_view name) {
  if (const Json* exact = object.if_contains(name)) return exact;
  for (const auto& member : object) {
    std::string_view key = member.key();
    if (key.size() == name.size() && strncasecmp(key.data(), name.data(), name.size()) == 0) {
      return &member.value();
    }
  }
  return nullptr;
}

HealthStatus FromAnnotation(const Json& object) {
  const Json* metadata = internal::Member(&object, "metadata");
  const Json* annotations = internal::Member(metadata, "annotations");
  const Json* text = internal::Member(annotations, kConditionsAnnotation);
  if (text == nullptr || !text->is_string()) return Waiting();
  const std::string_view failure = "failed to convert conditions annotation to typed: ";
  Result<Json> parsed = ParseJson(text->get_string(), kConditionsAnnotation);
  if (!parsed.ok()) {
    return {HealthCode::kUnknown, std::string(failure) + parsed.status().message()};
  }
  if (parsed->is_null()) return Waiting();
  if (!parsed->is_array()) {
    return {HealthCode::kUnknown, std::string(failure) + "expected an array of conditions, got " +
                                      std::string(JsonKindName(*parsed))};
  }
  std::vector<Condition> conditions;
  for (const Json& element : parsed->get_array()) {
    if (element.is_null()) {
      conditions.push_back({});
      continue;
    }
    if (!element.is_object()) {
      return {HealthCode::kUnknown, std::string(failure) + "expected a condition object, got " +
                                        std::string(JsonKindName(element))};
    }
    Condition c;
    for (auto [name, out] : {std::pair{"type", &c.type}, std::pair{"reason", &c.reason},
                             std::pair{"message", &c.message}, std::pair{"status", &c.status}}) {
      const Json* value = Field(element.get_object(), name);
      if (value == nullptr || value->is_null()) continue;
      if (!value->is_string()) {
        return {HealthCode::kUnknown, std::string(failure) + "condition field " + name +
                                          ": expected a string, got " +
                                          std::string(JsonKindName(*value))};
      }
      *out = value->get_string();
    }
    conditions.push_back(c);
  }
  // The parsed document dies here; judge while its strings are alive.
  return Judge(conditions);
}

HealthStatus FromStatus(const Json& object) {
  FieldReader f("HorizontalPodAutoscaler");
  const Json* status = f.Object(&object, "status", "status");
  const JsonArray* list = f.Array(status, "conditions", "status.conditions");
  std::vector<Condition> conditions;
  if (list != nullptr) {
    for (const Json& element : *list) {
      const Json* c = f.Element(element, "status.conditions[]");
      conditions.push_back({f.String(c, "type", "status.conditions[].type"),
                            f.String(c, "reason", "status.conditions[].reason"),
                            f.String(c, "message", "status.conditions[].message"),
                            f.String(c, "status", "status.conditions[].status")});
    }
  }
  if (f.failed()) return f.Error();
  return Judge(conditions);
}

}  // namespace

HealthStatus AssessHorizontalPodAutoscaler(const Json& object) {
  std::string_view api_version = FindString(object, "apiVersion");
  if (api_version == "autoscaling/v1") return FromAnnotation(object);
  if (api_version == "autoscaling/v2" || api_version == "autoscaling/v2beta2" ||
      api_version == "autoscaling/v2beta1") {
    return FromStatus(object);
  }
  return internal::UnsupportedVersion("HPA", object);
}

}  // namespace kstack::gitops::health
