#include "kube/kubeconfig.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <list>
#include <map>
#include <sstream>
#include <vector>

#include "core/base64.h"
#include "core/yaml.h"

namespace kstack::kube {
namespace {

namespace fs = std::filesystem;

// One named entry of clusters/users/contexts, with the file it came from.
struct Entry {
  const Json* body = nullptr;  // the "cluster", "user" or "context" member
  std::string source;          // the file, for errors
  std::string base_dir;        // resolves relative paths
};

// The entries of every file read, merged: the first file naming an entry wins.
struct Merged {
  std::list<Json> documents;  // owns what the entries point into (a list: never moves)
  std::map<std::string, Entry> clusters, users, contexts;
  std::string current_context;
  std::string current_source;
};

Result<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFoundError(path + ": cannot read the file");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string Resolve(const std::string& base_dir, std::string_view path) {
  fs::path p(path);
  if (p.is_absolute() || base_dir.empty()) return p.string();
  return (fs::path(base_dir) / p).lexically_normal().string();
}

std::string Trim(std::string s) {
  size_t end = s.find_last_not_of(" \t\r\n");
  s.erase(end == std::string::npos ? 0 : end + 1);
  size_t begin = s.find_first_not_of(" \t\r\n");
  return begin == std::string::npos ? "" : s.substr(begin);
}

Status AddEntries(const Json& document, std::string_view list, std::string_view member,
                  const std::string& source, const std::string& base_dir,
                  std::map<std::string, Entry>* into) {
  const Json* value = FindMember(document, list);
  if (value == nullptr || value->is_null()) return Status::Ok();
  if (!value->is_array()) {
    return InvalidError(source + ": " + std::string(list) + ": must be a list");
  }
  size_t index = 0;
  for (const Json& item : value->as_array()) {
    std::string at = source + ": " + std::string(list) + "[" + std::to_string(index++) + "]";
    std::string_view name = FindString(item, "name");
    if (name.empty()) return InvalidError(at + ".name: required");
    const Json* body = FindMember(item, member);
    if (body != nullptr && !body->is_object() && !body->is_null()) {
      return InvalidError(at + "." + std::string(member) + ": must be an object");
    }
    into->emplace(std::string(name), Entry{body, source, base_dir});
  }
  return Status::Ok();
}

Status AddDocument(Json document, const std::string& source, const std::string& base_dir,
                   Merged* merged) {
  if (document.is_null()) document = JsonObject();
  if (!document.is_object()) return InvalidError(source + ": not a kubeconfig (not a mapping)");
  std::string_view kind = FindString(document, "kind");
  if (!kind.empty() && kind != "Config") {
    return InvalidError(source + ": kind: must be Config, not " + std::string(kind));
  }
  merged->documents.push_back(std::move(document));
  const Json& doc = merged->documents.back();
  KSTACK_RETURN_IF_ERROR(
      AddEntries(doc, "clusters", "cluster", source, base_dir, &merged->clusters));
  KSTACK_RETURN_IF_ERROR(AddEntries(doc, "users", "user", source, base_dir, &merged->users));
  KSTACK_RETURN_IF_ERROR(
      AddEntries(doc, "contexts", "context", source, base_dir, &merged->contexts));
  std::string_view current = FindString(doc, "current-context");
  if (merged->current_context.empty() && !current.empty()) {
    merged->current_context = std::string(current);
    merged->current_source = source;
  }
  return Status::Ok();
}

Result<bool> BoolField(const Json* body, std::string_view key, const std::string& at) {
  const Json* value = body ? FindMember(*body, key) : nullptr;
  if (value == nullptr || value->is_null()) return false;
  if (!value->is_bool()) return InvalidError(at + "." + std::string(key) + ": must be a boolean");
  return value->as_bool();
}

Result<std::string> StringField(const Json* body, std::string_view key, const std::string& at) {
  const Json* value = body ? FindMember(*body, key) : nullptr;
  if (value == nullptr || value->is_null()) return std::string();
  if (!value->is_string()) return InvalidError(at + "." + std::string(key) + ": must be a string");
  return std::string(value->as_string());
}

// The PEM of `<key>-data` (base64) or else of the file `<key>`; "" when neither is set.
Result<std::string> PemField(const Entry& entry, std::string_view key, const std::string& at) {
  std::string data_key = std::string(key) + "-data";
  KSTACK_ASSIGN_OR_RETURN(std::string data, StringField(entry.body, data_key, at));
  if (!data.empty()) {
    std::optional<std::string> pem = DecodeBase64(data);
    if (!pem) return InvalidError(at + "." + data_key + ": not base64");
    return *pem;
  }
  KSTACK_ASSIGN_OR_RETURN(std::string file, StringField(entry.body, key, at));
  if (file.empty()) return std::string();
  std::string path = Resolve(entry.base_dir, file);
  Result<std::string> text = ReadWholeFile(path);
  if (!text.ok()) {
    return InvalidError(at + "." + std::string(key) + ": cannot read " + path);
  }
  return *text;
}

Status FillCluster(const Entry& entry, const std::string& at, RestConfig* config) {
  KSTACK_ASSIGN_OR_RETURN(config->server, StringField(entry.body, "server", at));
  if (config->server.empty()) return InvalidError(at + ".server: required");
  KSTACK_ASSIGN_OR_RETURN(config->ca_pem, PemField(entry, "certificate-authority", at));
  KSTACK_ASSIGN_OR_RETURN(config->insecure_skip_tls_verify,
                          BoolField(entry.body, "insecure-skip-tls-verify", at));
  KSTACK_ASSIGN_OR_RETURN(config->tls_server_name, StringField(entry.body, "tls-server-name", at));
  KSTACK_ASSIGN_OR_RETURN(std::string proxy, StringField(entry.body, "proxy-url", at));
  if (!proxy.empty()) return InvalidError(at + ".proxy-url: proxies are not supported");
  return Status::Ok();
}

Status FillUser(const Entry& entry, const std::string& at, RestConfig* config) {
  if (entry.body != nullptr) {
    for (std::string_view plugin : {"exec", "auth-provider"}) {
      const Json* value = FindMember(*entry.body, plugin);
      if (value != nullptr && !value->is_null()) {
        return InvalidError(at + "." + std::string(plugin) +
                            ": authentication plugins are not supported");
      }
    }
  }
  KSTACK_ASSIGN_OR_RETURN(config->client_cert_pem, PemField(entry, "client-certificate", at));
  KSTACK_ASSIGN_OR_RETURN(config->client_key_pem, PemField(entry, "client-key", at));
  if (config->client_cert_pem.empty() != config->client_key_pem.empty()) {
    return InvalidError(at + (config->client_cert_pem.empty()
                                  ? ".client-certificate: required with client-key"
                                  : ".client-key: required with client-certificate"));
  }
  KSTACK_ASSIGN_OR_RETURN(config->bearer_token, StringField(entry.body, "token", at));
  if (config->bearer_token.empty()) {
    KSTACK_ASSIGN_OR_RETURN(std::string file, StringField(entry.body, "tokenFile", at));
    if (!file.empty()) {
      std::string path = Resolve(entry.base_dir, file);
      Result<std::string> token = ReadWholeFile(path);
      if (!token.ok()) return InvalidError(at + ".tokenFile: cannot read " + path);
      config->bearer_token = Trim(std::move(*token));
    }
  }
  KSTACK_ASSIGN_OR_RETURN(config->username, StringField(entry.body, "username", at));
  KSTACK_ASSIGN_OR_RETURN(config->password, StringField(entry.body, "password", at));
  return Status::Ok();
}

Result<Kubeconfig> Select(const Merged& merged, const KubeconfigOptions& options,
                          const std::string& sources) {
  Kubeconfig out;
  out.context = options.context.empty() ? merged.current_context : options.context;
  if (out.context.empty()) {
    return InvalidError(sources + ": current-context: not set and no context was given");
  }
  auto context = merged.contexts.find(out.context);
  if (context == merged.contexts.end()) {
    return InvalidError(sources + ": context \"" + out.context + "\" not found in contexts");
  }
  std::string at = context->second.source + ": contexts[name=\"" + out.context + "\"].context";
  KSTACK_ASSIGN_OR_RETURN(out.cluster, StringField(context->second.body, "cluster", at));
  KSTACK_ASSIGN_OR_RETURN(out.user, StringField(context->second.body, "user", at));
  KSTACK_ASSIGN_OR_RETURN(std::string ns, StringField(context->second.body, "namespace", at));
  if (!ns.empty()) out.namespace_name = ns;
  if (out.cluster.empty()) return InvalidError(at + ".cluster: required");
  auto cluster = merged.clusters.find(out.cluster);
  if (cluster == merged.clusters.end()) {
    return InvalidError(at + ".cluster: cluster \"" + out.cluster + "\" not found in clusters");
  }
  KSTACK_RETURN_IF_ERROR(FillCluster(
      cluster->second, cluster->second.source + ": clusters[name=\"" + out.cluster + "\"].cluster",
      &out.config));
  if (!out.user.empty()) {
    auto user = merged.users.find(out.user);
    if (user == merged.users.end()) {
      return InvalidError(at + ".user: user \"" + out.user + "\" not found in users");
    }
    KSTACK_RETURN_IF_ERROR(FillUser(user->second,
                                    user->second.source + ": users[name=\"" + out.user + "\"].user",
                                    &out.config));
  }
  return out;
}

Result<Json> ReadDocument(const std::string& path) {
  KSTACK_ASSIGN_OR_RETURN(std::string text, ReadWholeFile(path));
  Result<Json> document = ParseYaml(text, path);
  if (!document.ok()) return InvalidError(document.status().message());
  return std::move(*document);
}

}  // namespace

Result<Kubeconfig> KubeconfigFromJson(const Json& document, std::string_view source,
                                      const std::string& base_dir,
                                      const KubeconfigOptions& options) {
  Merged merged;
  std::string name(source);
  KSTACK_RETURN_IF_ERROR(AddDocument(document, name, base_dir, &merged));
  return Select(merged, options, name);
}

Result<Kubeconfig> LoadKubeconfig(const std::string& path, const KubeconfigOptions& options) {
  std::vector<std::string> paths;
  if (!path.empty()) {
    paths.push_back(path);
  } else if (const char* env = std::getenv("KUBECONFIG"); env != nullptr && *env != '\0') {
    std::string_view list(env);
    while (!list.empty()) {
      size_t colon = list.find(':');
      std::string_view one = list.substr(0, colon);
      if (!one.empty()) paths.emplace_back(one);
      list = colon == std::string_view::npos ? std::string_view() : list.substr(colon + 1);
    }
  } else if (const char* home = std::getenv("HOME"); home != nullptr) {
    paths.push_back((fs::path(home) / ".kube" / "config").string());
  }
  if (paths.empty()) return NotFoundError("no kubeconfig: give a path or set KUBECONFIG");
  Merged merged;
  std::string sources;
  for (const std::string& p : paths) {
    Result<Json> document = ReadDocument(p);
    // kubectl skips files of $KUBECONFIG that do not exist; an explicit path must exist.
    if (!document.ok() && document.status().reason() == Reason::kNotFound && path.empty() &&
        paths.size() > 1) {
      continue;
    }
    if (!document.ok()) return document.status();
    std::string dir = fs::absolute(fs::path(p)).parent_path().string();
    KSTACK_RETURN_IF_ERROR(AddDocument(std::move(*document), p, dir, &merged));
    if (!sources.empty()) sources += ":";
    sources += p;
  }
  if (merged.documents.empty()) {
    return NotFoundError("no file of KUBECONFIG exists: " + std::string(std::getenv("KUBECONFIG")));
  }
  return Select(merged, options, sources);
}

}  // namespace kstack::kube
