// kstack server: the Kubernetes API server (the K3s role).

#include <fmt/core.h>

#include <CLI/CLI.hpp>
#include <cstdio>

#include "cli/commands.h"
#include "cli/shutdown_signals.h"
#include "core/log.h"
#include "server/server.h"

namespace kstack::cli {
namespace {

int RunServer(const server::ServerOptions& options) {
  sigset_t signals = BlockShutdownSignals();
  Result<std::unique_ptr<server::Server>> server = server::Server::Start(options);
  if (!server.ok()) {
    fmt::print(stderr, "error: {}\n", server.status().message());
    return 1;
  }
  fmt::print("kstack server listening on {}\nkubeconfig: {}\n", (*server)->url(),
             (*server)->kubeconfig_path());
  std::fflush(stdout);
  log::Info("received {}, shutting down", WaitForShutdownSignal(signals));
  (*server)->Shutdown();
  (*server)->Wait();
  log::Info("stopped");
  return 0;
}

}  // namespace

void AddServerCommand(CLI::App& app, int* exit_code) {
  auto* cmd = app.add_subcommand("server", "Run the Kubernetes API server");
  auto* options = new server::ServerOptions();
  auto* port = new int(6443);
  cmd->add_option("--data-dir", options->data_dir,
                  "Directory of all state: store, certificates, kubeconfig.yaml")
      ->required();
  cmd->add_option("--port", *port, "Port to listen on (0 picks a free port)")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  cmd->add_option("--bind", options->bind_address, "Address to listen on")->capture_default_str();
  cmd->add_option("--workers", options->worker_threads,
                  "Threads that run request handlers (writes wait on them for durability)")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  cmd->add_option("--nodes", options->simulation.nodes,
                  "Simulated nodes to register (kstack-node-0, ...); a change on restart adds or "
                  "removes nodes")
      ->check(CLI::Range(0, 10000))
      ->capture_default_str();
  auto* delay_ms = new int64_t(options->simulation.delay.count());
  cmd->add_option("--simulation-delay", *delay_ms,
                  "Milliseconds a simulated kubelet takes to start a pod, and that a pod running "
                  "to completion runs (0: at once)")
      ->check(CLI::Range(int64_t{0}, int64_t{3600000}))
      ->capture_default_str();
  cmd->add_option("--service-cidr", options->service_cidr,
                  "IPv4 network Service cluster IPs are allocated from")
      ->capture_default_str();
  cmd->callback([options, port, delay_ms, exit_code] {
    options->port = static_cast<uint16_t>(*port);
    options->simulation.delay = std::chrono::milliseconds(*delay_ms);
    *exit_code = RunServer(*options);
  });
}

}  // namespace kstack::cli
