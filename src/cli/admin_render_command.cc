// kstack admin render DIR: the objects a directory source declares, rendered as Argo CD renders
// them (plain manifests and Jsonnet), printed in order as YAML documents or as one v1 List.

#include <fmt/core.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>

#include "cli/commands.h"
#include "core/json.h"
#include "core/yaml.h"
#include "render/directory.h"
#include "render/disk_tree.h"

namespace kstack::cli {
namespace {

namespace fs = std::filesystem;

struct RenderOptions {
  std::string dir;
  std::string repo_root;  // empty: `dir` itself
  std::string output = "yaml";
  render::DirectoryOptions directory;
  std::vector<std::string> tla_str, tla_code, ext_str, ext_code, env;
};

// "name=value" pairs of the repeated flags.
Status SplitPairs(std::string_view flag, const std::vector<std::string>& pairs, bool code,
                  std::vector<render::JsonnetVar>* out) {
  for (const std::string& pair : pairs) {
    size_t eq = pair.find('=');
    if (eq == std::string::npos || eq == 0) {
      return BadRequestError(fmt::format("{}: \"{}\" is not NAME=VALUE", flag, pair));
    }
    out->push_back({.name = pair.substr(0, eq), .value = pair.substr(eq + 1), .code = code});
  }
  return Status::Ok();
}

Result<std::vector<render::RenderedObject>> Render(RenderOptions& o) {
  render::DirectoryOptions& d = o.directory;
  KSTACK_RETURN_IF_ERROR(SplitPairs("--jsonnet-tla-str", o.tla_str, false, &d.jsonnet.tlas));
  KSTACK_RETURN_IF_ERROR(SplitPairs("--jsonnet-tla-code", o.tla_code, true, &d.jsonnet.tlas));
  KSTACK_RETURN_IF_ERROR(
      SplitPairs("--jsonnet-ext-var-str", o.ext_str, false, &d.jsonnet.ext_vars));
  KSTACK_RETURN_IF_ERROR(
      SplitPairs("--jsonnet-ext-var-code", o.ext_code, true, &d.jsonnet.ext_vars));
  std::vector<render::JsonnetVar> env;
  KSTACK_RETURN_IF_ERROR(SplitPairs("--env", o.env, false, &env));
  for (render::JsonnetVar& v : env) d.env[v.name] = v.value;

  KSTACK_ASSIGN_OR_RETURN(std::unique_ptr<render::DiskTree> tree,
                          render::DiskTree::Open(o.repo_root.empty() ? o.dir : o.repo_root));
  std::error_code ec;
  fs::path app = fs::canonical(o.dir, ec);
  if (ec) return NotFoundError(fmt::format("{}: {}", o.dir, ec.message()));
  fs::path rel = app.lexically_relative(tree->root());
  if (rel.empty() || *rel.begin() == "..") {
    return BadRequestError(fmt::format("{} is not inside --repo-root {}", o.dir, o.repo_root));
  }
  return render::RenderDirectory(*tree, rel.generic_string(), d);
}

int Run(RenderOptions& o) {
  Result<std::vector<render::RenderedObject>> objects = Render(o);
  if (!objects.ok()) {
    fmt::print(stderr, "error: {}\n", objects.status().message());
    return 1;
  }
  std::string out;
  if (o.output == "json") {
    JsonArray items;
    items.reserve(objects->size());
    for (render::RenderedObject& r : *objects) items.push_back(std::move(r.object));
    JsonObject list;
    list["apiVersion"] = "v1";
    list["kind"] = "List";
    list["items"] = std::move(items);
    out = WriteJson(list, {.indent = 4, .sort_keys = true});
    out += '\n';
  } else {
    std::vector<Json> docs;
    docs.reserve(objects->size());
    for (render::RenderedObject& r : *objects) docs.push_back(std::move(r.object));
    out = WriteYamlStream(docs);
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}

}  // namespace

void AddAdminRenderCommand(CLI::App& admin, int* exit_code) {
  auto* cmd = admin.add_subcommand(
      "render",
      "Render a directory source (manifests and Jsonnet) as Argo CD does and print "
      "the objects in order");
  auto* o = new RenderOptions();
  cmd->add_option("DIR", o->dir, "The application's directory")->required();
  cmd->add_flag("--recurse", o->directory.recurse, "Read subdirectories too");
  cmd->add_option("--include", o->directory.include,
                  "Glob of the files to read, relative to DIR (e.g. '{*.yml,*.yaml}')");
  cmd->add_option("--exclude", o->directory.exclude, "Glob of the files to leave out");
  cmd->add_option("--repo-root", o->repo_root,
                  "The repository's root, which holds DIR: Jsonnet library paths are relative "
                  "to it and nothing outside it is read (default: DIR)");
  cmd->add_option("--jsonnet-tla-str", o->tla_str, "A top-level argument NAME=VALUE (string)");
  cmd->add_option("--jsonnet-tla-code", o->tla_code, "A top-level argument NAME=CODE");
  cmd->add_option("--jsonnet-ext-var-str", o->ext_str, "An external variable NAME=VALUE");
  cmd->add_option("--jsonnet-ext-var-code", o->ext_code, "An external variable NAME=CODE");
  cmd->add_option("--jsonnet-libs", o->directory.jsonnet.libs,
                  "A Jsonnet library path, relative to the repository's root");
  cmd->add_option("--env", o->env,
                  "A build environment variable NAME=VALUE, substituted into Jsonnet values");
  cmd->add_option("-o,--output", o->output, "Output format: yaml or json")
      ->check(CLI::IsMember({"yaml", "json"}))
      ->capture_default_str();
  cmd->callback([o, exit_code] { *exit_code = Run(*o); });
}

}  // namespace kstack::cli
