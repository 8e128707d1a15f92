// v1 Service: only a LoadBalancer waits for something (its external address).

#include "gitops/health/builtin_checks.h"
#include "gitops/health/internal/fields.h"

namespace kstack::gitops::health {

using internal::FieldReader;

HealthStatus AssessService(const Json& object) {
  if (FindString(object, "apiVersion") != "v1") {
    return internal::UnsupportedVersion("Service", object);
  }
  FieldReader f("Service");
  const Json* spec = f.Object(&object, "spec", "spec");
  const Json* status = f.Object(&object, "status", "status");
  std::string_view type = f.String(spec, "type", "spec.type");
  const Json* load_balancer = f.Object(status, "loadBalancer", "status.loadBalancer");
  const JsonArray* ingress = f.Array(load_balancer, "ingress", "status.loadBalancer.ingress");
  if (f.failed()) return f.Error();

  if (type == "LoadBalancer" && (ingress == nullptr || ingress->empty())) {
    return {HealthCode::kProgressing, ""};
  }
  return {HealthCode::kHealthy, ""};
}

}  // namespace kstack::gitops::health
