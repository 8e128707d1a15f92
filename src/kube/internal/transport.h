#pragma once

// HTTP/1.1 to one API server over Boost.Beast (TLS through OpenSSL, or plain TCP for http://
// URLs), hidden behind this header so that no Beast or Asio type reaches the public ones.
//
// One event loop thread owns every socket. Requests borrow a keep-alive connection from a pool
// (or open one), so concurrent callers each get their own connection; a request that fails on
// a reused connection the server had already closed is retried once on a fresh one when it is
// a GET. Streams (watches) get a connection of their own that is never pooled.
//
// Thread safety: Do() and Stream() may be called from any number of threads. A LineStream is
// read by one thread; Cancel() may come from any thread.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "core/result.h"
#include "kube/rest_config.h"

namespace kstack::kube::internal {

struct HttpRequest {
  std::string method = "GET";
  std::string target;  // path and query, without the server's prefix
  std::string accept = "application/json";
  std::string content_type;  // with a body
  std::string body;
  // Streams only: how long the body may last before the stream ends with kTimeout; zero lets
  // it last until the server ends it.
  std::chrono::milliseconds stream_deadline{0};
};

struct HttpResponse {
  int code = 0;
  std::string content_type;
  std::string body;
};

struct TransportOptions {
  std::chrono::milliseconds connect_timeout{10000};
  // Whole request, from sending to the last byte of the response.
  std::chrono::milliseconds request_timeout{60000};
  // Idle keep-alive connections kept for reuse.
  size_t max_idle_connections = 32;
  std::string user_agent = "kstack";
};

// The body of a streamed response, one line at a time (a watch sends one JSON event a line).
class LineStream {
 public:
  virtual ~LineStream() = default;
  // The next line without its newline; nullopt when none arrived within `timeout`.
  // Errors: kTimeout "stream closed" when the server ended the response; kUnavailable when the
  // connection broke or Cancel() was called.
  virtual Result<std::optional<std::string>> Next(std::chrono::milliseconds timeout) = 0;
  virtual void Cancel() = 0;
};

class Transport {
 public:
  // Errors: kInvalid for a bad server URL or PEM data that OpenSSL refuses (naming which).
  static Result<std::unique_ptr<Transport>> Create(const RestConfig& config,
                                                   const TransportOptions& options);
  virtual ~Transport() = default;

  // Any answer of the server (2xx or not) is a response; only a request that got no answer is
  // an error: kUnavailable (connect, TLS, broken connection) or kTimeout.
  virtual Result<HttpResponse> Do(const HttpRequest& request) = 0;

  // Sends `request` on a new connection and returns once the response headers arrived. A
  // non-2xx response is read whole and returned as `error_response`.
  struct StreamResult {
    std::unique_ptr<LineStream> stream;
    std::optional<HttpResponse> error_response;
  };
  virtual Result<StreamResult> Stream(const HttpRequest& request) = 0;

  // Connections opened so far (pooled and streaming), for tests and metrics.
  virtual int64_t connections_opened() const = 0;
};

}  // namespace kstack::kube::internal
