#include "kube/internal/server_url.h"

namespace kstack::kube::internal {

Result<ServerUrl> ParseServerUrl(std::string_view url) {
  ServerUrl out;
  std::string_view rest = url;
  auto bad = [&](std::string_view why) {
    return InvalidError("server: " + std::string(url) + ": " + std::string(why));
  };
  if (rest.starts_with("https://")) {
    rest.remove_prefix(8);
  } else if (rest.starts_with("http://")) {
    out.tls = false;
    rest.remove_prefix(7);
  } else {
    return bad("must start with https:// or http://");
  }
  size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  if (slash != std::string_view::npos) {
    std::string_view path = rest.substr(slash);
    while (path.ends_with('/')) path.remove_suffix(1);
    out.prefix = std::string(path);
  }
  if (authority.empty()) return bad("no host");
  out.authority = std::string(authority);
  std::string_view port;
  if (authority.starts_with('[')) {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return bad("unclosed [ of an IPv6 address");
    out.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (!after.starts_with(':')) return bad("text after the IPv6 address");
      port = after.substr(1);
    }
  } else {
    size_t colon = authority.rfind(':');
    out.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port = authority.substr(colon + 1);
  }
  if (out.host.empty()) return bad("no host");
  if (port.empty()) {
    out.port = out.tls ? "443" : "80";
  } else {
    for (char c : port) {
      if (c < '0' || c > '9') return bad("the port must be a number");
    }
    out.port = std::string(port);
  }
  return out;
}

}  // namespace kstack::kube::internal
