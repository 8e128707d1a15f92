#include "server/internal/https_listener.h"

#include <fcntl.h>
#include <fmt/format.h>

#include <boost/asio/post.hpp>

#include "core/log.h"

namespace kstack::server::internal {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;

// After a failed accept (e.g. out of file descriptors), wait before trying again instead of
// spinning on the error.
constexpr std::chrono::milliseconds kAcceptRetry{100};

Result<tcp::endpoint> ResolveEndpoint(const std::string& address, uint16_t port) {
  boost::system::error_code ec;
  asio::ip::address ip = asio::ip::make_address(address, ec);
  if (!ec) return tcp::endpoint(ip, port);
  asio::io_context io;
  tcp::resolver resolver(io);
  auto results = resolver.resolve(address, std::to_string(port), ec);
  if (ec || results.empty()) {
    return InvalidError(fmt::format("cannot resolve bind address \"{}\": {}", address,
                                    ec ? ec.message() : "no addresses"));
  }
  return results.begin()->endpoint();
}

// Asio does not create sockets close-on-exec. Without it, a child process started by this one
// would keep the listening socket open after a shutdown (clients would then hang in its
// backlog instead of being refused), or keep a connection open after the server closed it.
void SetCloseOnExec(int fd) {
  int flags = ::fcntl(fd, F_GETFD);
  if (flags >= 0) ::fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
}

}  // namespace

HttpsListener::HttpsListener(ListenerConfig config)
    : config_(std::move(config)),
      workers_(config_.worker_threads > 0 ? config_.worker_threads : 1),
      acceptor_(loop_),
      retry_timer_(loop_),
      grace_timer_(loop_) {}

Result<std::unique_ptr<HttpsListener>> HttpsListener::Start(ListenerConfig config) {
  std::unique_ptr<HttpsListener> listener(new HttpsListener(std::move(config)));
  HttpsListener& l = *listener;
  KSTACK_ASSIGN_OR_RETURN(l.tls_, MakeServerTlsContext(l.config_.tls));
  KSTACK_ASSIGN_OR_RETURN(tcp::endpoint endpoint,
                          ResolveEndpoint(l.config_.address, l.config_.port));
  boost::system::error_code ec;
  l.acceptor_.open(endpoint.protocol(), ec);
  if (!ec) SetCloseOnExec(l.acceptor_.native_handle());
  if (!ec) l.acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) l.acceptor_.bind(endpoint, ec);
  if (!ec) l.acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return UnavailableError(
        fmt::format("cannot listen on {}:{}: {}", l.config_.address, l.config_.port, ec.message()));
  }
  l.port_ = l.acceptor_.local_endpoint(ec).port();
  l.env_ = SessionEnvironment{
      .loop = &l.loop_,
      .tls = l.tls_.get(),
      .workers = &l.workers_,
      .handler = l.config_.handler,
      .on_closed = [&l](uint64_t id) { l.OnSessionClosed(id); },
  };
  l.Accept();
  l.loop_thread_ = std::thread([&l] {
    // Handlers report errors as values; an exception here is a bug, but it must not take the
    // whole server down with in-flight requests.
    while (true) {
      try {
        l.loop_.run();
        return;
      } catch (const std::exception& e) {
        log::Error("event loop: unexpected exception: {}", e.what());
      }
    }
  });
  return listener;
}

HttpsListener::~HttpsListener() {
  Shutdown();
  Wait();
}

void HttpsListener::Accept() {
  acceptor_.async_accept(loop_, [this](boost::system::error_code ec, tcp::socket socket) {
    if (stopping_ || ec == asio::error::operation_aborted) return;
    if (ec) {
      log::Warn("accept failed: {}", ec.message());
      retry_timer_.expires_after(kAcceptRetry);
      retry_timer_.async_wait([this](boost::system::error_code wait_ec) {
        if (!wait_ec && !stopping_) Accept();
      });
      return;
    }
    SetCloseOnExec(socket.native_handle());
    boost::system::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    uint64_t id = next_session_id_++;
    auto session = std::make_shared<Session>(id, std::move(socket), env_);
    sessions_.emplace(id, session);
    session->Start();
    Accept();
  });
}

void HttpsListener::Shutdown() {
  asio::post(loop_, [this] { BeginShutdown(); });
}

void HttpsListener::BeginShutdown() {
  if (stopping_) return;
  stopping_ = true;
  boost::system::error_code ec;
  acceptor_.close(ec);
  retry_timer_.cancel();
  // Copies the list: a session may end (and unregister) inside Stop().
  std::vector<std::shared_ptr<Session>> live;
  for (auto& [id, weak] : sessions_) {
    if (auto session = weak.lock()) live.push_back(std::move(session));
  }
  for (auto& session : live) {
    session->Stop();
  }
  if (sessions_.empty()) return;
  log::Info("waiting for {} connection(s) to finish", sessions_.size());
  grace_timer_.expires_after(config_.shutdown_grace);
  grace_timer_.async_wait([this](boost::system::error_code wait_ec) {
    if (wait_ec) return;
    log::Warn("closing {} connection(s) still open after the shutdown grace period",
              sessions_.size());
    std::vector<std::shared_ptr<Session>> remaining;
    for (auto& [id, weak] : sessions_) {
      if (auto session = weak.lock()) remaining.push_back(std::move(session));
    }
    for (auto& session : remaining) {
      session->ForceClose();
    }
  });
}

void HttpsListener::OnSessionClosed(uint64_t id) {
  sessions_.erase(id);
  if (stopping_ && sessions_.empty()) {
    grace_timer_.cancel();
  }
}

void HttpsListener::Wait() {
  if (waited_) return;
  waited_ = true;
  if (loop_thread_.joinable()) loop_thread_.join();
  workers_.join();
}

}  // namespace kstack::server::internal
