#pragma once

// The factory of stores and the explicit list of backends (no self-registration).

#include <memory>
#include <span>
#include <string_view>

#include "core/result.h"
#include "store/store.h"
#include "store/store_options.h"

namespace kstack::store {

// The backends this build knows, in order of preference: "sqlite" (embedded, the default) and
// "etcd" (named so that configurations can say it; opening it fails until it is implemented).
std::span<const std::string_view> Backends();

// Opens (creating when absent) the store described by `options`.
// Errors: kInvalid for an unknown backend, a missing data_dir, or a data directory written by a
// schema version this build cannot read (never silently misread); kUnavailable when the data
// directory is in use by another process or the backend is not available in this build;
// kInternal when the files cannot be created or are corrupt.
Result<std::unique_ptr<Store>> OpenStore(const StoreOptions& options);

}  // namespace kstack::store
