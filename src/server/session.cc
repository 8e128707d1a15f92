#include "server/internal/session.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/http/chunk_encode.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/write.hpp>
#include <chrono>

#include "core/log.h"
#include "core/status_json.h"
#include "server/internal/tls_context.h"

namespace kstack::server::internal {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace asio = boost::asio;

constexpr std::chrono::seconds kHandshakeTimeout{10};
// How long a keep-alive connection may sit between requests (and a request take to arrive).
constexpr std::chrono::seconds kReadTimeout{120};
constexpr std::chrono::seconds kWriteTimeout{60};
// Bounds the wait for a peer's close_notify, so that a silent peer cannot hold shutdown.
constexpr std::chrono::milliseconds kCloseTimeout{500};
constexpr uint32_t kMaxHeaderBytes = 1024 * 1024;

Response TooLarge() {
  Status status(Reason::kRequestEntityTooLarge, "the request body is larger than 3 MiB");
  return Response{.code = status.code(),
                  .content_type = "application/json",
                  .body = WriteJson(StatusToJson(status))};
}

}  // namespace

Session::Session(uint64_t id, asio::ip::tcp::socket socket, SessionEnvironment& env)
    : id_(id), env_(env), stream_(std::move(socket), *env.tls) {}

void Session::Start() {
  beast::get_lowest_layer(stream_).expires_after(kHandshakeTimeout);
  stream_.async_handshake(
      asio::ssl::stream_base::server,
      [self = shared_from_this()](boost::system::error_code ec) { self->OnHandshake(ec); });
}

void Session::Stop() {
  stopping_ = true;
  if (stream_body_) {
    Pump();  // ends the stream: a stopping server sends the last chunk and closes
    return;
  }
  if (state_ == State::kHandshake || state_ == State::kReading) {
    // The pending handshake or read completes with operation_aborted and ends the session.
    boost::system::error_code ec;
    beast::get_lowest_layer(stream_).socket().cancel(ec);
  }
}

void Session::ForceClose() { beast::get_lowest_layer(stream_).close(); }

void Session::OnHandshake(boost::system::error_code ec) {
  if (ec) {
    log::Debug("connection {}: TLS handshake failed: {}", id_, ec.message());
    Finish();
    return;
  }
  identity_ = PeerIdentity(stream_.native_handle());
  ReadRequest();
}

void Session::ReadRequest() {
  if (stopping_) {
    Close();
    return;
  }
  state_ = State::kReading;
  parser_.emplace();
  parser_->body_limit(kMaxBodyBytes);
  parser_->header_limit(kMaxHeaderBytes);
  beast::get_lowest_layer(stream_).expires_after(kReadTimeout);
  http::async_read(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](boost::system::error_code ec, size_t) { self->OnRead(ec); });
}

void Session::OnRead(boost::system::error_code ec) {
  if (ec == http::error::body_limit) {
    keep_alive_ = false;
    head_request_ = false;
    Write(TooLarge());
    return;
  }
  if (ec) {
    // end_of_stream, a timeout, a cancel from Stop(), or garbage: the connection is done.
    Close();
    return;
  }
  http::request<http::string_body> message = parser_->release();
  keep_alive_ = message.keep_alive();
  head_request_ = message.method() == http::verb::head;
  Request request{.method = std::string(message.method_string()),
                  .target = std::string(message.target()),
                  .body = std::move(message.body()),
                  .authorization = std::string(message[http::field::authorization]),
                  .accept = std::string(message[http::field::accept]),
                  .content_type = std::string(message[http::field::content_type]),
                  .user_agent = std::string(message[http::field::user_agent]),
                  .identity = identity_};
  Dispatch(std::move(request));
}

void Session::Dispatch(Request request) {
  state_ = State::kHandling;
  // The guard keeps the event loop running while the request is on a worker: a graceful
  // shutdown waits for it.
  asio::post(*env_.workers, [self = shared_from_this(), request = std::move(request),
                             guard = asio::make_work_guard(*env_.loop)]() mutable {
    Response response;
    try {
      response = self->env_.handler(request);
    } catch (const std::exception& e) {
      Status status = InternalError(std::string("unexpected error: ") + e.what());
      response = Response{.code = status.code(),
                          .content_type = "application/json",
                          .body = WriteJson(StatusToJson(status))};
    }
    auto executor = guard.get_executor();
    // Moves `self` so that the last reference is never dropped on a worker thread.
    asio::post(executor, [self = std::move(self), response = std::move(response)]() mutable {
      self->Write(std::move(response));
    });
    guard.reset();
  });
}

