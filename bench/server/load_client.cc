// A closed-loop HTTPS load client: N keep-alive HTTP/1.1 connections over TLS, each sending its
// next request as soon as the previous response has arrived, for a duration or a total count.
// Prints requests/s and latency quantiles; any non-2xx response or connection failure is an
// error, reported loudly with exit code 1, because figures of failed requests mean nothing.
//
//   load_client [options] https://HOST:PORT/PATH
//     --connections N   concurrent connections (16)
//     --duration S      seconds to run, after every connection has done its handshake (5)
//     --requests N      stop after N requests in total instead
//     --threads N       threads running the connections (1)
//     --cacert FILE     verify the server against this CA (otherwise no verification)
//     --cert FILE --key FILE   client certificate and key (PEM)
//     --body FILE       POST this body; each "{n}" in it becomes a number unique to the request
//                       (so that CREATE keeps creating new objects)
//     --first N         the first such number (0)
//     --content-type T  of the body (application/json)
//     --label TEXT      names the run in the output (the method and path)
//
// The last line of the output is the figures as key=value pairs, for scripts:
//   requests=N errors=N reconnects=N seconds=S rps=R p50_ms=A p99_ms=B max_ms=C

#include <algorithm>
#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <functional>
#include <iostream>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace asio = boost::asio;
namespace ssl = asio::ssl;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;
using Clock = std::chrono::steady_clock;

// Bounds every step, so that a stalled server ends the run with an error instead of a hang.
constexpr std::chrono::seconds kStepTimeout{30};

struct Options {
  std::string authority;  // host:port as the URL wrote it, for the Host header
  std::string host;
  std::string port;
  std::string target;
  int connections = 16;
  double duration_s = 5;
  int64_t requests = 0;  // 0: run for duration_s instead
  int threads = 1;
  std::string cacert;
  std::string cert;
  std::string key;
  std::string body_file;
  uint64_t first = 0;
  std::string content_type = "application/json";
  std::string label;
};

[[noreturn]] void Usage(const std::string& problem) {
  std::cerr << "load_client: " << problem << "\n"
            << "usage: load_client [--connections N] [--duration S | --requests N] "
               "[--threads N] [--cacert F] [--cert F --key F] [--body F [--first N] "
               "[--content-type T]] [--label TEXT] https://HOST:PORT/PATH\n";
  std::exit(2);
}

template <typename T>
T Number(const std::string& flag, const std::string& text) {
  T value{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    Usage(flag + " wants a number, not \"" + text + "\"");
  }
  return value;
}

// https://host:port/path, where host may be a bracketed IPv6 literal.
void ParseUrl(const std::string& url, Options& o) {
  const std::string scheme = "https://";
  if (!url.starts_with(scheme)) Usage("the URL must start with https://");
  std::string rest = url.substr(scheme.size());
  size_t slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  o.authority = authority;
  o.target = slash == std::string::npos ? "/" : rest.substr(slash);
  size_t colon = authority.rfind(':');
  if (colon == std::string::npos || authority.find(']', colon) != std::string::npos) {
    Usage("the URL must name a port");
  }
  o.host = authority.substr(0, colon);
  o.port = authority.substr(colon + 1);
  if (o.host.starts_with('[') && o.host.ends_with(']')) {
    o.host = o.host.substr(1, o.host.size() - 2);
  }
}

Options ParseArgs(int argc, char** argv) {
  Options o;
  std::string url;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) Usage(arg + " wants a value");
      return argv[++i];
    };
    if (arg == "--connections") {
      o.connections = Number<int>(arg, value());
    } else if (arg == "--duration") {
      o.duration_s = Number<double>(arg, value());
    } else if (arg == "--requests") {
      o.requests = Number<int64_t>(arg, value());
    } else if (arg == "--threads") {
      o.threads = Number<int>(arg, value());
    } else if (arg == "--cacert") {
      o.cacert = value();
    } else if (arg == "--cert") {
      o.cert = value();
    } else if (arg == "--key") {
      o.key = value();
    } else if (arg == "--body") {
      o.body_file = value();
    } else if (arg == "--first") {
      o.first = Number<uint64_t>(arg, value());
    } else if (arg == "--content-type") {
      o.content_type = value();
    } else if (arg == "--label") {
      o.label = value();
    } else if (arg.starts_with("--")) {
      Usage("unknown option " + arg);
    } else if (url.empty()) {
      url = arg;
    } else {
      Usage("one URL only");
    }
  }
  if (url.empty()) Usage("no URL");
  ParseUrl(url, o);
  if (o.connections < 1 || o.threads < 1) Usage("--connections and --threads must be at least 1");
  if (o.requests < 0 || (o.requests == 0 && o.duration_s <= 0)) {
    Usage("--duration and --requests must be positive");
  }
  if (o.cert.empty() != o.key.empty()) Usage("--cert and --key go together");
  if (o.label.empty()) o.label = (o.body_file.empty() ? "GET " : "POST ") + o.target;
  return o;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "load_client: cannot read " << path << "\n";
    std::exit(2);
  }
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// The body with each "{n}" replaced by a number; split once so that each request only joins.
class BodyTemplate {
 public:
  explicit BodyTemplate(const std::string& text) {
    size_t start = 0;
    for (size_t at = text.find("{n}"); at != std::string::npos; at = text.find("{n}", start)) {
      parts_.push_back(text.substr(start, at - start));
      start = at + 3;
    }
    parts_.push_back(text.substr(start));
  }

