#pragma once

// What the HTTP layer hands to the routes and gets back: plain values, free of Beast types, so
// that routing is a pure function that tests call directly.

#include <chrono>
#include <functional>
#include <memory>
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
  // The User-Agent header (the default field manager of a write), if any.
  std::string user_agent;
  Identity identity;
};

// A response body produced over time (a watch): written as HTTP chunks as it comes.
class ResponseStream {
 public:
  virtual ~ResponseStream() = default;
  // Called once on the event loop before the first Poll. `wake` may be called from any thread,
  // any number of times, when Poll may have something new; it must not block.
  virtual void Start(std::function<void()> wake) = 0;
  // Non-blocking: appends what is ready to `*out`; false once the stream has ended (its last
  // data appended). Called on the event loop.
  virtual bool Poll(std::string* out) = 0;
  // When the stream ends by itself (a watch's timeoutSeconds); Poll is called then.
  virtual std::chrono::steady_clock::time_point deadline() const = 0;
};

struct Response {
  int code = 200;
  std::string content_type;
  std::string body;
  // Extra header lines beyond Content-Type and Content-Length.
  std::vector<std::pair<std::string, std::string>> headers;
  // When set, the body is this stream (chunked) instead of `body`.
  std::shared_ptr<ResponseStream> stream;
};

}  // namespace kstack::server::internal
