#include "server/server.h"

#include <fmt/format.h>

#include <atomic>
#include <boost/asio/ip/address.hpp>

#include "core/log.h"
#include "server/certificates.h"
#include "server/custom_resources.h"
#include "server/endpoints_controller.h"
#include "server/garbage_collector.h"
#include "server/service_allocator.h"
#include "server/namespace_lifecycle.h"
#include "server/internal/api_handler.h"
#include "server/internal/https_listener.h"
#include "server/internal/routes.h"
#include "server/kubeconfig.h"
#include "server/object_registry.h"
#include "server/workloads/workloads.h"
#include "store/open_store.h"

namespace kstack::server {
namespace {

// The host part of the URL clients dial: a wildcard address is not dialable, so loopback.
std::string DialHost(const std::string& bind_address) {
  boost::system::error_code ec;
  auto ip = boost::asio::ip::make_address(bind_address, ec);
  if (ec) return bind_address;
  if (ip.is_unspecified()) return ip.is_v6() ? "[::1]" : "127.0.0.1";
  return ip.is_v6() ? "[" + bind_address + "]" : bind_address;
}

// The namespaces every Kubernetes cluster has.
Status CreateSystemNamespaces(ObjectRegistry& registry) {
  const auto* namespaces = machinery::FindBuiltinResource("", "v1", "namespaces");
  for (std::string_view name : {"default", "kube-system", "kube-public", "kube-node-lease"}) {
    Json ns = JsonObject{{"metadata", JsonObject{{"name", name}}}};
    Result<Json> created = registry.Create(*namespaces, "", std::move(ns));
    if (!created.ok() && created.status().reason() != Reason::kAlreadyExists) {
      return created.status();
    }
  }
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<Server>> Server::Start(const ServerOptions& options) {
  if (options.data_dir.empty()) return InvalidError("server: --data-dir is required");
  if (options.bind_address.empty()) return InvalidError("server: --bind must not be empty");
  std::unique_ptr<Server> server(new Server());

  // The store first: its lock on the data directory keeps a second server away from the
  // certificates and kubeconfig as well.
  KSTACK_ASSIGN_OR_RETURN(server->store_, store::OpenStore({.backend = "sqlite",
                                                            .data_dir = options.data_dir + "/store",
                                                            .clock = options.clock}));

  KSTACK_ASSIGN_OR_RETURN(
      ClusterCertificates certs,
      LoadOrCreateCertificates({.dir = options.data_dir + "/pki",
                                .serving_hosts = ServingHosts(options.bind_address),
                                .clock = options.clock}));

  const Clock* clock = options.clock != nullptr ? options.clock : &SystemClock();
  server->registry_ = std::make_unique<ObjectRegistry>(server->store_.get(), clock);
  server->catalog_ = std::make_unique<TypeCatalog>();
  server->custom_resources_ =
      std::make_unique<CustomResources>(server->catalog_.get(), server->registry_.get(), clock);
  server->namespaces_ = std::make_unique<NamespaceLifecycle>(
      server->registry_.get(), server->catalog_.get(), certs.ca.cert);
  server->admission_ = std::make_unique<AdmissionChain>();
  server->admission_->Add(server->custom_resources_.get());
  server->admission_->Add(server->namespaces_.get());
  server->workloads_ = std::make_unique<workloads::Workloads>(server->registry_.get(), clock,
                                                              options.simulation);
  server->admission_->Add(server->workloads_.get());
  server->gc_ = std::make_unique<GarbageCollector>(server->registry_.get(), server->catalog_.get());
  server->admission_->Add(server->gc_.get());
  KSTACK_ASSIGN_OR_RETURN(ServiceCidr cidr, ServiceCidr::Parse(options.service_cidr));
  server->services_ = std::make_unique<ServiceAllocator>(server->registry_.get(), cidr);
  server->admission_->Add(server->services_.get());
  server->endpoints_ = std::make_unique<EndpointsController>(server->registry_.get());
  server->admission_->Add(server->endpoints_.get());
  server->registry_->SetAdmission(server->admission_.get());
  KSTACK_RETURN_IF_ERROR(server->custom_resources_->Load());
  KSTACK_RETURN_IF_ERROR(CreateSystemNamespaces(*server->registry_));
  KSTACK_RETURN_IF_ERROR(server->namespaces_->Start());
  KSTACK_RETURN_IF_ERROR(server->workloads_->Start());
  KSTACK_RETURN_IF_ERROR(server->gc_->Start());
  KSTACK_RETURN_IF_ERROR(server->services_->Start());
  KSTACK_RETURN_IF_ERROR(server->endpoints_->Start());
  // The handler is created once the port is known (discovery names the address); until then
  // the listener is not started.
  auto api = std::make_shared<std::atomic<internal::ApiHandler*>>(nullptr);

  KSTACK_ASSIGN_OR_RETURN(server->listener_, internal::HttpsListener::Start(
                                                 {.address = options.bind_address,
                                                  .port = options.port,
                                                  .tls = {.cert_pem = certs.serving.cert,
                                                          .key_pem = certs.serving.key,
                                                          .client_ca_pem = certs.ca.cert},
                                                  .worker_threads = options.worker_threads,
                                                  .shutdown_grace = options.shutdown_grace,
                                                  .handler = [api](const internal::Request& r) {
                                                    internal::ApiHandler* h = api->load();
                                                    return h ? h->Handle(r) : internal::Route(r);
                                                  }}));
  server->port_ = server->listener_->port();
  std::string host = DialHost(options.bind_address);
  server->url_ = fmt::format("https://{}:{}", host, server->port_);
  server->api_ = std::make_unique<internal::ApiHandler>(server->registry_.get(),
                                                        server->catalog_.get(), clock,
                                                        fmt::format("{}:{}", host, server->port_));
  api->store(server->api_.get());
  KSTACK_RETURN_IF_ERROR(server->services_->EnsureKubernetesService(
      host.starts_with("[") ? "" : host, server->port_));

  server->kubeconfig_path_ = options.data_dir + "/kubeconfig.yaml";
  Status written = WriteKubeconfig(server->kubeconfig_path_, {.cluster_name = options.cluster_name,
                                                              .server_url = server->url_,
                                                              .ca_cert_pem = certs.ca.cert,
                                                              .user_name = std::string(kAdminUser),
                                                              .client_cert_pem = certs.admin.cert,
                                                              .client_key_pem = certs.admin.key});
  if (!written.ok()) return written;  // the destructor stops the listener
  log::Info("serving on {}", server->url_);
  return server;
}

Server::~Server() {
  Shutdown();
  Wait();
}

void Server::Shutdown() {
  if (listener_) listener_->Shutdown();
}

void Server::Wait() {
  if (listener_) listener_->Wait();
  listener_.reset();
  api_.reset();
  if (namespaces_) namespaces_->Stop();
  if (workloads_) workloads_->Stop();
  if (gc_) gc_->Stop();
  if (endpoints_) endpoints_->Stop();
  registry_.reset();
  admission_.reset();
  namespaces_.reset();
  workloads_.reset();
  gc_.reset();
  endpoints_.reset();
  services_.reset();
  custom_resources_.reset();
  catalog_.reset();
  store_.reset();
}

}  // namespace kstack::server
