#pragma once

// One HTTPS connection: TLS handshake, then HTTP/1.1 requests with keep-alive. Every step is
// asynchronous on the listener's event loop; the handler of a request runs on the worker pool
// (so that a slow request never stalls the loop) and its response is written back on the loop.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>

#include "server/internal/request.h"

namespace kstack::server::internal {

// What sessions share, owned by the listener, which outlives them.
struct SessionEnvironment {
  // The event loop every session step runs on.
  boost::asio::io_context* loop = nullptr;
  boost::asio::ssl::context* tls = nullptr;
  boost::asio::thread_pool* workers = nullptr;
  // Answers a request; runs on a worker thread, so it must be thread-safe.
  std::function<Response(const Request&)> handler;
  // Called on the event loop once a session has ended.
  std::function<void(uint64_t id)> on_closed;
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  // Requests with a larger body get 413 (Kubernetes' limit is 3 MiB).
  static constexpr uint64_t kMaxBodyBytes = 3 * 1024 * 1024;

  Session(uint64_t id, boost::asio::ip::tcp::socket socket, SessionEnvironment& env);

  uint64_t id() const { return id_; }
  // Starts the handshake. Call on the event loop, once.
  void Start();
  // Ends the session gracefully: a request in progress is answered (with Connection: close),
  // an idle or handshaking connection is closed. Call on the event loop.
  void Stop();
  // Closes the connection at once, whatever it is doing. Call on the event loop.
  void ForceClose();

 private:
  enum class State { kHandshake, kReading, kHandling, kWriting, kClosing };

  void OnHandshake(boost::system::error_code ec);
  void ReadRequest();
  void OnRead(boost::system::error_code ec);
  void Dispatch(Request request);
  void Write(Response response);
  void OnWrite(boost::system::error_code ec);
  // Streamed responses: the header, then chunks as the stream has them, then the last chunk.
  void WriteStream(Response response);
  void Pump();
  // Sends close_notify (bounded in time), then closes.
  void Close();
  void Finish();

  uint64_t id_;
  SessionEnvironment& env_;
  boost::beast::ssl_stream<boost::beast::tcp_stream> stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  boost::beast::http::response<boost::beast::http::string_body> response_;
  std::shared_ptr<ResponseStream> stream_body_;
  std::shared_ptr<Session> stream_keepalive_;
  std::string chunk_;
  bool chunk_in_flight_ = false;
  bool stream_ended_ = false;
  std::optional<boost::asio::steady_timer> stream_timer_;
  Identity identity_;
  State state_ = State::kHandshake;
  bool keep_alive_ = true;
  bool head_request_ = false;
  bool stopping_ = false;
  bool finished_ = false;
};

}  // namespace kstack::server::internal
