#pragma once

// The order of kinds within one sync wave, as Argo CD applies them (its list follows Helm's
// install order): namespaces and policies first, then configuration, storage, CRDs, RBAC,
// services, workloads, ingresses and API services. Only the kind is looked at, not the group.

#include <string_view>

namespace kstack::gitops::sync {

// A negative rank for a kind on the list (Namespace lowest), 0 for any other kind, so that
// custom resources and kinds not on the list come after every listed kind.
int KindOrder(std::string_view kind);

}  // namespace kstack::gitops::sync