  std::string Render(uint64_t n) const {
    std::string number = std::to_string(n);
    std::string out = parts_.front();
    for (size_t i = 1; i < parts_.size(); ++i) {
      out += number;
      out += parts_[i];
    }
    return out;
  }

 private:
  std::vector<std::string> parts_;
};

// State shared by all connections; the counters are atomic because connections may run on
// several threads.
struct Run {
  const Options* options = nullptr;
  std::optional<BodyTemplate> body;
  tcp::resolver::results_type endpoints;
  ssl::context* tls = nullptr;
  std::atomic<uint64_t> next_number{0};
  std::atomic<int64_t> remaining{0};  // requests left to claim (count mode)
  Clock::time_point deadline;         // duration mode
  std::atomic<int64_t> errors{0};
  std::atomic<int64_t> reconnects{0};
  std::atomic<int> ready{0};
  std::atomic<int> open{0};
  std::mutex mutex;  // guards what follows
  std::string first_error;
  Clock::time_point start;
  Clock::time_point end;

  void Error(const std::string& what) {
    errors.fetch_add(1);
    std::lock_guard lock(mutex);
    if (first_error.empty()) first_error = what;
  }
};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(asio::io_context& io, Run& run, std::function<void()> on_ready)
      : io_(io), run_(run), on_ready_(std::move(on_ready)) {}

  // Connects and handshakes, then calls on_ready; Go() starts the requests.
  void Open() {
    stream_.emplace(asio::make_strand(io_), *run_.tls);
    const Options& o = *run_.options;
    if (!o.cacert.empty()) stream_->set_verify_callback(ssl::host_name_verification(o.host));
    // SNI, for servers that pick a certificate by name; not sent for IP literals.
    boost::system::error_code ec;
    asio::ip::make_address(o.host, ec);
    if (ec) SSL_set_tlsext_host_name(stream_->native_handle(), o.host.c_str());
    Lowest().expires_after(kStepTimeout);
    Lowest().async_connect(
        run_.endpoints, [self = shared_from_this()](boost::system::error_code ec, tcp::endpoint) {
          self->OnConnected(ec);
        });
  }

  void Go() {
    asio::post(stream_->get_executor(), [self = shared_from_this()] { self->Send(); });
  }

  std::vector<uint32_t>& latencies_us() { return latencies_us_; }

 private:
  beast::tcp_stream& Lowest() { return beast::get_lowest_layer(*stream_); }

  void OnConnected(boost::system::error_code ec) {
    if (ec) return Fail("connect: " + ec.message());
    Lowest().expires_after(kStepTimeout);
    stream_->async_handshake(
        ssl::stream_base::client,
        [self = shared_from_this()](boost::system::error_code ec) { self->OnHandshake(ec); });
  }

  void OnHandshake(boost::system::error_code ec) {
    if (ec) return Fail("TLS handshake: " + ec.message());
    if (!on_ready_) return Send();  // a reconnect: carry on
    auto ready = std::move(on_ready_);
    on_ready_ = nullptr;
    ready();
  }

  bool Claim() {
    if (run_.options->requests > 0) return run_.remaining.fetch_sub(1) > 0;
    return Clock::now() < run_.deadline;
  }

  void Send() {
    if (done_) return;
    if (!Claim()) return Done();
    const Options& o = *run_.options;
    request_ = {};
    request_.version(11);
    request_.target(o.target);
    request_.set(http::field::host, o.authority);
    request_.set(http::field::user_agent, "kstack-load-client");
    request_.set(http::field::accept, "application/json");
    request_.keep_alive(true);
    if (run_.body) {
      request_.method(http::verb::post);
      request_.set(http::field::content_type, o.content_type);
      request_.body() = run_.body->Render(run_.next_number.fetch_add(1));
    } else {
      request_.method(http::verb::get);
    }
    request_.prepare_payload();
    sent_ = Clock::now();
    Lowest().expires_after(kStepTimeout);
    http::async_write(*stream_, request_,
                      [self = shared_from_this()](boost::system::error_code ec, size_t) {
                        if (ec) return self->Fail("write: " + ec.message());
                        self->Receive();
                      });
  }

  void Receive() {
    parser_.emplace();
    parser_->body_limit(std::numeric_limits<uint64_t>::max());
    http::async_read(*stream_, buffer_, *parser_,
                     [self = shared_from_this()](boost::system::error_code ec, size_t) {
                       if (ec) return self->Fail("read: " + ec.message());
                       self->OnResponse();
                     });
  }

  void OnResponse() {
    auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - sent_);
    latencies_us_.push_back(static_cast<uint32_t>(elapsed.count()));
    const auto& response = parser_->get();
    unsigned code = response.result_int();
    if (code < 200 || code > 299) {
      run_.Error(std::to_string(code) + " " + std::string(response.reason()) + ": " +
                 response.body().substr(0, 300));
    }
    if (response.keep_alive()) return Send();
    // The server ended the connection (some cap the requests per connection): open another.
    run_.reconnects.fetch_add(1);
    beast::error_code ignored;
    Lowest().socket().shutdown(tcp::socket::shutdown_both, ignored);
    Lowest().close();
    buffer_.clear();
    // Replaces the stream once this handler, which its operation still runs, has returned.
    asio::post(io_, [self = shared_from_this()] { self->Open(); });
  }

  void Fail(const std::string& what) {
    run_.Error(what);
    Lowest().close();
    Done();
  }

  // Closes without waiting for the server's close_notify: the figures are taken already.
  void Done() {
    if (done_) return;
    done_ = true;
    Lowest().close();
    if (on_ready_) {  // failed before it was ready: count it as ready so the run can start
      auto ready = std::move(on_ready_);
      on_ready_ = nullptr;
      ready();
    }
    if (run_.open.fetch_sub(1) == 1) {
      std::lock_guard lock(run_.mutex);
      run_.end = Clock::now();
    }
  }

  asio::io_context& io_;
  Run& run_;
  std::function<void()> on_ready_;
  std::optional<beast::ssl_stream<beast::tcp_stream>> stream_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> request_;
  std::optional<http::response_parser<http::string_body>> parser_;
  Clock::time_point sent_;
  std::vector<uint32_t> latencies_us_;
  bool done_ = false;
};

