#include "gitops/diff/settings.h"

#include <fmt/format.h>

#include "core/yaml.h"

namespace kstack::gitops::diff {
namespace {

constexpr std::string_view kIgnorePrefix = "resource.customizations.ignoreDifferences.";

Status ReadStrings(const Json& v, std::string_view where, std::vector<std::string>* out) {
  if (v.is_null()) return Status::Ok();
  if (v.is_string()) {  // a lone string reads as a list of one, as YAML users write it
    out->emplace_back(v.get_string());
    return Status::Ok();
  }
  if (!v.is_array()) return InvalidError(fmt::format("{}: must be a list of strings", where));
  for (const Json& item : v.get_array()) {
    if (!item.is_string()) return InvalidError(fmt::format("{}: must be a list of strings", where));
    out->emplace_back(item.get_string());
  }
  return Status::Ok();
}

Status ReadString(const Json& entry, std::string_view key, std::string_view where,
                  std::string* out) {
  const Json* v = FindMember(entry, key);
  if (v == nullptr || v->is_null()) return Status::Ok();
  if (!v->is_string()) return InvalidError(fmt::format("{}.{}: must be a string", where, key));
  *out = std::string(v->get_string());
  return Status::Ok();
}

// The three lists of one ignoreDifferences entry (also the whole value of an argocd-cm key).
Status ReadLists(const Json& entry, std::string_view where, ResourceIgnoreDifferences* out) {
  static constexpr std::pair<std::string_view,
                             std::vector<std::string> ResourceIgnoreDifferences::*>
      kLists[] = {{"jsonPointers", &ResourceIgnoreDifferences::json_pointers},
                  {"jqPathExpressions", &ResourceIgnoreDifferences::jq_path_expressions},
                  {"managedFieldsManagers", &ResourceIgnoreDifferences::managed_fields_managers}};
  for (const auto& [key, member] : kLists) {
    const Json* v = FindMember(entry, key);
    if (v == nullptr) continue;
    KSTACK_RETURN_IF_ERROR(ReadStrings(*v, fmt::format("{}.{}", where, key), &(out->*member)));
  }
  return Status::Ok();
}

// "apps_Deployment" -> apps, Deployment; "_Service" and "Service" -> core, Service; "all" -> *, *.
void SplitGroupKind(std::string_view key, std::string* group, std::string* kind) {
  if (key == "all") key = "*_*";
  size_t underscore = key.find('_');
  std::string_view g, k = key;
  if (underscore != std::string_view::npos) {
    g = key.substr(0, underscore);
    k = key.substr(underscore + 1);
  }
  group->assign(g.data(), g.size());
  kind->assign(k.data(), k.size());
}

Result<Json> ParseYamlValue(const Json& text, std::string_view where) {
  if (!text.is_string()) return InvalidError(fmt::format("{}: must be a YAML text", where));
  Result<Json> v = ParseYaml(std::string_view(text.get_string()), where);
  if (!v.ok()) return InvalidError(v.status().message());
  if (!v->is_null() && !v->is_object()) {
    return InvalidError(fmt::format("{}: must be a YAML mapping", where));
  }
  return v;
}

Status ReadCompareOptions(const Json& text, std::string_view where, CompareSettings* out) {
  KSTACK_ASSIGN_OR_RETURN(Json options, ParseYamlValue(text, where));
  if (const Json* status = FindMember(options, "ignoreResourceStatusField")) {
    std::string_view v = status->is_string() ? std::string_view(status->get_string()) : "";
    if (v == "all") {
      out->ignore_status_field = IgnoreStatusField::kAll;
    } else if (v == "crd") {
      out->ignore_status_field = IgnoreStatusField::kCrd;
    } else if (v == "none" || v == "off") {
      out->ignore_status_field = IgnoreStatusField::kNone;
    } else {
      return InvalidError(
          fmt::format("{}: ignoreResourceStatusField must be all, crd or none, not {}", where,
                      WriteJson(*status)));
    }
  }
  if (const Json* roles = FindMember(options, "ignoreAggregatedRoles")) {
    if (!roles->is_bool()) {
      return InvalidError(fmt::format("{}: ignoreAggregatedRoles must be true or false", where));
    }
    out->ignore_aggregated_roles = roles->get_bool();
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<ResourceIgnoreDifferences>> ParseIgnoreDifferences(const Json& list,
                                                                      std::string_view source) {
  std::vector<ResourceIgnoreDifferences> out;
  if (list.is_null()) return out;
  if (!list.is_array()) {
    return InvalidError(fmt::format("{}: ignoreDifferences must be a list", source));
  }
  for (size_t i = 0; i < list.get_array().size(); ++i) {
    const Json& entry = list.get_array()[i];
    std::string where = fmt::format("{}: ignoreDifferences[{}]", source, i);
    if (!entry.is_object()) return InvalidError(where + ": must be a mapping");
    ResourceIgnoreDifferences rule;
    KSTACK_RETURN_IF_ERROR(ReadString(entry, "group", where, &rule.group));
    KSTACK_RETURN_IF_ERROR(ReadString(entry, "kind", where, &rule.kind));
    KSTACK_RETURN_IF_ERROR(ReadString(entry, "name", where, &rule.name));
    KSTACK_RETURN_IF_ERROR(ReadString(entry, "namespace", where, &rule.ns));
    KSTACK_RETURN_IF_ERROR(ReadLists(entry, where, &rule));
    out.push_back(std::move(rule));
  }
  return out;
}

Result<ApplicationSettings> ParseApplication(const Json& application, std::string_view source) {
  if (!application.is_object() || FindString(application, "kind") != "Application") {
    return InvalidError(fmt::format("{}: not an Application", source));
  }
  ApplicationSettings out;
  if (const Json* metadata = FindMember(application, "metadata")) {
    out.name = std::string(FindString(*metadata, "name"));
  }
  const Json* spec = FindMember(application, "spec");
  if (spec == nullptr) return out;
  if (const Json* destination = FindMember(*spec, "destination")) {
    out.destination_namespace = std::string(FindString(*destination, "namespace"));
  }
  if (const Json* ignore = FindMember(*spec, "ignoreDifferences")) {
    KSTACK_ASSIGN_OR_RETURN(out.ignore_differences, ParseIgnoreDifferences(*ignore, source));
  }
  return out;
}

Result<TrackingMethod> ParseTrackingMethod(std::string_view text) {
  if (text == "annotation") return TrackingMethod::kAnnotation;
  if (text == "label") return TrackingMethod::kLabel;
  if (text == "annotation+label") return TrackingMethod::kAnnotationAndLabel;
  return InvalidError(fmt::format(
      "resource tracking method must be annotation, label or annotation+label, not \"{}\"", text));
}

Result<CompareSettings> ParseArgoCdConfigMap(const Json& config_map, std::string_view source) {
  CompareSettings out;
  const Json* data = &config_map;
  if (FindMember(config_map, "kind") != nullptr ||
      FindMember(config_map, "apiVersion") != nullptr) {
    data = FindMember(config_map, "data");
    if (data == nullptr || data->is_null()) return out;
  }
  if (!data->is_object()) return InvalidError(fmt::format("{}: data must be a mapping", source));
  for (const auto& member : data->get_object()) {
    std::string_view key = member.key();
    std::string where = fmt::format("{}: {}", source, key);
    if (key.starts_with(kIgnorePrefix)) {
      ResourceIgnoreDifferences rule;
      SplitGroupKind(key.substr(kIgnorePrefix.size()), &rule.group, &rule.kind);
      KSTACK_ASSIGN_OR_RETURN(Json lists, ParseYamlValue(member.value(), where));
      KSTACK_RETURN_IF_ERROR(ReadLists(lists, where, &rule));
      out.ignore_differences.push_back(std::move(rule));
    } else if (key == "resource.customizations") {
      KSTACK_ASSIGN_OR_RETURN(Json all, ParseYamlValue(member.value(), where));
      if (all.is_null()) continue;
      for (const auto& custom : all.get_object()) {
        const Json* text = FindMember(custom.value(), "ignoreDifferences");
        if (text == nullptr) continue;
        std::string custom_where = fmt::format("{}: {}.ignoreDifferences", where, custom.key());
        ResourceIgnoreDifferences rule;
        std::string_view group_kind = custom.key();
        size_t slash = group_kind.find('/');
        if (slash == std::string_view::npos) {
          rule.kind = std::string(group_kind);
        } else {
          rule.group = std::string(group_kind.substr(0, slash));
          rule.kind = std::string(group_kind.substr(slash + 1));
        }
        KSTACK_ASSIGN_OR_RETURN(Json lists, ParseYamlValue(*text, custom_where));
        KSTACK_RETURN_IF_ERROR(ReadLists(lists, custom_where, &rule));
        out.ignore_differences.push_back(std::move(rule));
      }
    } else if (key == "resource.compareoptions") {
      KSTACK_RETURN_IF_ERROR(ReadCompareOptions(member.value(), where, &out));
    } else if (key == "application.resourceTrackingMethod") {
      if (!member.value().is_string()) return InvalidError(where + ": must be a string");
      Result<TrackingMethod> method = ParseTrackingMethod(member.value().get_string());
      if (!method.ok()) return InvalidError(where + ": " + method.status().message());
      out.tracking_method = *method;
    } else if (key == "application.instanceLabelKey") {
      if (!member.value().is_string()) return InvalidError(where + ": must be a string");
      out.instance_label_key = std::string(member.value().get_string());
    }
  }
  return out;
}

}  // namespace kstack::gitops::diff
