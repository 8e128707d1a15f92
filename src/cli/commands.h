#pragma once

// Each subcommand lives in its own file and adds itself to the application here. A command's
// callback stores its exit code in `*exit_code`; errors are printed to stderr by the command.

namespace CLI {
class App;
}

namespace kstack::cli {

void AddVersionCommand(CLI::App& app, int* exit_code);
void AddManifestsCommand(CLI::App& app, int* exit_code);
void AddServerCommand(CLI::App& app, int* exit_code);

// `kstack admin ...`: debug commands that print what the engine's functions compute.
void AddAdminGitCommand(CLI::App& admin, int* exit_code);
void AddAdminRenderCommand(CLI::App& admin, int* exit_code);
void AddAdminPlanCommand(CLI::App& admin, int* exit_code);
void AddAdminHealthCommand(CLI::App& admin, int* exit_code);
void AddAdminDiffCommand(CLI::App& admin, int* exit_code);
void AddAdminCrdsCommand(CLI::App& admin, int* exit_code);

}  // namespace kstack::cli
