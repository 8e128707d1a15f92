#pragma once

// `kubectl get` tables of custom resources: NAME, then the CRD version's
// additionalPrinterColumns (or AGE when it has none), each cell computed from the column's
// JSONPath and type as Kubernetes computes it (integers and numbers as numbers, dates as an
// age, strings as the path's text; no value gives an empty cell).

#include <span>
#include <vector>

#include "core/clock.h"
#include "core/json.h"
#include "server/type_catalog.h"

namespace kstack::server {

Json CustomResourceTable(const std::vector<PrinterColumn>& columns, std::span<const Json> objects,
                         const Json& list_metadata, Clock::WallTime now);

}  // namespace kstack::server
