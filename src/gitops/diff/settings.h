#pragma once

// What an Application and the controller's settings say about comparing desired with live, in
// Argo CD's own vocabulary so that existing configuration reads unchanged:
//
//   Application.spec.ignoreDifferences: a list of {group, kind, name, namespace, jsonPointers,
//     jqPathExpressions, managedFieldsManagers}; group and kind are globs ("*"), an empty group is
//     the core group, an empty name or namespace matches any.
//   argocd-cm data:
//     resource.customizations.ignoreDifferences.<group>_<kind>   (YAML text with the three lists;
//       "<kind>" alone or "_<kind>" is the core group)
//     resource.customizations.ignoreDifferences.all              (every resource)
//     resource.customizations   (the older form: a YAML map "<group>/<kind>" -> {ignoreDifferences:
//       YAML text}; its other customizations are not about diffing and are skipped)
//     resource.compareoptions   (YAML text: ignoreResourceStatusField: all | crd | none,
//       ignoreAggregatedRoles: true | false)
//     application.resourceTrackingMethod   (annotation | label | annotation+label)
//     application.instanceLabelKey         (the tracking label; app.kubernetes.io/instance)
// Defaults are those of Argo CD 3: status ignored for all resources, annotation tracking.

#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "core/result.h"

namespace kstack::gitops::diff {

struct ResourceIgnoreDifferences {
  std::string group;                                 // a glob; "" is the core group
  std::string kind;                                  // a glob
  std::string name;                                  // "" matches any name
  std::string ns;                                    // "" matches any namespace
  std::vector<std::string> json_pointers;            // "/spec/replicas"
  std::vector<std::string> jq_path_expressions;      // ".spec.template.spec.initContainers[]?"
  std::vector<std::string> managed_fields_managers;  // "kube-controller-manager"
};

// Which resources keep `status` out of the comparison.
enum class IgnoreStatusField { kAll, kCrd, kNone };

// How an Application marks the live objects it owns.
enum class TrackingMethod {
  kAnnotation,          // argocd.argoproj.io/tracking-id: <app>:<group>/<kind>:<namespace>/<name>
  kLabel,               // <instance label key>: <app>
  kAnnotationAndLabel,  // both written; the annotation decides
};

inline constexpr std::string_view kDefaultInstanceLabelKey = "app.kubernetes.io/instance";
inline constexpr std::string_view kTrackingIdAnnotation = "argocd.argoproj.io/tracking-id";

// The system-wide comparison settings (argocd-cm).
struct CompareSettings {
  std::vector<ResourceIgnoreDifferences> ignore_differences;
  IgnoreStatusField ignore_status_field = IgnoreStatusField::kAll;
  bool ignore_aggregated_roles = false;
  TrackingMethod tracking_method = TrackingMethod::kAnnotation;
  std::string instance_label_key = std::string(kDefaultInstanceLabelKey);
};

// Reads a list shaped like Application.spec.ignoreDifferences (null reads as empty).
// Errors: kInvalid naming `source` and the entry ("app.yaml: ignoreDifferences[1].jsonPointers:
// must be a list of strings").
Result<std::vector<ResourceIgnoreDifferences>> ParseIgnoreDifferences(const Json& list,
                                                                      std::string_view source);

// Reads the settings of an argocd-cm ConfigMap: the whole object, or only its `data` map.
// Errors: kInvalid naming `source` and the key whose value cannot be read.
Result<CompareSettings> ParseArgoCdConfigMap(const Json& config_map, std::string_view source);

// What an argoproj.io Application says about its comparison.
struct ApplicationSettings {
  std::string name;                                           // metadata.name: the tracking value
  std::string destination_namespace;                          // spec.destination.namespace
  std::vector<ResourceIgnoreDifferences> ignore_differences;  // spec.ignoreDifferences
};

// Errors: kInvalid naming `source` when the object is not an Application or a field has the
// wrong type.
Result<ApplicationSettings> ParseApplication(const Json& application, std::string_view source);

// "annotation", "label", "annotation+label"; kInvalid otherwise.
Result<TrackingMethod> ParseTrackingMethod(std::string_view text);

}  // namespace kstack::gitops::diff
