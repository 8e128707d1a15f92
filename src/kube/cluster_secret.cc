#include "kube/cluster_secret.h"

#include <optional>
#include <string>

#include "core/base64.h"

namespace kstack::kube {
namespace {

Result<std::string> String(const Json* object, std::string_view key, const std::string& at) {
  const Json* value = object ? FindMember(*object, key) : nullptr;
  if (value == nullptr || value->is_null()) return std::string();
  if (!value->is_string()) return InvalidError(at + std::string(key) + ": must be a string");
  return std::string(value->as_string());
}

Result<std::string> Bytes(const Json* object, std::string_view key, const std::string& at) {
  KSTACK_ASSIGN_OR_RETURN(std::string text, String(object, key, at));
  if (text.empty()) return text;
  std::optional<std::string> bytes = DecodeBase64(text);
  if (!bytes) return InvalidError(at + std::string(key) + ": not base64");
  return *bytes;
}

}  // namespace

Result<RestConfig> RestConfigFromClusterFields(std::string_view server, const Json& config) {
  if (server.empty()) return InvalidError("server: required");
  if (!config.is_null() && !config.is_object()) return InvalidError("config: must be an object");
  RestConfig out;
  out.server = std::string(server);
  const Json* c = config.is_object() ? &config : nullptr;
  KSTACK_ASSIGN_OR_RETURN(out.bearer_token, String(c, "bearerToken", "config."));
  KSTACK_ASSIGN_OR_RETURN(out.username, String(c, "username", "config."));
  KSTACK_ASSIGN_OR_RETURN(out.password, String(c, "password", "config."));
  const Json* tls = c ? FindMember(*c, "tlsClientConfig") : nullptr;
  if (tls != nullptr && !tls->is_null()) {
    const std::string at = "config.tlsClientConfig.";
    if (!tls->is_object()) return InvalidError("config.tlsClientConfig: must be an object");
    KSTACK_ASSIGN_OR_RETURN(out.ca_pem, Bytes(tls, "caData", at));
    KSTACK_ASSIGN_OR_RETURN(out.client_cert_pem, Bytes(tls, "certData", at));
    KSTACK_ASSIGN_OR_RETURN(out.client_key_pem, Bytes(tls, "keyData", at));
    KSTACK_ASSIGN_OR_RETURN(out.tls_server_name, String(tls, "serverName", at));
    if (const Json* insecure = FindMember(*tls, "insecure"); insecure && !insecure->is_null()) {
      if (!insecure->is_bool()) return InvalidError(at + "insecure: must be a boolean");
      out.insecure_skip_tls_verify = insecure->as_bool();
    }
    if (out.client_cert_pem.empty() != out.client_key_pem.empty()) {
      return InvalidError(at + (out.client_cert_pem.empty() ? "certData: required with keyData"
                                                            : "keyData: required with certData"));
    }
  }
  return out;
}

Result<RestConfig> RestConfigFromClusterSecret(const Json& secret) {
  const Json* metadata = FindMember(secret, "metadata");
  std::string name = "Secret \"" + std::string(metadata ? FindString(*metadata, "namespace") : "") +
                     "/" + std::string(metadata ? FindString(*metadata, "name") : "") + "\"";
  auto field = [&](std::string_view key) -> Result<std::string> {
    if (const JsonObject* clear = FindObject(secret, "stringData")) {
      if (auto it = clear->find(key); it != clear->end() && it->value().is_string()) {
        return std::string(it->value().as_string());
      }
    }
    if (const JsonObject* data = FindObject(secret, "data")) {
      if (auto it = data->find(key); it != data->end() && it->value().is_string()) {
        std::optional<std::string> bytes = DecodeBase64(it->value().as_string());
        if (!bytes) return InvalidError(name + ": data." + std::string(key) + ": not base64");
        return *bytes;
      }
    }
    return std::string();
  };
  KSTACK_ASSIGN_OR_RETURN(std::string server, field("server"));
  KSTACK_ASSIGN_OR_RETURN(std::string config_text, field("config"));
  Json config;
  if (!config_text.empty()) {
    Result<Json> parsed = ParseJson(config_text, "config");
    if (!parsed.ok()) return InvalidError(name + ": " + parsed.status().message());
    config = std::move(*parsed);
  }
  Result<RestConfig> out = RestConfigFromClusterFields(server, config);
  if (!out.ok()) return out.status().WithContext(name);
  return out;
}

}  // namespace kstack::kube
