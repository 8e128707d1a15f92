#pragma once

// The Status of a non-2xx response: the reason, message and details of its Kubernetes Status
// body, or, when the body is not one, a Status from the HTTP code alone naming the request.

#include <string_view>

#include "core/json.h"
#include "core/status.h"

namespace kstack::kube::internal {

// `what` names the request in messages that have no body to quote ("GET /api/v1/pods").
Status StatusFromResponse(int code, std::string_view body, std::string_view what);

// The Status of a Kubernetes Status object (a watch ERROR event carries one).
Status StatusFromStatusObject(const boost::json::value& object, int fallback_code);

}  // namespace kstack::kube::internal
