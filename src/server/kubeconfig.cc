#include "server/kubeconfig.h"

#include <sys/stat.h>

#include "core/base64.h"
#include "core/yaml.h"
#include "server/internal/files.h"
#include "server/internal/openssl_util.h"

namespace kstack::server {

Json KubeconfigJson(const KubeconfigContent& content) {
  JsonObject cluster;
  cluster["certificate-authority-data"] = EncodeBase64(content.ca_cert_pem);
  cluster["server"] = content.server_url;
  JsonObject named_cluster;
  named_cluster["cluster"] = std::move(cluster);
  named_cluster["name"] = content.cluster_name;

  JsonObject user;
  user["client-certificate-data"] = EncodeBase64(content.client_cert_pem);
  user["client-key-data"] = EncodeBase64(content.client_key_pem);
  JsonObject named_user;
  named_user["name"] = content.user_name;
  named_user["user"] = std::move(user);

  JsonObject context;
  context["cluster"] = content.cluster_name;
  context["user"] = content.user_name;
  JsonObject named_context;
  named_context["context"] = std::move(context);
  named_context["name"] = content.cluster_name;

  JsonObject config;
  config["apiVersion"] = "v1";
  config["kind"] = "Config";
  config["clusters"] = JsonArray{std::move(named_cluster)};
  config["contexts"] = JsonArray{std::move(named_context)};
  config["current-context"] = content.cluster_name;
  config["preferences"] = JsonObject();
  config["users"] = JsonArray{std::move(named_user)};
  return config;
}

Status WriteKubeconfig(const std::string& path, const KubeconfigContent& content) {
  std::string text = WriteYaml(KubeconfigJson(content));
  Result<std::string> existing = internal::ReadFileContents(path);
  struct stat st;
  if (existing.ok() && *existing == text && ::stat(path.c_str(), &st) == 0 &&
      (st.st_mode & 07777) == 0600) {
    return Status::Ok();
  }
  return internal::WriteFileAtomically(path, text, 0600);
}

}  // namespace kstack::server
