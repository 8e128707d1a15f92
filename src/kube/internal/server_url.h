#pragma once

// The parts of a server URL ("https://host:port/prefix") that a connection needs.

#include <string>
#include <string_view>

#include "core/result.h"

namespace kstack::kube::internal {

struct ServerUrl {
  bool tls = true;
  std::string host;    // without brackets for IPv6
  std::string port;    // "443" / "80" when the URL names none
  std::string prefix;  // "" or "/prefix" without a trailing slash
  // host[:port] as the Host header carries it.
  std::string authority;
};

// Errors: kInvalid "server: ..." naming the URL when it is not http(s)://host[:port][/path].
Result<ServerUrl> ParseServerUrl(std::string_view url);

}  // namespace kstack::kube::internal
