#include "gitops/health/lua_checks.h"

#include <fmt/core.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>
#include <system_error>
#include <vector>

#include "core/yaml.h"
#include "gitops/health/internal/glob.h"
#include "gitops/health/internal/lua_sandbox.h"

namespace kstack::gitops::health {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kCustomizationsKey = "resource.customizations";
constexpr std::string_view kHealthScriptField = "health.lua";
constexpr std::string_view kOpenLibsField = "health.lua.useOpenLibs";

// What the configuration says about one group/kind, gathered from every key that names it.
struct Override {
  std::string health;
  bool open_libs = false;
};

// strconv.ParseBool's spellings.
std::optional<bool> ParseGoBool(std::string_view text) {
  for (std::string_view t : {"1", "t", "T", "TRUE", "true", "True"}) {
    if (text == t) return true;
  }
  for (std::string_view f : {"0", "f", "F", "FALSE", "false", "False"}) {
    if (text == f) return false;
  }
  return std::nullopt;
}

// "cert-manager.io_Certificate" → "cert-manager.io/Certificate"; "Pod" → "Pod"; "all" → "*/*".
Result<std::string> OverrideKey(std::string_view key, std::string_view group_kind) {
  if (group_kind == "all") return std::string("*/*");
  size_t underscore = group_kind.find('_');
  if (underscore == std::string_view::npos && !group_kind.empty()) return std::string(group_kind);
  if (underscore != std::string_view::npos &&
      group_kind.find('_', underscore + 1) == std::string_view::npos) {
    return fmt::format("{}/{}", group_kind.substr(0, underscore),
                       group_kind.substr(underscore + 1));
  }
  return InvalidError(fmt::format(
      "{}: group kind should be in format `resource.customizations.<type>.<group_kind>` or "
      "`resource.customizations.<type>.<kind>`, got group kind: '{}'",
      key, group_kind));
}

Status ReadCustomizationsYaml(std::string_view text, std::map<std::string, Override>* overrides) {
  Result<Json> parsed = ParseYaml(text, kCustomizationsKey);
  if (!parsed.ok()) return parsed.status();
  if (parsed->is_null()) return Status::Ok();
  if (!parsed->is_object()) {
    return InvalidError(
        fmt::format("{}: expected a mapping of group/kind to customizations, got {}",
                    kCustomizationsKey, JsonKindName(*parsed)));
  }
  for (const auto& member : parsed->get_object()) {
    std::string where = fmt::format("{}: {}", kCustomizationsKey, std::string_view(member.key()));
    if (member.value().is_null()) continue;
    if (!member.value().is_object()) {
      return InvalidError(
          fmt::format("{}: expected a mapping, got {}", where, JsonKindName(member.value())));
    }
    Override& o = (*overrides)[std::string(member.key())];
    if (const Json* script = member.value().get_object().if_contains(kHealthScriptField)) {
      if (!script->is_null() && !script->is_string()) {
        return InvalidError(fmt::format("{}: {}: expected a string, got {}", where,
                                        kHealthScriptField, JsonKindName(*script)));
      }
      o.health = script->is_string() ? std::string(script->get_string()) : "";
    }
    if (const Json* open = member.value().get_object().if_contains(kOpenLibsField)) {
      if (!open->is_null() && !open->is_bool()) {
        return InvalidError(fmt::format("{}: {}: expected a boolean, got {}", where, kOpenLibsField,
                                        JsonKindName(*open)));
      }
      o.open_libs = open->is_bool() && open->get_bool();
    }
  }
  return Status::Ok();
}

Status ReadSplitKeys(const JsonObject& data, std::map<std::string, Override>* overrides) {
  for (const auto& member : data) {
    std::string_view key = member.key();
    if (!key.starts_with(kCustomizationsKey)) continue;
    // resource.customizations.<type>.<group_kind>, the group holding dots of its own.
    size_t type_start = key.find('.', key.find('.') + 1);
    if (type_start == std::string_view::npos) continue;
    size_t type_end = key.find('.', type_start + 1);
    if (type_end == std::string_view::npos) continue;
    std::string_view type = key.substr(type_start + 1, type_end - type_start - 1);
    KSTACK_ASSIGN_OR_RETURN(std::string override_key, OverrideKey(key, key.substr(type_end + 1)));
    std::string_view value;
    bool bool_value = false;
    if (member.value().is_string()) {
      value = member.value().get_string();
    } else if (member.value().is_bool()) {
      bool_value = true;
      value = member.value().get_bool() ? "true" : "false";
    } else if (!member.value().is_null()) {
      return InvalidError(
          fmt::format("{}: expected a string, got {}", key, JsonKindName(member.value())));
    }
    if (type == "health") {
      if (bool_value) {
        return InvalidError(fmt::format("{}: expected a Lua script, got a boolean", key));
      }
      (*overrides)[override_key].health = std::string(value);
    } else if (type == "useOpenLibs") {
      std::optional<bool> open = ParseGoBool(value);
      if (!open) {
        return InvalidError(fmt::format("{}: expected true or false, got \"{}\"", key, value));
      }
      (*overrides)[override_key].open_libs = *open;
    } else if (type != "actions" && type != "ignoreDifferences" &&
               type != "ignoreResourceUpdates" && type != "knownTypeFields") {
      return InvalidError(
          fmt::format("{}: resource customization type {} not supported", key, type));
    }
  }
  return Status::Ok();
}

Result<std::string> ReadText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return InternalError(fmt::format("{}: cannot read the file", path.string()));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return InternalError(fmt::format("{}: cannot read the file", path.string()));
  return text.str();
}

}  // namespace

