#pragma once

// What the HTTP layer hands to the routes and gets back: plain values, free of Beast types, so
// that routing is a pure function that tests call directly.

#include <string>
#include <utility>
#include <vector>

namespace kstack::server::internal {

// Who sent a request, as established by the TLS client certificate.
struct Identity {
  // True when the client presented a certificate that chains to the cluster CA.
  bool authenticated = false;
  // The certificate's CN and O entries (Kubernetes' user name and groups).
  std::string user;
  std::vector<std::string> groups;
};

struct Request {
  std::string method;  // "GET"
  std::string target;  // "/version?timeout=32s"
  std::string body;
  // The value of the Authorization header, if any.
  std::string authorization;
  // The Accept and Content-Type headers, if any.
  std::string accept;
  std::string content_type;
  Identity identity;
};

struct Response {
  int code = 200;
  std::string content_type;
  std::string body;
  // Extra header lines beyond Content-Type and Content-Length.
  std::vector<std::pair<std::string, std::string>> headers;
};

}  // namespace kstack::server::internal
