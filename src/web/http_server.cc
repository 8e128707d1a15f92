#include "web/http_server.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <chrono>
#include <thread>

namespace kstack::web {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

constexpr std::chrono::seconds kRequestDeadline{10};
constexpr uint64_t kBodyLimit = 8 << 20;  // Git providers send pushes of up to a few MB

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return out;
}

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, const HttpServer::Handler* handler)
      : stream_(std::move(socket)), handler_(handler) {
    parser_.body_limit(kBodyLimit);
  }

  void Start() {
    stream_.expires_after(kRequestDeadline);
    http::async_read(
        stream_, buffer_, parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->OnRead(ec); });
  }

 private:
  void OnRead(beast::error_code ec) {
    HttpResponse answer;
    if (ec == http::error::body_limit) {
      answer = {.status = 413, .body = "request body too large\n"};
    } else if (ec) {
      return;  // the client went away or sent no request in time
    } else {
      const auto& req = parser_.get();
      HttpRequest request{.method = std::string(req.method_string()),
                          .target = std::string(req.target()),
                          .body = req.body()};
      for (const auto& field : req) {
        request.headers[Lower(field.name_string())] = std::string(field.value());
      }
      answer = (*handler_)(request);
    }
    response_.result(static_cast<unsigned>(answer.status));
    response_.version(11);
    response_.set(http::field::content_type, answer.content_type);
    response_.set(http::field::connection, "close");
    response_.body() = std::move(answer.body);
    response_.prepare_payload();
    http::async_write(stream_, response_, [self = shared_from_this()](beast::error_code, size_t) {
      beast::error_code ignored;
      self->stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    });
  }

  beast::tcp_stream stream_;
  const HttpServer::Handler* handler_;
  beast::flat_buffer buffer_;
  http::request_parser<http::string_body> parser_;
  http::response<http::string_body> response_;
};

}  // namespace

class HttpServer::Impl {
 public:
  explicit Impl(Handler handler) : handler_(std::move(handler)), acceptor_(io_) {}

  Status Listen(const std::string& address, uint16_t port) {
    boost::system::error_code ec;
    asio::ip::address ip = asio::ip::make_address(address, ec);
    if (ec) return InvalidError(fmt::format("listen address \"{}\": {}", address, ec.message()));
    tcp::endpoint endpoint(ip, port);
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      return Status(Reason::kUnavailable,
                    fmt::format("listening on {}:{}: {}", address, port, ec.message()));
    }
    url_ = fmt::format("http://{}:{}", address, acceptor_.local_endpoint().port());
    Accept();
    thread_ = std::thread([this] { io_.run(); });
    return Status::Ok();
  }

  void Stop() {
    if (!thread_.joinable()) return;
    asio::post(io_, [this] {
      boost::system::error_code ignored;
      acceptor_.close(ignored);
      io_.stop();
    });
    thread_.join();
  }

  const std::string& url() const { return url_; }

 private:
  void Accept() {
    acceptor_.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
      if (ec) return;
      std::make_shared<Session>(std::move(socket), &handler_)->Start();
      Accept();
    });
  }

  Handler handler_;
  asio::io_context io_;
  tcp::acceptor acceptor_;
  std::string url_;
  std::thread thread_;
};

Result<std::unique_ptr<HttpServer>> HttpServer::Start(const std::string& address, uint16_t port,
                                                      Handler handler) {
  auto impl = std::make_unique<Impl>(std::move(handler));
  KSTACK_RETURN_IF_ERROR(impl->Listen(address, port));
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpServer::~HttpServer() { Stop(); }
const std::string& HttpServer::url() const { return impl_->url(); }
void HttpServer::Stop() { impl_->Stop(); }

}  // namespace kstack::web
