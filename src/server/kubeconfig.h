#pragma once

// The admin kubeconfig the server writes into its data directory, so that kubectl and any
// client library reach the server with `--kubeconfig DIR/kubeconfig.yaml` and nothing else.

#include <string>

#include "core/json.h"
#include "core/result.h"

namespace kstack::server {

struct KubeconfigContent {
  // Names the cluster and the context (current-context).
  std::string cluster_name;
  // "https://127.0.0.1:6443".
  std::string server_url;
  std::string ca_cert_pem;
  std::string user_name;
  std::string client_cert_pem;
  std::string client_key_pem;
};

// The kubeconfig document (apiVersion v1, kind Config): one cluster, one user and one context
// named after the cluster, with the PEM data embedded in base64 (*-data fields).
Json KubeconfigJson(const KubeconfigContent& content);

// Writes KubeconfigJson(content) as YAML to `path` with mode 0600 (it holds the admin key),
// atomically. When the file already holds exactly that text it is left untouched, so a restart
// with the same address does not change it. Errors: kInternal naming the path.
Status WriteKubeconfig(const std::string& path, const KubeconfigContent& content);

}  // namespace kstack::server
