#include "kube/internal/server_url.h"

#include <gtest/gtest.h>

namespace kstack::kube::internal {
namespace {

TEST(ServerUrlTest, HostPortAndPrefix) {
  Result<ServerUrl> url = ParseServerUrl("https://10.0.0.1:6443");
  ASSERT_TRUE(url.ok()) << url.status().ToString();
  EXPECT_TRUE(url->tls);
  EXPECT_EQ(url->host, "10.0.0.1");
  EXPECT_EQ(url->port, "6443");
  EXPECT_EQ(url->prefix, "");
  EXPECT_EQ(url->authority, "10.0.0.1:6443");

  url = ParseServerUrl("https://rancher.example/k8s/clusters/c-1/");
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url->host, "rancher.example");
  EXPECT_EQ(url->port, "443");
  EXPECT_EQ(url->prefix, "/k8s/clusters/c-1");

  url = ParseServerUrl("http://[::1]:8080");
  ASSERT_TRUE(url.ok());
  EXPECT_FALSE(url->tls);
  EXPECT_EQ(url->host, "::1");
  EXPECT_EQ(url->port, "8080");
  EXPECT_EQ(url->authority, "[::1]:8080");

  url = ParseServerUrl("http://localhost");
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url->port, "80");
}

TEST(ServerUrlTest, RefusesWhatIsNotAnHttpUrlNamingIt) {
  for (const char* bad : {"ftp://h", "h:6443", "https://", "https://:443", "https://h:port",
                          "https://[::1", "https://[::1]x"}) {
    Result<ServerUrl> url = ParseServerUrl(bad);
    ASSERT_FALSE(url.ok()) << bad;
    EXPECT_EQ(url.status().reason(), Reason::kInvalid);
    EXPECT_NE(url.status().message().find(std::string("server: ") + bad), std::string::npos)
        << url.status().message();
  }
}

}  // namespace
}  // namespace kstack::kube::internal
