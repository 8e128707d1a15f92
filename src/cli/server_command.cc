// kstack server: the Kubernetes API server (the K3s role).

#include <fmt/core.h>
#include <pthread.h>
#include <signal.h>

#include <CLI/CLI.hpp>
#include <cstdio>

#include "cli/commands.h"
#include "core/log.h"
#include "server/server.h"

namespace kstack::cli {
namespace {

// Blocks SIGINT and SIGTERM in this thread before any other thread starts, so every thread
// inherits the mask and the signals wait for sigwait() here instead of killing the process.
sigset_t BlockShutdownSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  return set;
}

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
  int signal = 0;
  sigwait(&signals, &signal);
  log::Info("received {}, shutting down", signal == SIGINT ? "SIGINT" : "SIGTERM");
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
  cmd->add_option("--service-cidr", options->service_cidr,
                  "IPv4 network Service cluster IPs are allocated from")
      ->capture_default_str();
  cmd->callback([options, port, exit_code] {
    options->port = static_cast<uint16_t>(*port);
    *exit_code = RunServer(*options);
  });
}

}  // namespace kstack::cli
