#include <CLI/CLI.hpp>

#include <fmt/core.h>

#include <cstdio>

#include "cli/commands.h"
#include "core/allocator.h"
#include "core/build_info.h"

int main(int argc, char** argv) {
  kstack::TuneAllocatorForLargeTrees();
  CLI::App app{"kstack: a GitOps stack in one program (cluster, provisioning, continuous delivery)",
               "kstack"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("kstack ") + kstack::kVersion);
  int exit_code = 0;
  kstack::cli::AddVersionCommand(app, &exit_code);
  kstack::cli::AddManifestsCommand(app, &exit_code);
  kstack::cli::AddServerCommand(app, &exit_code);
  CLI::App* admin = app.add_subcommand(
      "admin", "Debug commands that print what the GitOps engine computes");
  admin->require_subcommand(1);
  kstack::cli::AddAdminGitCommand(*admin, &exit_code);
  kstack::cli::AddAdminRenderCommand(*admin, &exit_code);
  kstack::cli::AddAdminPlanCommand(*admin, &exit_code);
  kstack::cli::AddAdminHealthCommand(*admin, &exit_code);
  kstack::cli::AddAdminDiffCommand(*admin, &exit_code);
  kstack::cli::AddAdminCrdsCommand(*admin, &exit_code);
  auto known = [&app](const char* name) {
    for (const CLI::App* sub : app.get_subcommands({})) {
      if (sub->check_name(name)) return true;
    }
    return false;
  };
  if (argc > 1 && argv[1][0] != '-' && !known(argv[1])) {
    fmt::print(stderr, "error: unknown command \"{}\" for \"kstack\"\nRun 'kstack --help' for usage.\n",
               argv[1]);
    return 1;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return exit_code;
}
