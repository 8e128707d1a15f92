#pragma once

// A small HTTP/1.1 server for the controller's own endpoints (the Git webhook, health), on
// Boost.Beast with one thread of its own. Each request is read with a deadline and a body
// limit, answered by the handler and the connection closed: these endpoints see a request now
// and then, not a stream of them.
//
// Thread safety: the handler runs on the server's thread, one request at a time. Stop from any
// thread but the handler's.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "core/result.h"

namespace kstack::web {

struct HttpRequest {
  std::string method;                          // "POST"
  std::string target;                          // "/api/webhook?x=1"
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
};

class HttpServer {
 public:
  using Handler = std::function<HttpResponse(const HttpRequest&)>;

  // Listens on `address` ("127.0.0.1", "0.0.0.0") and `port` (0: a free one).
  // Errors: kInvalid for an address that does not parse; kUnavailable when it cannot listen.
  static Result<std::unique_ptr<HttpServer>> Start(const std::string& address, uint16_t port,
                                                   Handler handler);
  ~HttpServer();

  // "http://127.0.0.1:8080".
  const std::string& url() const;
  // Stops listening and waits for the server's thread. Idempotent.
  void Stop();

  class Impl;

 private:
  explicit HttpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace kstack::web
