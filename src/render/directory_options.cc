// ParseDirectoryOptions (directory.h): the `directory` block of an Application source.

#include <fmt/format.h>

#include "render/directory.h"
#include "render/internal/manifest_file.h"

namespace kstack::render {
namespace {

Status Wrong(std::string_view field, std::string_view what) {
  return BadRequestError(fmt::format("{}: {}", field, what));
}

Status WrongType(std::string_view field, const Json& value, std::string_view want) {
  return Wrong(field, fmt::format("must be {}, not {}", want, internal::KindWithArticle(value)));
}

Status ReadBool(std::string_view field, const Json& value, bool* out) {
  if (value.is_null()) return Status::Ok();
  if (!value.is_bool()) return WrongType(field, value, "a boolean");
  *out = value.get_bool();
  return Status::Ok();
}

Status ReadString(std::string_view field, const Json& value, std::string* out) {
  if (value.is_null()) return Status::Ok();
  if (!value.is_string()) return WrongType(field, value, "a string");
  *out = std::string(value.get_string());
  return Status::Ok();
}

Status ReadVars(std::string_view field, const Json& value, std::vector<JsonnetVar>* out) {
  if (value.is_null()) return Status::Ok();
  if (!value.is_array()) return WrongType(field, value, "a list");
  const JsonArray& list = value.get_array();
  for (size_t i = 0; i < list.size(); ++i) {
    std::string at = fmt::format("{}[{}]", field, i);
    if (!list[i].is_object()) return WrongType(at, list[i], "an object");
    JsonnetVar var;
    for (const auto& member : list[i].get_object()) {
      std::string key(member.key());
      std::string sub = at + "." + key;
      if (key == "name") {
        KSTACK_RETURN_IF_ERROR(ReadString(sub, member.value(), &var.name));
      } else if (key == "value") {
        KSTACK_RETURN_IF_ERROR(ReadString(sub, member.value(), &var.value));
      } else if (key == "code") {
        KSTACK_RETURN_IF_ERROR(ReadBool(sub, member.value(), &var.code));
      } else {
        return Wrong(sub, "unknown field");
      }
    }
    if (var.name.empty()) return Wrong(at + ".name", "required");
    out->push_back(std::move(var));
  }
  return Status::Ok();
}

Status ReadJsonnet(const Json& value, JsonnetOptions* out) {
  constexpr std::string_view kField = "directory.jsonnet";
  if (value.is_null()) return Status::Ok();
  if (!value.is_object()) return WrongType(kField, value, "an object");
  for (const auto& member : value.get_object()) {
    std::string key(member.key());
    std::string sub = fmt::format("{}.{}", kField, key);
    if (key == "tlas") {
      KSTACK_RETURN_IF_ERROR(ReadVars(sub, member.value(), &out->tlas));
    } else if (key == "extVars") {
      KSTACK_RETURN_IF_ERROR(ReadVars(sub, member.value(), &out->ext_vars));
    } else if (key == "libs") {
      if (member.value().is_null()) continue;
      if (!member.value().is_array()) return WrongType(sub, member.value(), "a list");
      const JsonArray& libs = member.value().get_array();
      for (size_t i = 0; i < libs.size(); ++i) {
        std::string lib;
        KSTACK_RETURN_IF_ERROR(ReadString(fmt::format("{}[{}]", sub, i), libs[i], &lib));
        out->libs.push_back(std::move(lib));
      }
    } else {
      return Wrong(sub, "unknown field");
    }
  }
  return Status::Ok();
}

}  // namespace

Result<DirectoryOptions> ParseDirectoryOptions(const Json& directory) {
  DirectoryOptions options;
  if (directory.is_null()) return options;
  if (!directory.is_object()) return WrongType("directory", directory, "an object");
  for (const auto& member : directory.get_object()) {
    std::string key(member.key());
    std::string field = "directory." + key;
    const Json& value = member.value();
    if (key == "recurse") {
      KSTACK_RETURN_IF_ERROR(ReadBool(field, value, &options.recurse));
    } else if (key == "include") {
      KSTACK_RETURN_IF_ERROR(ReadString(field, value, &options.include));
    } else if (key == "exclude") {
      KSTACK_RETURN_IF_ERROR(ReadString(field, value, &options.exclude));
    } else if (key == "disableExtensionFilter") {
      KSTACK_RETURN_IF_ERROR(ReadBool(field, value, &options.disable_extension_filter));
    } else if (key == "jsonnet") {
      KSTACK_RETURN_IF_ERROR(ReadJsonnet(value, &options.jsonnet));
    } else {
      return Wrong(field, "unknown field");
    }
  }
  return options;
}

}  // namespace kstack::render
