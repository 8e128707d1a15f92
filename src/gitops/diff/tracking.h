#pragma once

// Which live objects an Application owns, by Argo CD's resource tracking
// (application.resourceTrackingMethod):
//   label:             the instance label (app.kubernetes.io/instance by default) holds the
//                      Application's name;
//   annotation:        argocd.argoproj.io/tracking-id holds
//                      "<app>:<group>/<kind>:<namespace>/<name>", and must name the object that
//                      carries it (a copy of another object's annotation does not count; a
//                      cluster-scoped object's id holds the Application's destination namespace);
//   annotation+label:  both are written, the annotation decides.

#include <string>
#include <string_view>

#include "core/json.h"
#include "gitops/diff/resource_key.h"
#include "gitops/diff/settings.h"

namespace kstack::gitops::diff {

struct Tracking {
  std::string app;  // the Application's instance name (its name, or "<namespace>_<name>")
  TrackingMethod method = TrackingMethod::kAnnotation;
  std::string label_key = std::string(kDefaultInstanceLabelKey);
  std::string destination_namespace;  // written into the ids of cluster-scoped objects
};

// "<app>:<group>/<kind>:<namespace>/<name>" for the object `key` (its namespace, or the
// destination namespace when it has none).
std::string TrackingId(const Tracking& tracking, const ResourceKey& key);

// Whether `live` belongs to the Application.
bool IsTracked(const Json& live, const Tracking& tracking);

// Marks a desired object as the Application's, as a sync writes it: the label and/or the
// annotation of the method. `object` must be a JSON object.
void SetTracking(Json& object, const Tracking& tracking);

// When the annotation decides (annotation, annotation+label) and the live object still carries
// the tracking label from before: copies desired's tracking annotation onto live, and drops the
// label from live when desired has none, so that moving from label to annotation tracking is
// not a difference by itself.
void NormalizeTracking(const Json& desired, Json& live, const Tracking& tracking);

}  // namespace kstack::gitops::diff
