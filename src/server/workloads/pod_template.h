#pragma once

// Pods made from the pod template of a controller (ReplicaSet, Job, StatefulSet, DaemonSet),
// as Kubernetes' controllers make them: the template's labels, annotations and spec, an
// ownerReference naming the owner as controller with blockOwnerDeletion, and a generated name
// "<owner>-<random>" unless a name is given. Pure; thread-safe.

#include <string_view>

#include "core/json.h"

namespace kstack::server::workloads {

// `pod_template` is the owner's spec.template. `name` empty: generateName "<owner name>-".
Json PodFromTemplate(const Json& pod_template, const Json& owner, std::string_view api_version,
                     std::string_view kind, std::string_view name = "");

// The template without the label `label` (the pod-template-hash a Deployment adds to its
// ReplicaSets' templates), for comparing templates as Kubernetes' EqualIgnoreHash does.
Json WithoutLabel(const Json& pod_template, std::string_view label);

}  // namespace kstack::server::workloads