double Quantile(const std::vector<uint32_t>& sorted, double q) {
  if (sorted.empty()) return 0;
  size_t index = static_cast<size_t>(q * static_cast<double>(sorted.size() - 1) + 0.5);
  return sorted[std::min(index, sorted.size() - 1)] / 1000.0;
}

}  // namespace

int main(int argc, char** argv) {
  Options options = ParseArgs(argc, argv);
  Run run;
  run.options = &options;
  run.next_number = options.first;
  run.remaining = options.requests;
  if (!options.body_file.empty()) run.body.emplace(ReadFile(options.body_file));

  ssl::context tls(ssl::context::tls_client);
  try {
    if (!options.cacert.empty()) {
      tls.load_verify_file(options.cacert);
      tls.set_verify_mode(ssl::verify_peer);
    } else {
      tls.set_verify_mode(ssl::verify_none);
    }
    if (!options.cert.empty()) {
      tls.use_certificate_chain_file(options.cert);
      tls.use_private_key_file(options.key, ssl::context::pem);
    }
  } catch (const boost::system::system_error& e) {
    std::cerr << "load_client: TLS setup: " << e.what() << "\n";
    return 2;
  }
  run.tls = &tls;

  asio::io_context io(options.threads);
  try {
    tcp::resolver resolver(io);
    run.endpoints = resolver.resolve(options.host, options.port);
  } catch (const boost::system::system_error& e) {
    std::cerr << "load_client: cannot resolve " << options.host << ": " << e.what() << "\n";
    return 2;
  }

  // The clock starts once every connection is ready, so handshakes are not in the figures.
  std::vector<std::shared_ptr<Connection>> connections;
  run.open = options.connections;
  auto on_ready = [&] {
    if (run.ready.fetch_add(1) + 1 != options.connections) return;
    {
      std::lock_guard lock(run.mutex);
      run.start = Clock::now();
      run.deadline = run.start + std::chrono::duration_cast<Clock::duration>(
                                     std::chrono::duration<double>(options.duration_s));
    }
    for (auto& c : connections) c->Go();
  };
  for (int i = 0; i < options.connections; ++i) {
    connections.push_back(std::make_shared<Connection>(io, run, on_ready));
  }
  for (auto& c : connections) c->Open();
  std::vector<std::thread> threads;
  for (int i = 1; i < options.threads; ++i) threads.emplace_back([&io] { io.run(); });
  io.run();
  for (auto& t : threads) t.join();

  std::vector<uint32_t> all;
  for (auto& c : connections) {
    all.insert(all.end(), c->latencies_us().begin(), c->latencies_us().end());
  }
  std::sort(all.begin(), all.end());
  double seconds = std::chrono::duration<double>(run.end - run.start).count();
  double rps = seconds > 0 ? static_cast<double>(all.size()) / seconds : 0;
  int64_t errors = run.errors.load();
  std::printf("%s: %d connections, %d thread(s)\n", options.label.c_str(), options.connections,
              options.threads);
  if (errors > 0) {
    std::fprintf(stderr,
                 "load_client: ERRORS: %lld failed request(s) or connection(s); first: %s\n",
                 static_cast<long long>(errors), run.first_error.c_str());
  }
  std::printf(
      "requests=%zu errors=%lld reconnects=%lld seconds=%.3f rps=%.1f "
      "p50_ms=%.3f p99_ms=%.3f max_ms=%.3f\n",
      all.size(), static_cast<long long>(errors), static_cast<long long>(run.reconnects.load()),
      seconds, rps, Quantile(all, 0.50), Quantile(all, 0.99),
      all.empty() ? 0.0 : all.back() / 1000.0);
  return errors > 0 ? 1 : 0;
}
