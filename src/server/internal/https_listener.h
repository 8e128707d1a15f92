#pragma once

// Accepts HTTPS connections on one address and runs their sessions: one event loop thread for
// all network I/O, plus a small pool of workers for request handlers. Never a thread per
// connection.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>

#include "core/result.h"
#include "server/internal/request.h"
#include "server/internal/session.h"
#include "server/internal/tls_context.h"

namespace kstack::server::internal {

struct ListenerConfig {
  // An IP literal or a host name (resolved once, first address used).
  std::string address;
  // 0 picks a free port (see HttpsListener::port()).
  uint16_t port = 0;
  TlsMaterial tls;
  size_t worker_threads = 2;
  // How long a graceful shutdown waits for in-flight requests before closing connections.
  std::chrono::milliseconds shutdown_grace{10000};
  // Answers requests on worker threads; must be thread-safe.
  std::function<Response(const Request&)> handler;
};

class HttpsListener {
 public:
  // Binds, listens and starts serving in the background. Errors: kInvalid for an unusable
  // address or TLS material, kUnavailable when the address cannot be bound (in use, not local).
  static Result<std::unique_ptr<HttpsListener>> Start(ListenerConfig config);

  // Shuts down gracefully and waits.
  ~HttpsListener();
  HttpsListener(const HttpsListener&) = delete;
  HttpsListener& operator=(const HttpsListener&) = delete;

  // The port actually bound.
  uint16_t port() const { return port_; }

  // Stops accepting, lets in-flight requests finish (at most shutdown_grace), closes idle
  // connections. Returns at once; thread-safe and idempotent.
  void Shutdown();

  // Blocks until the shutdown has completed and every thread has ended. Call from one thread.
  void Wait();

 private:
  explicit HttpsListener(ListenerConfig config);

  void Accept();
  void BeginShutdown();
  void OnSessionClosed(uint64_t id);

  ListenerConfig config_;
  boost::asio::io_context loop_{1};
  std::unique_ptr<boost::asio::ssl::context> tls_;
  boost::asio::thread_pool workers_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer retry_timer_;
  boost::asio::steady_timer grace_timer_;
  SessionEnvironment env_;
  // Touched on the event loop only.
  std::map<uint64_t, std::weak_ptr<Session>> sessions_;
  uint64_t next_session_id_ = 1;
  bool stopping_ = false;
  uint16_t port_ = 0;
  std::thread loop_thread_;
  bool waited_ = false;
};

}  // namespace kstack::server::internal
