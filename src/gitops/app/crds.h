#pragma once

// The objects the controller installs in the cluster it runs against, with Argo CD's names so
// that existing manifests, kubectl habits and tools keep working:
//   - the CustomResourceDefinitions applications.argoproj.io (kind Application, short names app
//     and apps, columns Sync Status, Health Status and, with -o wide, Revision and Project) and
//     appprojects.argoproj.io (AppProject, appproj and appprojs), version v1alpha1, namespaced.
//     Like Argo CD's they have no status subresource (the controller writes status with the
//     object) and a structural schema that requires what Argo CD requires (spec with project and
//     destination; an AppProject's spec is optional) and keeps every other field;
//   - the `default` AppProject that Argo CD creates: any source repository, any destination, any
//     cluster-scoped kind.

#include <string_view>
#include <vector>

#include "core/json.h"

namespace kstack::gitops::app {

// The two CRDs, Application first.
std::vector<Json> ArgoCdCrds();

// The default AppProject in `ns`.
Json DefaultAppProject(std::string_view ns);

}  // namespace kstack::gitops::app