void Session::Write(Response response) {
  if (response.stream && !head_request_) {
    WriteStream(std::move(response));
    return;
  }
  state_ = State::kWriting;
  response_ = {};
  response_.version(11);
  response_.result(static_cast<unsigned>(response.code));
  response_.set(http::field::content_type, response.content_type);
  for (auto& [name, value] : response.headers) {
    response_.set(name, value);
  }
  response_.keep_alive(keep_alive_ && !stopping_);
  if (head_request_) {
    response_.content_length(response.body.size());
  } else {
    response_.body() = std::move(response.body);
    response_.prepare_payload();
  }
  beast::get_lowest_layer(stream_).expires_after(kWriteTimeout);
  http::async_write(
      stream_, response_,
      [self = shared_from_this()](boost::system::error_code ec, size_t) { self->OnWrite(ec); });
}

void Session::OnWrite(boost::system::error_code ec) {
  if (ec) {
    log::Debug("connection {}: write failed: {}", id_, ec.message());
    Finish();
    return;
  }
  if (!response_.keep_alive()) {
    Close();
    return;
  }
  ReadRequest();
}

void Session::WriteStream(Response response) {
  state_ = State::kWriting;
  stream_body_ = std::move(response.stream);
  // Between chunks no operation is pending, so nothing else keeps the session alive.
  stream_keepalive_ = shared_from_this();
  auto header = std::make_shared<http::response<http::empty_body>>();
  header->version(11);
  header->result(static_cast<unsigned>(response.code));
  header->set(http::field::content_type, response.content_type);
  header->chunked(true);
  header->keep_alive(false);  // a watch ends its connection
  auto serializer = std::make_shared<http::response_serializer<http::empty_body>>(*header);
  beast::get_lowest_layer(stream_).expires_never();
  chunk_in_flight_ = true;  // no chunk before the header is out
  http::async_write_header(
      stream_, *serializer,
      [self = shared_from_this(), header, serializer](boost::system::error_code ec, size_t) {
        self->chunk_in_flight_ = false;
        if (ec) {
          self->Finish();
          return;
        }
        std::weak_ptr<Session> weak = self;
        asio::io_context* loop = self->env_.loop;
        self->stream_body_->Start([weak, loop] {
          asio::post(*loop, [weak] {
            if (auto session = weak.lock()) session->Pump();
          });
        });
        self->stream_timer_.emplace(*loop);
        self->stream_timer_->expires_at(self->stream_body_->deadline());
        self->stream_timer_->async_wait([weak](boost::system::error_code timer_ec) {
          if (timer_ec) return;
          if (auto session = weak.lock()) session->Pump();
        });
        self->Pump();
      });
}

void Session::Pump() {
  if (!stream_body_ || chunk_in_flight_ || finished_ || stream_ended_) return;
  chunk_.clear();
  bool more = stream_body_->Poll(&chunk_) && !stopping_;
  if (!chunk_.empty()) {
    chunk_in_flight_ = true;
    asio::async_write(stream_, http::make_chunk(asio::buffer(chunk_)),
                      [self = shared_from_this()](boost::system::error_code ec, size_t) {
                        self->chunk_in_flight_ = false;
                        if (ec) {
                          self->Finish();
                          return;
                        }
                        self->Pump();  // more may have come meanwhile, or the end
                      });
    return;
  }
  if (more) {
    // Wait for the stream's wake or deadline; a stream may move its deadline (bookmarks).
    if (stream_timer_ && stream_timer_->expiry() != stream_body_->deadline()) {
      stream_timer_->expires_at(stream_body_->deadline());
      std::weak_ptr<Session> weak = shared_from_this();
      stream_timer_->async_wait([weak](boost::system::error_code timer_ec) {
        if (timer_ec) return;
        if (auto session = weak.lock()) session->Pump();
      });
    }
    return;
  }
  stream_ended_ = true;
  if (stream_timer_) stream_timer_->cancel();
  asio::async_write(stream_, http::make_chunk_last(),
                    [self = shared_from_this()](boost::system::error_code, size_t) {
                      self->stream_body_.reset();
                      self->stream_keepalive_.reset();
                      self->Close();
                    });
}

void Session::Close() {
  if (state_ == State::kClosing) return;
  state_ = State::kClosing;
  beast::get_lowest_layer(stream_).expires_after(kCloseTimeout);
  stream_.async_shutdown(
      [self = shared_from_this()](boost::system::error_code) { self->Finish(); });
}

void Session::Finish() {
  if (finished_) return;
  finished_ = true;
  if (stream_timer_) stream_timer_->cancel();
  stream_body_.reset();
  // The last reference may be this one: release it once this call has returned.
  asio::post(*env_.loop, [keep = std::move(stream_keepalive_)] {});
  state_ = State::kClosing;
  beast::get_lowest_layer(stream_).close();
  env_.on_closed(id_);
}

}  // namespace kstack::server::internal
