#include "server/workloads/validation.h"

#include <fmt/format.h>

#include <vector>

#include "machinery/selector.h"
#include "server/workloads/cronjob_controller.h"
#include "server/workloads/objects.h"

namespace kstack::server::workloads {
namespace {

struct Problem {
  std::string field;
  std::string type;  // the StatusCause type
  std::string detail;
};

// A label map as Go prints it with %#v: map[string]string{"a":"1", "b":"2"} (keys sorted).
std::string GoLabelMap(const Json* labels) {
  std::vector<std::pair<std::string, std::string>> entries;
  if (labels != nullptr && labels->is_object()) {
    for (const auto& kv : labels->get_object()) {
      entries.emplace_back(kv.key(), kv.value().is_string() ? std::string(kv.value().get_string())
                                                            : WriteJson(kv.value()));
    }
  }
  std::sort(entries.begin(), entries.end());
  std::vector<std::string> parts;
  for (const auto& [k, v] : entries) parts.push_back(fmt::format("\"{}\":\"{}\"", k, v));
  if (labels == nullptr) return "map[string]string(nil)";
  return fmt::format("map[string]string{{{}}}", fmt::join(parts, ", "));
}

void CheckSelector(std::string_view kind, const Json* old, const Json& object,
                   std::vector<Problem>& problems) {
  const Json* selector = At(object, {"spec", "selector"});
  if (selector == nullptr || selector->is_null()) {
    problems.push_back({"spec.selector", "FieldValueRequired", "Required value"});
    return;
  }
  Result<machinery::LabelSelector> parsed = machinery::LabelSelector::FromJson(*selector);
  if (!parsed.ok()) {
    problems.push_back({"spec.selector", "FieldValueInvalid", parsed.status().message()});
    return;
  }
  if (parsed->empty()) {
    problems.push_back({"spec.selector", "FieldValueInvalid",
                        fmt::format("Invalid value: {}: empty selector is invalid for {}",
                                    WriteJson(*selector), kind)});
    return;
  }
  const Json* labels = At(object, {"spec", "template", "metadata", "labels"});
  Json pod =
      JsonObject{{"metadata", JsonObject{{"labels", labels ? *labels : Json(JsonObject{})}}}};
  if (!parsed->MatchesObject(pod)) {
    problems.push_back({"spec.template.metadata.labels", "FieldValueInvalid",
                        fmt::format("Invalid value: {}: `selector` does not match template "
                                    "`labels`",
                                    GoLabelMap(labels))});
  }
  if (old != nullptr) {
    const Json* before = At(*old, {"spec", "selector"});
    if (before != nullptr && *before != *selector) {
      problems.push_back(
          {"spec.selector", "FieldValueInvalid",
           fmt::format("Invalid value: {}: field is immutable", WriteJson(*selector))});
    }
  }
}

void CheckReplicas(const Json& object, std::vector<Problem>& problems) {
  const Json* replicas = At(object, {"spec", "replicas"});
  if (replicas != nullptr && replicas->is_int64() && replicas->get_int64() < 0) {
    problems.push_back({"spec.replicas", "FieldValueInvalid",
                        fmt::format("Invalid value: {}: must be greater than or equal to 0",
                                    replicas->get_int64())});
  }
}

}  // namespace

Status ValidateWorkload(const machinery::ResourceType& type, const Json* old, const Json& object) {
  std::vector<Problem> problems;
  if (type.group == "apps" && (type.kind == "Deployment" || type.kind == "ReplicaSet" ||
                               type.kind == "StatefulSet" || type.kind == "DaemonSet")) {
    std::string kind(type.kind);
    std::transform(kind.begin(), kind.end(), kind.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    CheckSelector(kind, old, object, problems);
    if (type.kind != "DaemonSet") CheckReplicas(object, problems);
  } else if (type.group == "batch" && type.kind == "Job") {
    const Json* policy = At(object, {"spec", "template", "spec", "restartPolicy"});
    std::string_view value =
        policy && policy->is_string() ? std::string_view(policy->get_string()) : std::string_view();
    if (value.empty()) {
      problems.push_back({"spec.template.spec.restartPolicy", "FieldValueRequired",
                          "Required value: valid values: \"OnFailure\", \"Never\""});
    } else if (value != "OnFailure" && value != "Never") {
      problems.push_back({"spec.template.spec.restartPolicy", "FieldValueNotSupported",
                          fmt::format("Unsupported value: \"{}\": supported values: "
                                      "\"OnFailure\", \"Never\"",
                                      value)});
    }
  } else if (type.group == "batch" && type.kind == "CronJob") {
    Status cron = ValidateCronJob(object);
    if (!cron.ok()) {
      std::string_view message = cron.message();
      size_t colon = message.find(": ");
      problems.push_back({std::string(message.substr(0, colon)), "FieldValueInvalid",
                          std::string(message.substr(colon + 2))});
    }
  }
  if (problems.empty()) return Status::Ok();
  std::string name(Meta(object, "name"));
  StatusDetails details{
      .name = name, .group = std::string(type.group), .kind = std::string(type.kind)};
  std::vector<std::string> texts;
  for (const Problem& p : problems) {
    details.causes.push_back({.type = p.type, .message = p.detail, .field = p.field});
    texts.push_back(fmt::format("{}: {}", p.field, p.detail));
  }
  std::string list = texts.size() == 1 ? texts[0] : fmt::format("[{}]", fmt::join(texts, ", "));
  return Status(Reason::kInvalid,
                fmt::format("{}.{} \"{}\" is invalid: {}", type.kind, type.group, name, list),
                std::move(details));
}

}  // namespace kstack::server::workloads
