#pragma once

// The resource API: discovery (/api, /apis, per group/version), and the verbs on objects of the
// built-in types under /api/v1 and /apis/<group>/<version>, over the object registry. Requests
// for other paths go to Route (health, version, 404).

#include "server/internal/request.h"
#include "server/object_registry.h"

namespace kstack::server::internal {

class ApiHandler {
 public:
  // REQUIRES: `registry` and `clock` outlive the handler. `server_address` is host:port as
  // clients dial it.
  ApiHandler(ObjectRegistry* registry, const Clock* clock, std::string server_address);

  // Thread-safe.
  Response Handle(const Request& request) const;

 private:
  Response Resource(const Request& request, std::string_view path) const;
  Response Watch(const Request& request, const ResourceType& type, const std::string& ns) const;

  ObjectRegistry* registry_;
  const Clock* clock_;
  std::string server_address_;
};

}  // namespace kstack::server::internal
