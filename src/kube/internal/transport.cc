#include "kube/internal/transport.h"

#include <openssl/ssl.h>

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <thread>

#include "core/base64.h"
#include "kube/internal/server_url.h"

namespace kstack::kube::internal {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using asio::use_awaitable;

// Lists of thousands of objects are tens of megabytes; anything past this is a broken server.
constexpr uint64_t kMaxBody = uint64_t{1} << 30;

struct Connection {
  explicit Connection(asio::io_context& ioc, ssl::context* tls_context) {
    if (tls_context != nullptr) {
      tls = std::make_unique<beast::ssl_stream<beast::tcp_stream>>(ioc, *tls_context);
    } else {
      plain = std::make_unique<beast::tcp_stream>(ioc);
    }
  }
  beast::tcp_stream& Lowest() { return tls ? beast::get_lowest_layer(*tls) : *plain; }

  // True when the server has closed the idle connection (or sent anything, which an idle
  // HTTP/1.1 connection must not receive): the socket is readable.
  bool LooksClosed() {
    tcp::socket& socket = Lowest().socket();
    boost::system::error_code ec;
    socket.non_blocking(true, ec);
    char byte;
    size_t n = socket.receive(asio::buffer(&byte, 1), tcp::socket::message_peek, ec);
    bool closed = ec != asio::error::would_block || n > 0;
    boost::system::error_code ignored;
    socket.non_blocking(false, ignored);
    return closed;
  }

  std::unique_ptr<beast::ssl_stream<beast::tcp_stream>> tls;
  std::unique_ptr<beast::tcp_stream> plain;
  beast::flat_buffer buffer;
};

bool IsIpAddress(const std::string& host) {
  boost::system::error_code ec;
  asio::ip::make_address(host, ec);
  return !ec;
}

// The shared state of a streamed response between the loop (writer) and the reader.
struct StreamState {
  std::mutex mu;
  std::condition_variable cv;
  bool headers_done = false;
  std::optional<HttpResponse> error_response;
  std::deque<std::string> lines;
  std::string partial;
  Status end;  // set when the stream ended (not OK)
  bool cancelled = false;
  Connection* connection = nullptr;  // only touched on the loop thread

  void Feed(std::string_view data) {
    std::lock_guard lock(mu);
    size_t start = 0;
    while (true) {
      size_t nl = data.find('\n', start);
      if (nl == std::string_view::npos) break;
      partial.append(data.substr(start, nl - start));
      if (!partial.empty()) lines.push_back(std::move(partial));
      partial.clear();
      start = nl + 1;
    }
    partial.append(data.substr(start));
    cv.notify_all();
  }
  void End(Status status) {
    std::lock_guard lock(mu);
    if (end.ok()) end = std::move(status);
    headers_done = true;
    cv.notify_all();
  }
};

class HttpLineStream : public LineStream {
 public:
  HttpLineStream(std::shared_ptr<StreamState> state, asio::io_context* ioc,
                 std::shared_ptr<void> keep_transport)
      : state_(std::move(state)), ioc_(ioc), keep_transport_(std::move(keep_transport)) {}
  ~HttpLineStream() override { Cancel(); }

  Result<std::optional<std::string>> Next(std::chrono::milliseconds timeout) override {
    std::unique_lock lock(state_->mu);
    state_->cv.wait_for(lock, timeout, [&] {
      return state_->cancelled || !state_->lines.empty() || !state_->end.ok();
    });
    if (state_->cancelled) return UnavailableError("stream cancelled");
    if (!state_->lines.empty()) {
      std::string line = std::move(state_->lines.front());
      state_->lines.pop_front();
      return std::optional<std::string>(std::move(line));
    }
    if (!state_->end.ok()) return state_->end;
    return std::optional<std::string>();
  }

  void Cancel() override {
    {
      std::lock_guard lock(state_->mu);
      if (state_->cancelled) return;
      state_->cancelled = true;
      state_->cv.notify_all();
    }
    asio::post(*ioc_, [state = state_] {
      if (state->connection != nullptr) {
        boost::system::error_code ec;
        state->connection->Lowest().socket().shutdown(tcp::socket::shutdown_both, ec);
        state->connection->Lowest().close();
      }
    });
  }

