// kstack version: kstack's version and the Kubernetes API version it serves.

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "cli/commands.h"
#include "core/build_info.h"
#include "core/json.h"

namespace kstack::cli {

void AddVersionCommand(CLI::App& app, int* exit_code) {
  auto* cmd = app.add_subcommand("version", "Print kstack's version and the Kubernetes API version");
  auto* output = new std::string();
  cmd->add_option("-o,--output", *output, "Output format: json")->check(CLI::IsMember({"json"}));
  cmd->callback([output, exit_code] {
    if (*output == "json") {
      JsonObject v;
      v["kstackVersion"] = kVersion;
      v["kubernetesVersion"] = kKubernetesVersion;
      fmt::print("{}\n", WriteJson(v, {.indent = 2}));
    } else {
      fmt::print("kstack version: v{}\nKubernetes API version: {}\n", kVersion, kKubernetesVersion);
    }
    *exit_code = 0;
  });
}

}  // namespace kstack::cli
