// Tables of cluster-wide machinery: role bindings, priority classes, admission webhook
// configurations and leases. Roles and cluster roles have no printer of their own in
// Kubernetes and show the default columns.

#include <fmt/format.h>

#include "server/internal/table_printer.h"

namespace kstack::server::internal {
namespace {

std::string Name(const Json& o) { return Str(o, {"metadata", "name"}); }

// Role, then the wide Users, Groups and ServiceAccounts (namespace/name) of the subjects.
JsonArray BindingRow(const RowInput& in) {
  const Json& b = in.object;
  std::vector<std::string> users, groups, accounts;
  for (const Json& s : Items(b, {"subjects"})) {
    std::string_view kind = FindString(s, "kind");
    std::string name(FindString(s, "name"));
    if (kind == "User") {
      users.push_back(name);
    } else if (kind == "Group") {
      groups.push_back(name);
    } else if (kind == "ServiceAccount") {
      accounts.push_back(fmt::format("{}/{}", FindString(s, "namespace"), name));
    }
  }
  return JsonArray{Name(b),
                   fmt::format("{}/{}", Str(b, {"roleRef", "kind"}), Str(b, {"roleRef", "name"})),
                   in.age,
                   Join(users, ", "),
                   Join(groups, ", "),
                   Join(accounts, ", ")};
}

JsonArray PriorityClassRow(const RowInput& in) {
  const Json& pc = in.object;
  // The API server defaults the preemption policy.
  return JsonArray{Name(pc), Int(pc, {"value"}), IsTrue(pc, {"globalDefault"}), in.age,
                   Str(pc, {"preemptionPolicy"}, "PreemptLowerPriority")};
}

JsonArray WebhookConfigurationRow(const RowInput& in) {
  return JsonArray{Name(in.object), Count(in.object, {"webhooks"}), in.age};
}

JsonArray LeaseRow(const RowInput& in) {
  return JsonArray{Name(in.object), Str(in.object, {"spec", "holderIdentity"}), in.age};
}

std::vector<Column> BindingColumns() {
  return {kNameColumn,
          {"Role", "string", "The bound role, as kind/name."},
          kAgeColumn,
          {"Users", "string", "Users the binding grants the role to.", 1},
          {"Groups", "string", "Groups the binding grants the role to.", 1},
          {"ServiceAccounts", "string", "Service accounts the binding grants the role to.", 1}};
}

std::vector<Column> WebhookColumns() {
  return {kNameColumn, {"Webhooks", "integer", "Webhooks of the configuration."}, kAgeColumn};
}

}  // namespace

void AddClusterPrinters(PrinterMap* printers) {
  PrinterMap& p = *printers;
  p["rbac.authorization.k8s.io/rolebindings"] = Printer{BindingColumns(), BindingRow};
  p["rbac.authorization.k8s.io/clusterrolebindings"] = Printer{BindingColumns(), BindingRow};
  p["scheduling.k8s.io/priorityclasses"] =
      Printer{{kNameColumn,
               {"Value", "integer", "The priority of pods of the class."},
               {"Global-Default", "boolean", "Whether pods without a class get this one."},
               kAgeColumn,
               {"PreemptionPolicy", "string", "Whether pods of the class may preempt others."}},
              PriorityClassRow};
  p["admissionregistration.k8s.io/mutatingwebhookconfigurations"] =
      Printer{WebhookColumns(), WebhookConfigurationRow};
  p["admissionregistration.k8s.io/validatingwebhookconfigurations"] =
      Printer{WebhookColumns(), WebhookConfigurationRow};
  p["coordination.k8s.io/leases"] = Printer{
      {kNameColumn, {"Holder", "string", "The identity holding the lease."}, kAgeColumn}, LeaseRow};
}

}  // namespace kstack::server::internal
