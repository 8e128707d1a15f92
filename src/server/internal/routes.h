#pragma once

// The endpoints of the API server, as a pure function of the request.

#include "core/json.h"
#include "server/internal/request.h"

namespace kstack::server::internal {

// The JSON of version.Info that /version serves: major, minor, gitVersion (kKubernetesVersion),
// gitCommit, gitTreeState, buildDate, goVersion, compiler, platform.
Json VersionInfo();

// Answers `request`:
//   /livez, /readyz, /healthz  "ok" to anyone (Kubernetes serves them to anonymous users);
//   everything else            401 Unauthorized Status unless the client is authenticated;
//   /version                   VersionInfo();
//   any other path             404 NotFound Status, as Kubernetes answers an unknown path.
// Methods other than GET and HEAD get 405 on the known paths. Thread-safe.
Response Route(const Request& request);

}  // namespace kstack::server::internal
