// kstack controller --kubeconfig FILE [--namespace argocd] [--resync DURATION] [--data-dir DIR]
// [--listen ADDRESS:PORT]:
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
#include "web/http_server.h"
#include "web/webhook.h"

namespace kstack::cli {
namespace {

struct ControllerCommandOptions {
  std::string kubeconfig;
  std::string context;
  std::string namespace_ = "argocd";
  std::string resync;
  std::string data_dir;
  int workers = 4;
  std::string listen;  // "127.0.0.1:8080": the webhook endpoint; empty: none
};

// POST /api/webhook as Argo CD's API server answers it; GET /healthz.
web::HttpResponse Serve(gitops::controller::Controller& controller,
                        const web::HttpRequest& request) {
  std::string path = request.target.substr(0, request.target.find('?'));
  if (path == "/healthz" && request.method == "GET") return {.body = "ok\n"};
  if (path != "/api/webhook") return {.status = 404, .body = "not found\n"};
  if (request.method != "POST") return {.status = 405, .body = "method not allowed\n"};
  Result<std::optional<web::Push>> push = web::ParseWebhook(request.headers, request.body);
  if (!push.ok()) return {.status = 400, .body = push.status().message() + "\n"};
  if (!*push) return {.body = "no push event: nothing to refresh\n"};
  size_t refreshed = controller.RefreshRepository((*push)->repository_urls, (*push)->revisions,
                                                  (*push)->default_branch);
  log::Info("webhook: push to {}: {} application(s) refreshed", (*push)->repository_urls.front(),
            refreshed);
  return {.body = fmt::format("refreshed {} application(s)\n", refreshed)};
}

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
  std::unique_ptr<web::HttpServer> http;
  if (!o.listen.empty()) {
    size_t colon = o.listen.rfind(':');
    int port = -1;
    if (colon != std::string::npos) {
      try {
        port = std::stoi(o.listen.substr(colon + 1));
      } catch (...) {
      }
    }
    if (port < 0 || port > 65535) {
      fmt::print(stderr, "error: --listen {}: expected ADDRESS:PORT\n", o.listen);
      (*controller)->Stop();
      return 1;
    }
    gitops::controller::Controller* c = controller->get();
    Result<std::unique_ptr<web::HttpServer>> started =
        web::HttpServer::Start(o.listen.substr(0, colon), static_cast<uint16_t>(port),
                               [c](const web::HttpRequest& r) { return Serve(*c, r); });
    if (!started.ok()) {
      fmt::print(stderr, "error: --listen: {}\n", started.status().message());
      (*controller)->Stop();
      return 1;
    }
    http = std::move(*started);
    fmt::print("webhook: {}/api/webhook\n", http->url());
  }
  std::fflush(stdout);
  log::Info("received {}, shutting down", WaitForShutdownSignal(signals));
  if (http) http->Stop();
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
  cmd->add_option("--listen", o->listen,
                  "ADDRESS:PORT of the Git webhook endpoint (POST /api/webhook), as Argo CD's; "
                  "port 0 picks a free one");
  cmd->add_option("--workers", o->workers, "Applications reconciled at once")
      ->capture_default_str()
      ->check(CLI::Range(1, 256));
  cmd->callback([o, exit_code] { *exit_code = Run(*o); });
}

}  // namespace kstack::cli
