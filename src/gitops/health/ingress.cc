// Ingress (networking.k8s.io or extensions, any version): Healthy once the controller has
// published an address. A status of another shape reads as no address, never as an error.

#include "gitops/health/builtin_checks.h"
#include "gitops/health/internal/fields.h"

namespace kstack::gitops::health {

HealthStatus AssessIngress(const Json& object) {
  const Json* status = internal::Member(&object, "status");
  const Json* load_balancer = internal::Member(status, "loadBalancer");
  const Json* ingress = internal::Member(load_balancer, "ingress");
  if (ingress != nullptr && ingress->is_array() && !ingress->get_array().empty()) {
    return {HealthCode::kHealthy, ""};
  }
  return {HealthCode::kProgressing, ""};
}

}  // namespace kstack::gitops::health
