#pragma once

// Server-side tables for `kubectl get` (Accept: application/json;as=Table;g=meta.k8s.io;v=v1):
// the columns, priorities and cell texts of the Kubernetes 1.32 API server's printers for each
// built-in type, computed from the objects (table_<area>.cc per API area). Wide columns
// (priority 1) are always filled; kubectl shows them with `-o wide`. Where the API server
// would have defaulted a field the object lacks (a Service's type, a CronJob's suspend, a
// PersistentVolume's reclaim policy, ...), the cell shows the default. Types without a printer
// of their own (roles, cluster roles, limit ranges, custom resource definitions) get the
// default columns Name and Created At. Pure functions of the objects and the current time;
// safe to call from any thread.

#include <chrono>
#include <span>
#include <string>

#include "core/clock.h"
#include "core/json.h"
#include "machinery/resource_types.h"

namespace kstack::server {

// A meta.k8s.io/v1 Table of `objects` (each row carries the object's metadata as a
// PartialObjectMetadata), with `list_metadata` (resourceVersion, continue) as its metadata.
Json ToTable(const machinery::ResourceType& type, std::span<const Json> objects,
             const Json& list_metadata, Clock::WallTime now);

// Kubernetes' short age text ("45s", "3m12s", "5h", "2d3h", "3y45d").
std::string HumanDuration(std::chrono::seconds d);

}  // namespace kstack::server
