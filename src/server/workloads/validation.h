#pragma once

// The API server's checks of workload objects that the controllers rely on, with Kubernetes'
// wording: a Deployment, ReplicaSet, StatefulSet or DaemonSet needs a non-empty spec.selector
// that matches its template's labels and does not change (apps/v1 selectors are immutable), and
// no negative spec.replicas; a Job's template has restartPolicy OnFailure or Never; a
// CronJob's schedule parses and its time zone is in the tz database.
// Pure; thread-safe.

#include "core/json.h"
#include "core/status.h"
#include "machinery/resource_types.h"

namespace kstack::server::workloads {

// Errors: kInvalid `Deployment.apps "web" is invalid: <field>: <detail>` (several problems as
// a bracketed list), with one StatusCause per problem; Ok for other kinds.
Status ValidateWorkload(const machinery::ResourceType& type, const Json* old, const Json& object);

}  // namespace kstack::server::workloads
