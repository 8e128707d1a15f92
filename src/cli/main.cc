#include <CLI/CLI.hpp>

#include <cstdio>

#include "cli/commands.h"
#include "core/build_info.h"

int main(int argc, char** argv) {
  CLI::App app{"kstack: a GitOps stack in one program (cluster, provisioning, continuous delivery)",
               "kstack"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("kstack ") + kstack::kVersion);
  int exit_code = 0;
  kstack::cli::AddVersionCommand(app, &exit_code);
  kstack::cli::AddManifestsCommand(app, &exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return exit_code;
}
