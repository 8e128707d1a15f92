// kstack admin crds [--namespace argocd]: prints what the controller installs in its cluster
// (the Application and AppProject CRDs and the default AppProject) as one YAML stream, so that
// a cluster can be prepared by hand: `kstack admin crds | kubectl apply -f -`.

#include <fmt/core.h>

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "core/yaml.h"
#include "gitops/app/crds.h"

namespace kstack::cli {

void AddAdminCrdsCommand(CLI::App& admin, int* exit_code) {
  auto* ns = new std::string("argocd");  // lives as long as the program, as CLI11 needs
  auto* cmd = admin.add_subcommand(
      "crds", "Print the Application and AppProject CRDs and the default AppProject");
  cmd->add_option("-n,--namespace", *ns, "Namespace of the default AppProject")
      ->capture_default_str();
  cmd->callback([ns, exit_code] {
    std::vector<Json> objects = gitops::app::ArgoCdCrds();
    objects.push_back(gitops::app::DefaultAppProject(*ns));
    std::string out;
    for (const Json& object : objects) {
      out += "---\n" + WriteYaml(object);
    }
    fmt::print("{}", out);
    *exit_code = 0;
  });
}

}  // namespace kstack::cli
