#include "server/builtin_admission.h"

#include <fmt/format.h>

#include "machinery/builtin_schemas.h"
#include "machinery/schema_validation.h"

namespace kstack::server {
namespace {

std::string CannotBeHandled(const ResourceType& type) {
  return fmt::format("{} in version \"{}\" cannot be handled as a {}", type.kind, type.version,
                     type.kind);
}

}  // namespace

Status ReportUnknownFields(const ResourceType& type, const std::vector<std::string>& pruned,
                           const WriteOptions& options) {
  if (pruned.empty() || options.field_validation == "Ignore") return Status::Ok();
  if (options.field_validation == "Strict") {
    std::string list;
    for (const std::string& p : pruned) {
      if (!list.empty()) list += ", ";
      list += fmt::format("unknown field \"{}\"", p);
    }
    return BadRequestError(
        fmt::format("{}: strict decoding error: {}", CannotBeHandled(type), list));
  }
  if (options.warnings != nullptr) {
    for (const std::string& p : pruned) {
      options.warnings->push_back(fmt::format("unknown field \"{}\"", p));
    }
  }
  return Status::Ok();
}

Status AdmitBuiltin(const ResourceType& type, Json& object, const WriteOptions& options) {
  const machinery::Schema* schema =
      machinery::BuiltinSchemaFor(type.group, type.version, type.kind);
  if (schema == nullptr) return Status::Ok();
  if (std::string error = machinery::BuiltinDecodeError(object, *schema); !error.empty()) {
    return BadRequestError(fmt::format("{}: {}", CannotBeHandled(type), error));
  }
  return ReportUnknownFields(type, machinery::PruneUnknownFields(object, *schema), options);
}

}  // namespace kstack::server