 private:
  std::shared_ptr<StreamState> state_;
  asio::io_context* ioc_;
  std::shared_ptr<void> keep_transport_;
};

class BeastTransport : public Transport, public std::enable_shared_from_this<BeastTransport> {
 public:
  BeastTransport(ServerUrl url, const RestConfig& config, const TransportOptions& options)
      : url_(std::move(url)),
        config_(config),
        options_(options),
        work_(asio::make_work_guard(ioc_)) {
    verify_name_ = config.tls_server_name.empty() ? url_.host : config.tls_server_name;
    if (!config.bearer_token.empty()) {
      authorization_ = "Bearer " + config.bearer_token;
    } else if (!config.username.empty()) {
      authorization_ = "Basic " + EncodeBase64(config.username + ":" + config.password);
    }
  }

  ~BeastTransport() override {
    work_.reset();
    ioc_.stop();
    if (loop_.joinable()) loop_.join();
    idle_.clear();
  }

  Status Init() {
    if (url_.tls) {
      tls_context_.emplace(ssl::context::tls_client);
      ssl::context& ctx = *tls_context_;
      boost::system::error_code ec;
      if (config_.insecure_skip_tls_verify) {
        ctx.set_verify_mode(ssl::verify_none);
      } else {
        ctx.set_verify_mode(ssl::verify_peer);
        if (!config_.ca_pem.empty()) {
          ctx.add_certificate_authority(asio::buffer(config_.ca_pem), ec);
          if (ec) return InvalidError("certificate-authority: " + ec.message());
        } else {
          ctx.set_default_verify_paths(ec);
        }
      }
      if (!config_.client_cert_pem.empty()) {
        ctx.use_certificate_chain(asio::buffer(config_.client_cert_pem), ec);
        if (ec) return InvalidError("client-certificate: " + ec.message());
        ctx.use_private_key(asio::buffer(config_.client_key_pem), ssl::context::pem, ec);
        if (ec) return InvalidError("client-key: " + ec.message());
      }
    }
    loop_ = std::thread([this] { ioc_.run(); });
    return Status::Ok();
  }

  int64_t connections_opened() const override { return opened_.load(); }

  Result<HttpResponse> Do(const HttpRequest& request) override {
    auto done = std::make_shared<std::promise<Result<HttpResponse>>>();
    std::future<Result<HttpResponse>> future = done->get_future();
    asio::co_spawn(ioc_, RunRequest(request, done), asio::detached);
    return future.get();
  }

  Result<StreamResult> Stream(const HttpRequest& request) override {
    auto state = std::make_shared<StreamState>();
    asio::co_spawn(ioc_, RunStream(request, state), asio::detached);
    std::unique_lock lock(state->mu);
    state->cv.wait(lock, [&] { return state->headers_done; });
    if (state->error_response) return StreamResult{.error_response = state->error_response};
    if (!state->end.ok() && state->lines.empty() && state->end.reason() != Reason::kTimeout) {
      return state->end;
    }
    lock.unlock();
    return StreamResult{.stream =
                            std::make_unique<HttpLineStream>(state, &ioc_, shared_from_this())};
  }

 private:
  std::string What(const HttpRequest& request) const {
    return request.method + " " + config_.server + request.target;
  }

  Status ErrorStatus(const HttpRequest& request, const boost::system::error_code& ec,
                     std::chrono::milliseconds timeout) const {
    if (ec == beast::error::timeout) {
      return TimeoutError(What(request) + ": no answer within " + std::to_string(timeout.count()) +
                          "ms");
    }
    std::string message = ec.message();
    return UnavailableError(What(request) + ": " + message);
  }

