#pragma once

// The resource API: discovery (/api, /apis, per group/version), and the verbs on objects of the
// built-in types under /api/v1 and /apis/<group>/<version>, over the object registry. Requests
// for other paths go to Route (health, version, 404).

#include "server/internal/request.h"
#include "server/object_registry.h"
#include "server/type_catalog.h"

namespace kstack::server::internal {

class ApiHandler {
 public:
  // REQUIRES: `registry`, `catalog` and `clock` outlive the handler. `server_address` is
  // host:port as clients dial it.
  ApiHandler(ObjectRegistry* registry, const TypeCatalog* catalog, const Clock* clock,
             std::string server_address);

  // Thread-safe.
  Response Handle(const Request& request) const;

 private:
  Response Resource(const Request& request, std::string_view path,
                    const std::shared_ptr<const TypeSet>& types) const;
  Response Watch(const Request& request, const ResourceType& type, const std::string& ns,
                 const std::shared_ptr<const TypeSet>& types) const;
  // A meta.k8s.io Table of `objects` of `type`.
  Json Table(const TypeSet& types, const ResourceType& type, std::span<const Json> objects,
             const Json& list_metadata) const;

  ObjectRegistry* registry_;
  const TypeCatalog* catalog_;
  const Clock* clock_;
  std::string server_address_;
};

}  // namespace kstack::server::internal
