#pragma once

// The Kubernetes `Status` object (apiVersion v1, kind Status) for an error, as the API server
// returns it in the body of every failed request.

#include "core/json.h"
#include "core/status.h"

namespace kstack {

// {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":...,
//  "reason":...,"details":{...},"code":...}. An OK status gives "status":"Success", code 200.
Json StatusToJson(const Status& status);

}  // namespace kstack
