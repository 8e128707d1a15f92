#pragma once

// The application of the GitOps engine's speed goals, shared by its benchmarks: resource `i` of
// an app of 400 Deployments, 300 Services, 200 ConfigMaps and 100 Secrets per 1,000 (i % 10
// picks the kind), as it is in Git and as the API server returns it once applied with kubectl
// and reconciled (server metadata, defaults, status, the last-applied annotation, managed
// fields).

#include <string>

#include "core/json.h"

namespace kstack::bench {

// Resource `i` as a YAML file in Git.
std::string DesiredYaml(int i);
// The same, parsed.
Json DesiredObject(int i);
// What the API server returns for `desired` applied with kubectl into namespace `shop` by the
// Application `app` (label tracking).
Json LiveObject(const Json& desired, const std::string& app);

}  // namespace kstack::bench
