#include "store/open_store.h"

#include <array>
#include <string>

#include "store/internal/sqlite_store.h"

namespace kstack::store {
namespace {

constexpr std::array<std::string_view, 2> kBackends = {"sqlite", "etcd"};

}  // namespace

std::span<const std::string_view> Backends() { return kBackends; }

Result<std::unique_ptr<Store>> OpenStore(const StoreOptions& options) {
  if (options.backend == "sqlite") {
    return internal::SqliteStore::Open(options);
  }
  if (options.backend == "etcd") {
    return UnavailableError("store backend \"etcd\" is not available in this build yet");
  }
  std::string known;
  for (std::string_view b : kBackends) {
    known += known.empty() ? "" : ", ";
    known += b;
  }
  return InvalidError("unknown store backend \"" + options.backend + "\" (known: " + known + ")");
}

}  // namespace kstack::store
