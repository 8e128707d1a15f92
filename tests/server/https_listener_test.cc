// The HTTPS listener with a handler of the test's own, driven by curl: identity from the client
// certificate, and a graceful shutdown that finishes the request in flight.

#include "server/internal/https_listener.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include "server/certificates.h"
#include "tests/testing/temp_dir.h"

namespace kstack::server::internal {
namespace {

using std::chrono::milliseconds;

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class HttpsListenerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<ClusterCertificates> certs =
        LoadOrCreateCertificates({.dir = pki(), .serving_hosts = ServingHosts("127.0.0.1")});
    ASSERT_TRUE(certs.ok()) << certs.status().ToString();
    certs_ = *certs;
  }

  std::string pki() const { return dir_.path() + "/pki"; }

  Result<std::unique_ptr<HttpsListener>> Start(std::function<Response(const Request&)> handler) {
    return HttpsListener::Start({.address = "127.0.0.1",
                                 .port = 0,
                                 .tls = {.cert_pem = certs_.serving.cert,
                                         .key_pem = certs_.serving.key,
                                         .client_ca_pem = certs_.ca.cert},
                                 .worker_threads = 2,
                                 .shutdown_grace = milliseconds(5000),
                                 .handler = std::move(handler)});
  }

  // curl with the admin certificate; the body goes to `out`; returns curl's exit status.
  int Curl(uint16_t port, const std::string& path, const std::string& out) {
    std::string command = "curl -s --max-time 10 --cacert " + pki() + "/ca.crt --cert " + pki() +
                          "/admin.crt --key " + pki() + "/admin.key -o " + out +
                          " https://127.0.0.1:" + std::to_string(port) + path;
    return std::system(command.c_str());
  }

  kstack::testing::TempDir dir_;
  ClusterCertificates certs_;
};

TEST_F(HttpsListenerTest, HandlerSeesTheClientCertificateIdentity) {
  std::mutex mu;
  Identity seen;
  auto listener = Start([&](const Request& request) {
    std::lock_guard lock(mu);
    seen = request.identity;
    return Response{.code = 200, .content_type = "text/plain", .body = "hello"};
  });
  ASSERT_TRUE(listener.ok()) << listener.status().ToString();
  std::string out = dir_.path() + "/out";
  ASSERT_EQ(Curl((*listener)->port(), "/", out), 0);
  EXPECT_EQ(ReadAll(out), "hello");
  std::lock_guard lock(mu);
  EXPECT_TRUE(seen.authenticated);
  EXPECT_EQ(seen.user, "kstack-admin");
  EXPECT_EQ(seen.groups, std::vector<std::string>{"system:masters"});
}

TEST_F(HttpsListenerTest, ShutdownFinishesTheRequestInFlightAndStopsAccepting) {
  std::atomic<bool> started{false};
  auto listener = Start([&](const Request&) {
    started = true;
    std::this_thread::sleep_for(milliseconds(500));
    return Response{.code = 200, .content_type = "text/plain", .body = "done"};
  });
  ASSERT_TRUE(listener.ok()) << listener.status().ToString();
  uint16_t port = (*listener)->port();
  std::string out = dir_.path() + "/slow";
  int curl_status = -1;
  std::thread client([&] { curl_status = Curl(port, "/slow", out); });
  while (!started) {
    std::this_thread::sleep_for(milliseconds(1));
  }
  (*listener)->Shutdown();
  // Not accepting any more, while the slow request is still being handled.
  EXPECT_NE(Curl(port, "/", dir_.path() + "/late"), 0);
  (*listener)->Wait();
  client.join();
  EXPECT_EQ(curl_status, 0);
  EXPECT_EQ(ReadAll(out), "done");
}

}  // namespace
}  // namespace kstack::server::internal