Result<LuaHealthChecks> LuaHealthChecks::FromConfigMap(const Json& config) {
  const Json* data = &config;
  if (const Json* inner = FindMember(config, "data"); inner != nullptr && inner->is_object()) {
    data = inner;
  } else if (FindString(config, "kind") == "ConfigMap") {
    return LuaHealthChecks();  // a ConfigMap without data
  }
  if (!data->is_object()) {
    return InvalidError(
        fmt::format("argocd-cm data: expected a mapping, got {}", JsonKindName(*data)));
  }
  std::map<std::string, Override> overrides;
  const JsonObject& map = data->get_object();
  if (const Json* yaml = map.if_contains(kCustomizationsKey)) {
    if (yaml->is_string() && !yaml->get_string().empty()) {
      KSTACK_RETURN_IF_ERROR(ReadCustomizationsYaml(yaml->get_string(), &overrides));
    } else if (!yaml->is_string() && !yaml->is_null()) {
      return InvalidError(
          fmt::format("{}: expected a YAML text, got {}", kCustomizationsKey, JsonKindName(*yaml)));
    }
  }
  KSTACK_RETURN_IF_ERROR(ReadSplitKeys(map, &overrides));
  LuaHealthChecks checks;
  for (auto& [key, o] : overrides) {
    if (!o.health.empty()) {
      checks.Add(key, std::move(o.health), o.open_libs, LuaScriptOrigin::kConfigured);
    }
  }
  return checks;
}

Result<LuaHealthChecks> LuaHealthChecks::FromDirectory(const fs::path& root) {
  std::error_code ec;
  if (!fs::is_directory(root, ec)) {
    return NotFoundError(fmt::format("{}: no such directory", root.string()));
  }
  LuaHealthChecks checks;
  for (fs::recursive_directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().filename() != kHealthScriptField || !it->is_regular_file(ec)) continue;
    fs::path relative = it->path().parent_path().lexically_relative(root);
    std::vector<std::string> parts;
    for (const fs::path& part : relative) parts.push_back(part.string());
    std::string group_kind;
    if (parts.size() == 2) {
      group_kind = parts[0] + "/" + parts[1];
    } else if (parts.size() == 1) {
      group_kind = parts[0];  // a core kind
    } else {
      continue;
    }
    // In folder names `_` stands for `*`, since `*` is awkward in a file name.
    std::replace(group_kind.begin(), group_kind.end(), '_', '*');
    KSTACK_ASSIGN_OR_RETURN(std::string source, ReadText(it->path()));
    checks.Add(std::move(group_kind), std::move(source), true, LuaScriptOrigin::kDirectory);
  }
  if (ec) return InternalError(fmt::format("{}: {}", root.string(), ec.message()));
  return checks;
}

void LuaHealthChecks::Add(std::string group_kind, std::string source, bool open_libs,
                          LuaScriptOrigin origin) {
  auto script = std::make_unique<LuaScript>();
  script->group_kind = group_kind;
  script->source = std::move(source);
  script->open_libs = open_libs;
  script->origin = origin;
  if (!internal::CompileLua(script->source, &script->bytecode, &script->compile_error)) {
    script->bytecode.clear();
  }
  Layer& layer = origin == LuaScriptOrigin::kConfigured ? configured_ : directory_;
  auto& map = internal::IsGlob(group_kind) ? layer.globs : layer.exact;
  map[std::move(group_kind)] = std::move(script);
}

void LuaHealthChecks::Merge(LuaHealthChecks other) {
  for (Layer* layer : {&other.configured_, &other.directory_}) {
    Layer& mine = layer == &other.configured_ ? configured_ : directory_;
    for (auto& [key, script] : layer->exact) mine.exact[key] = std::move(script);
    for (auto& [key, script] : layer->globs) mine.globs[key] = std::move(script);
  }
}

size_t LuaHealthChecks::size() const {
  return configured_.exact.size() + configured_.globs.size() + directory_.exact.size() +
         directory_.globs.size();
}

const LuaScript* LuaHealthChecks::Find(std::string_view group, std::string_view kind) const {
  if (size() == 0) return nullptr;
  std::string key;
  if (!group.empty()) {
    key.reserve(group.size() + 1 + kind.size());
    key += group;
    key += '/';
  }
  key += kind;
  // Configured globs match across `/` (any text); directory globs stay within a path part.
  for (auto [layer, slash_is_separator] :
       {std::pair{&configured_, false}, std::pair{&directory_, true}}) {
    if (auto it = layer->exact.find(key); it != layer->exact.end()) return it->second.get();
    for (const auto& [pattern, script] : layer->globs) {
      if (internal::GlobMatch(pattern, key, slash_is_separator)) return script.get();
    }
  }
  return nullptr;
}

std::optional<HealthStatus> LuaHealthChecks::Run(const LuaScript& script,
                                                 const Json& object) const {
  if (!script.compile_error.empty())
    return HealthStatus{HealthCode::kUnknown, script.compile_error};
  return internal::RunHealthChunk(script.bytecode, script.open_libs, object, limits_);
}

}  // namespace kstack::gitops::health
