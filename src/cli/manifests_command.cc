// kstack manifests -f FILE...: reads Kubernetes manifest files exactly as kubectl reads them
// and prints the objects as YAML (kubectl's layout) or JSON.

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include <fstream>
#include <sstream>

#include "cli/commands.h"
#include "core/json.h"
#include "core/manifests.h"
#include "core/yaml.h"

namespace kstack::cli {
namespace {

struct ManifestsOptions {
  std::vector<std::string> files;
  std::string output = "yaml";
};

int Run(const ManifestsOptions& o) {
  std::vector<Json> objects;
  for (const std::string& path : o.files) {
    std::string text;
    if (path == "-") {
      std::ostringstream ss;
      ss << std::cin.rdbuf();
      text = ss.str();
    } else {
      std::ifstream in(path, std::ios::binary);
      if (!in) {
        fmt::print(stderr, "error: {}: cannot read the file\n", path);
        return 1;
      }
      std::ostringstream ss;
      ss << in.rdbuf();
      text = ss.str();
    }
    auto docs = ReadManifests(text, path == "-" ? "<stdin>" : path);
    if (!docs.ok()) {
      fmt::print(stderr, "error: {}\n", docs.status().message());
      return 1;
    }
    for (Json& d : *docs) objects.push_back(std::move(d));
  }
  std::string out;
  if (o.output == "json") {
    for (const Json& obj : objects) {
      out += WriteJson(obj, {.indent = 4, .sort_keys = true});
      out += '\n';
    }
  } else {
    out = WriteYamlStream(objects);
  }
  fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}

}  // namespace

void AddManifestsCommand(CLI::App& app, int* exit_code) {
  auto* cmd = app.add_subcommand(
      "manifests", "Read Kubernetes manifest files as kubectl does and print the objects");
  auto* o = new ManifestsOptions();
  cmd->add_option("-f,--filename", o->files, "A YAML or JSON manifest file; - reads stdin")
      ->required();
  cmd->add_option("-o,--output", o->output, "Output format: yaml or json")
      ->check(CLI::IsMember({"yaml", "json"}));
  cmd->callback([o, exit_code] { *exit_code = Run(*o); });
}

}  // namespace kstack::cli