  http::request<http::string_body> Message(const HttpRequest& request, bool keep_alive) const {
    http::request<http::string_body> req;
    req.method_string(request.method);
    req.target(url_.prefix + request.target);
    req.version(11);
    req.set(http::field::host, url_.authority);
    req.set(http::field::user_agent, options_.user_agent);
    req.set(http::field::accept, request.accept);
    if (!authorization_.empty()) req.set(http::field::authorization, authorization_);
    if (!request.content_type.empty()) req.set(http::field::content_type, request.content_type);
    if (!request.body.empty() || request.method == "POST" || request.method == "PUT" ||
        request.method == "PATCH") {
      req.body() = request.body;
    }
    req.keep_alive(keep_alive);
    req.prepare_payload();
    return req;
  }

  asio::awaitable<void> Open(Connection& c) {
    opened_.fetch_add(1);
    tcp::resolver resolver(ioc_);
    auto endpoints = co_await resolver.async_resolve(url_.host, url_.port, use_awaitable);
    c.Lowest().expires_after(options_.connect_timeout);
    co_await c.Lowest().async_connect(endpoints, use_awaitable);
    boost::system::error_code ec;
    c.Lowest().socket().set_option(tcp::no_delay(true), ec);
    if (c.tls) {
      if (!IsIpAddress(verify_name_)) {
        SSL_set_tlsext_host_name(c.tls->native_handle(), verify_name_.c_str());
      }
      if (!config_.insecure_skip_tls_verify) {
        c.tls->set_verify_callback(ssl::host_name_verification(verify_name_));
      }
      co_await c.tls->async_handshake(ssl::stream_base::client, use_awaitable);
    }
  }

  template <typename S>
  asio::awaitable<HttpResponse> Exchange(S& stream, Connection& c,
                                         http::request<http::string_body>& req, bool* keep) {
    co_await http::async_write(stream, req, use_awaitable);
    http::response_parser<http::string_body> parser;
    parser.body_limit(kMaxBody);
    co_await http::async_read(stream, c.buffer, parser, use_awaitable);
    auto& res = parser.get();
    *keep = res.keep_alive();
    co_return HttpResponse{.code = static_cast<int>(res.result_int()),
                           .content_type = std::string(res[http::field::content_type]),
                           .body = std::move(res.body())};
  }

  std::unique_ptr<Connection> TakeIdle() {
    while (!idle_.empty()) {
      std::unique_ptr<Connection> c = std::move(idle_.back());
      idle_.pop_back();
      if (!c->LooksClosed()) return c;
    }
    return nullptr;
  }

  asio::awaitable<void> RunRequest(HttpRequest request,
                                   std::shared_ptr<std::promise<Result<HttpResponse>>> done) {
    http::request<http::string_body> req = Message(request, true);
    for (int attempt = 0; attempt < 2; ++attempt) {
      std::unique_ptr<Connection> c = attempt == 0 ? TakeIdle() : nullptr;
      bool reused = c != nullptr;
      if (!c) c = std::make_unique<Connection>(ioc_, tls_context_ ? &*tls_context_ : nullptr);
      boost::system::error_code failure;
      std::chrono::milliseconds timeout = options_.request_timeout;
      HttpResponse response;
      bool keep = false;
      try {
        if (!reused) {
          timeout = options_.connect_timeout;
          co_await Open(*c);
        }
        timeout = options_.request_timeout;
        c->Lowest().expires_after(timeout);
        if (c->tls) {
          response = co_await Exchange(*c->tls, *c, req, &keep);
        } else {
          response = co_await Exchange(*c->plain, *c, req, &keep);
        }
      } catch (const boost::system::system_error& e) {
        failure = e.code();
      } catch (const std::exception& e) {
        // Nothing else is expected (allocation aside); the caller still gets an answer.
        done->set_value(InternalError(What(request) + ": " + e.what()));
        co_return;
      }
      if (!failure) {
        if (keep && idle_.size() < options_.max_idle_connections) {
          c->Lowest().expires_never();
          idle_.push_back(std::move(c));
        }
        done->set_value(std::move(response));
        co_return;
      }
      // A reused connection may have been closed by the server just before it was taken; a
      // GET is safe to send again on a new connection.
      bool retry = reused && request.method == "GET" && failure != beast::error::timeout;
      if (!retry) {
        done->set_value(ErrorStatus(request, failure, timeout));
        co_return;
      }
    }
  }

