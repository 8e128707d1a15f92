// kstack admin health -f OBJECT.yaml [--lua-dir DIR] [--argocd-cm FILE]: prints the health of
// each object of a manifest file as the GitOps controller assesses it, for people and tests.
//
// Output, per object (a blank line between objects):
//   object:  apps/Deployment shop/web      (only when the file holds several objects)
//   status:  Progressing                   ("none" when the kind has no health check)
//   message: Waiting for rollout to finish: 1 out of 3 new replicas have been updated...
// or, with -o json, an array of {"object", "status", "message"} (status null for none).
// Exit code 0 when every object was assessed (whatever its health), 1 on a bad file or
// configuration.

#include <fmt/core.h>

#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/commands.h"
#include "core/json.h"
#include "core/manifests.h"
#include "core/yaml.h"
#include "gitops/health/assess.h"
#include "gitops/health/lua_checks.h"

namespace kstack::cli {
namespace {

namespace health = gitops::health;

struct AdminHealthOptions {
  std::string file;
  std::string lua_dir;
  std::string argocd_cm;
  std::string output = "text";
  bool no_applications = false;
};

bool ReadText(const std::string& path, std::string* text) {
  if (path == "-") {
    std::ostringstream ss;
    ss << std::cin.rdbuf();
    *text = ss.str();
    return true;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  *text = ss.str();
  return true;
}

// "apps/Deployment shop/web", "ConfigMap settings".
std::string Describe(const Json& object) {
  std::string_view api_version = FindString(object, "apiVersion");
  size_t slash = api_version.find('/');
  std::string out;
  if (slash != std::string_view::npos) {
    out += api_version.substr(0, slash);
    out += '/';
  }
  out += FindString(object, "kind");
  const Json* metadata = FindMember(object, "metadata");
  std::string_view ns = metadata ? FindString(*metadata, "namespace") : "";
  std::string_view name = metadata ? FindString(*metadata, "name") : "";
  out += ' ';
  if (!ns.empty()) {
    out += ns;
    out += '/';
  }
  out += name;
  return out;
}

int Run(const AdminHealthOptions& o) {
  health::LuaHealthChecks lua;
  if (!o.argocd_cm.empty()) {
    std::string text;
    if (!ReadText(o.argocd_cm, &text)) {
      fmt::print(stderr, "error: {}: cannot read the file\n", o.argocd_cm);
      return 1;
    }
    Result<Json> config = ParseYaml(text, o.argocd_cm);
    if (!config.ok()) {
      fmt::print(stderr, "error: {}\n", config.status().message());
      return 1;
    }
    Result<health::LuaHealthChecks> configured = health::LuaHealthChecks::FromConfigMap(*config);
    if (!configured.ok()) {
      fmt::print(stderr, "error: {}: {}\n", o.argocd_cm, configured.status().message());
      return 1;
    }
    lua.Merge(std::move(*configured));
  }
  if (!o.lua_dir.empty()) {
    Result<health::LuaHealthChecks> bundled = health::LuaHealthChecks::FromDirectory(o.lua_dir);
    if (!bundled.ok()) {
      fmt::print(stderr, "error: {}\n", bundled.status().message());
      return 1;
    }
    lua.Merge(std::move(*bundled));
  }

  std::string text;
  if (!ReadText(o.file, &text)) {
    fmt::print(stderr, "error: {}: cannot read the file\n", o.file);
    return 1;
  }
  Result<std::vector<Json>> objects = ReadManifests(text, o.file == "-" ? "<stdin>" : o.file);
  if (!objects.ok()) {
    fmt::print(stderr, "error: {}\n", objects.status().message());
    return 1;
  }
  if (objects->empty()) {
    fmt::print(stderr, "error: {}: no objects\n", o.file);
    return 1;
  }

  health::AssessOptions options{.lua = &lua, .applications = !o.no_applications};
  std::string out;
  JsonArray results;
  for (const Json& object : *objects) {
    std::optional<health::HealthStatus> got = health::Assess(object, options);
    if (o.output == "json") {
      JsonObject result;
      result["object"] = Describe(object);
      if (got) {
        result["status"] = health::HealthCodeName(got->status);
      } else {
        result["status"] = nullptr;
      }
      result["message"] = got ? got->message : "";
      results.emplace_back(std::move(result));
      continue;
    }
    if (!out.empty()) out += '\n';
    if (objects->size() > 1) out += fmt::format("object:  {}\n", Describe(object));
    out += fmt::format("status:  {}\n", got ? health::HealthCodeName(got->status) : "none");
    std::string message = got ? got->message : "no health check for this kind";
    out += message.empty() ? "message:\n" : fmt::format("message: {}\n", message);
  }
  if (o.output == "json") {
    out = WriteJson(results, {.indent = 4});
    out += '\n';
  }
  fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}

}  // namespace

void AddAdminHealthCommand(CLI::App& admin, int* exit_code) {
  auto* cmd = admin.add_subcommand(
      "health", "Print the health of each object of a manifest file, as the controller sees it");
  auto* o = new AdminHealthOptions();
  cmd->add_option("-f,--filename", o->file, "A YAML or JSON manifest file; - reads stdin")
      ->required();
  cmd->add_option("--lua-dir", o->lua_dir,
                  "A directory of Lua health checks laid out <group>/<Kind>/health.lua "
                  "(`_` in a folder name matches anything)");
  cmd->add_option("--argocd-cm", o->argocd_cm,
                  "An argocd-cm ConfigMap whose resource.customizations hold Lua health checks");
  cmd->add_option("-o,--output", o->output, "Output format: text or json")
      ->check(CLI::IsMember({"text", "json"}));
  cmd->add_flag("--no-applications", o->no_applications,
                "Give argoproj.io Applications no health, as Argo CD does by default");
  cmd->callback([o, exit_code] { *exit_code = Run(*o); });
}

}  // namespace kstack::cli
