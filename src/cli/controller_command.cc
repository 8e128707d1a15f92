// kstack controller --kubeconfig FILE [--namespace argocd] [--resync DURATION] [--data-dir DIR]:
// the GitOps controller (the Argo CD role), reconciling the Applications of one namespace of
// the cluster the kubeconfig names, until SIGINT or SIGTERM.

#include <fmt/core.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <filesystem>

#include "cli/commands.h"
#include "cli/shutdown_signals.h"
#include "core/log.h"
#include "gitops/app/duration.h"
#include "gitops/controller/controller.h"
#include "kube/http_client.h"
#include "kube/kubeconfig.h"

namespace kstack::cli {
namespace {

struct ControllerCommandOptions {
  std::string kubeconfig;
  std::string context;
  std::string namespace_ = "argocd";
  std::string resync;
  std::string data_dir;
  int workers = 4;
};

int Run(const ControllerCommandOptions& o) {
  sigset_t signals = BlockShutdownSignals();
  Result<kube::Kubeconfig> config = kube::LoadKubeconfig(o.kubeconfig, {.context = o.context});
  if (!config.ok()) {
    fmt::print(stderr, "error: {}\n", config.status().message());
    return 1;
  }
  gitops::controller::ControllerOptions options{.namespace_ = o.namespace_, .workers = o.workers};
  if (!o.resync.empty()) {
    Result<std::chrono::nanoseconds> resync = gitops::app::ParseDuration(o.resync, "--resync");
    if (!resync.ok()) {
      fmt::print(stderr, "error: {}\n", resync.status().message());
      return 1;
    }
    options.resync = *resync;
  }
  std::string data_dir = o.data_dir;
  if (data_dir.empty()) {
    const char* home = std::getenv("HOME");
    data_dir = std::string(home ? home : ".") + "/.kstack/controller";
  }
  options.repo_cache_dir = data_dir + "/repositories";
  Result<std::unique_ptr<kube::HttpClient>> client =
      kube::HttpClient::Create(config->config, {.user_agent = "kstack-controller"});
  if (!client.ok()) {
    fmt::print(stderr, "error: {}\n", client.status().message());
    return 1;
  }
  Result<std::unique_ptr<gitops::controller::Controller>> controller =
      gitops::controller::Controller::Create(std::move(*client), std::move(options));
  if (!controller.ok()) {
    fmt::print(stderr, "error: {}\n", controller.status().message());
    return 1;
  }
  if (Status started = (*controller)->Start(); !started.ok()) {
    fmt::print(stderr, "error: {}\n", started.message());
    return 1;
  }
  fmt::print("kstack controller reconciling Applications in namespace {} of {}\n", o.namespace_,
             config->config.server);
  std::fflush(stdout);
  log::Info("received {}, shutting down", WaitForShutdownSignal(signals));
  (*controller)->Stop();
  log::Info("stopped");
  return 0;
}

}  // namespace

void AddControllerCommand(CLI::App& app, int* exit_code) {
  auto* o = new ControllerCommandOptions();  // lives as long as the program, as CLI11 needs
  auto* cmd = app.add_subcommand(
      "controller", "Run the GitOps controller: reconcile Argo CD Applications from Git");
  cmd->add_option("--kubeconfig", o->kubeconfig,
                  "The cluster to run against (default: $KUBECONFIG, then ~/.kube/config)");
  cmd->add_option("--context", o->context, "The kubeconfig context (default: its current one)");
  cmd->add_option("-n,--namespace", o->namespace_, "The namespace of the Applications")
      ->capture_default_str();
  cmd->add_option("--resync", o->resync,
                  "How often apps are compared with Git (overrides timeout.reconciliation)");
  cmd->add_option("--data-dir", o->data_dir,
                  "Where Git repositories are cached (default ~/.kstack/controller)");
  cmd->add_option("--workers", o->workers, "Applications reconciled at once")
      ->capture_default_str()
      ->check(CLI::Range(1, 256));
  cmd->callback([o, exit_code] { *exit_code = Run(*o); });
}

}  // namespace kstack::cli