  template <typename S>
  asio::awaitable<void> ReadStream(S& stream, Connection& c, http::request<http::string_body>& req,
                                   std::chrono::milliseconds deadline, StreamState& state) {
    co_await http::async_write(stream, req, use_awaitable);
    http::response_parser<http::string_body> parser;
    parser.body_limit(boost::none);
    co_await http::async_read_header(stream, c.buffer, parser, use_awaitable);
    int code = static_cast<int>(parser.get().result_int());
    if (code < 200 || code >= 300) {
      co_await http::async_read(stream, c.buffer, parser, use_awaitable);
      std::lock_guard lock(state.mu);
      state.error_response =
          HttpResponse{.code = code,
                       .content_type = std::string(parser.get()[http::field::content_type]),
                       .body = std::move(parser.get().body())};
      state.headers_done = true;
      state.cv.notify_all();
      co_return;
    }
    {
      std::lock_guard lock(state.mu);
      state.headers_done = true;
      state.cv.notify_all();
    }
    if (deadline.count() > 0) {
      c.Lowest().expires_after(deadline);
    } else {
      c.Lowest().expires_never();
    }
    while (!parser.is_done()) {
      co_await http::async_read_some(stream, c.buffer, parser, use_awaitable);
      std::string& body = parser.get().body();
      if (!body.empty()) {
        state.Feed(body);
        body.clear();
      }
    }
  }

  asio::awaitable<void> RunStream(HttpRequest request, std::shared_ptr<StreamState> state) {
    http::request<http::string_body> req = Message(request, false);
    auto c = std::make_unique<Connection>(ioc_, tls_context_ ? &*tls_context_ : nullptr);
    state->connection = c.get();
    boost::system::error_code failure;
    try {
      co_await Open(*c);
      c->Lowest().expires_after(options_.request_timeout);
      if (c->tls) {
        co_await ReadStream(*c->tls, *c, req, request.stream_deadline, *state);
      } else {
        co_await ReadStream(*c->plain, *c, req, request.stream_deadline, *state);
      }
    } catch (const boost::system::system_error& e) {
      failure = e.code();
    } catch (const std::exception& e) {
      state->connection = nullptr;
      state->End(InternalError(What(request) + ": " + e.what()));
      co_return;
    }
    state->connection = nullptr;
    if (failure == beast::error::timeout && state->headers_done) {
      state->End(TimeoutError(What(request) + ": stream deadline passed"));
    } else if (failure && failure != http::error::end_of_stream) {
      state->End(ErrorStatus(request, failure, options_.request_timeout));
    } else {
      state->End(TimeoutError(What(request) + ": stream closed by the server"));
    }
  }

  asio::io_context ioc_;
  ServerUrl url_;
  RestConfig config_;
  TransportOptions options_;
  std::string verify_name_;
  std::string authorization_;
  std::optional<ssl::context> tls_context_;
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  std::thread loop_;
  // Only touched on the loop thread.
  std::vector<std::unique_ptr<Connection>> idle_;
  std::atomic<int64_t> opened_{0};
};

}  // namespace

Result<std::unique_ptr<Transport>> Transport::Create(const RestConfig& config,
                                                     const TransportOptions& options) {
  KSTACK_ASSIGN_OR_RETURN(ServerUrl url, ParseServerUrl(config.server));
  auto transport = std::make_shared<BeastTransport>(std::move(url), config, options);
  KSTACK_RETURN_IF_ERROR(transport->Init());
  // The caller owns the transport through a unique_ptr; streams keep it alive through the
  // shared state below, so the shared_ptr's control block outlives neither.
  struct Owner : Transport {
    explicit Owner(std::shared_ptr<BeastTransport> t) : t_(std::move(t)) {}
    Result<HttpResponse> Do(const HttpRequest& r) override { return t_->Do(r); }
    Result<StreamResult> Stream(const HttpRequest& r) override { return t_->Stream(r); }
    int64_t connections_opened() const override { return t_->connections_opened(); }
    std::shared_ptr<BeastTransport> t_;
  };
  return std::unique_ptr<Transport>(std::make_unique<Owner>(std::move(transport)));
}

}  // namespace kstack::kube::internal
