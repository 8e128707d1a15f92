#pragma once

// What a client needs to reach one Kubernetes API server: its URL, how to trust it and how to
// authenticate to it. Built from a kubeconfig (kubeconfig.h) or from explicit fields, as an
// Argo CD cluster Secret holds them (cluster_secret.h). A plain value; copy it freely.

#include <string>

namespace kstack::kube {

struct RestConfig {
  // "https://127.0.0.1:6443" or "http://host:port"; a path after the authority is a prefix of
  // every request path.
  std::string server;
  // PEM of the certificate authorities that sign the server's certificate; empty uses the
  // system's trust store.
  std::string ca_pem;
  // PEM of the client certificate and its key (both or neither).
  std::string client_cert_pem;
  std::string client_key_pem;
  // Sent as "Authorization: Bearer <token>" when not empty.
  std::string bearer_token;
  // Basic authentication, when set (kubeconfig `username`/`password`).
  std::string username;
  std::string password;
  // Accepts any server certificate (kubeconfig `insecure-skip-tls-verify`).
  bool insecure_skip_tls_verify = false;
  // The name checked against the server's certificate instead of the URL's host
  // (kubeconfig `tls-server-name`).
  std::string tls_server_name;
};

}  // namespace kstack::kube
