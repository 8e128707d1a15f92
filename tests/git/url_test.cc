// Repository URLs: transports and the identity that picks a cache entry.

#include "git/url.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace kstack::git {
namespace {

TEST(UrlTest, Transports) {
  EXPECT_EQ(ParseRepoUrl("/srv/repo")->transport, Transport::kLocal);
  EXPECT_EQ(ParseRepoUrl("file:///srv/repo")->transport, Transport::kLocal);
  EXPECT_EQ(ParseRepoUrl("git://host/repo")->transport, Transport::kGit);
  EXPECT_EQ(ParseRepoUrl("http://host/repo")->transport, Transport::kHttp);
  EXPECT_EQ(ParseRepoUrl("https://host/repo")->transport, Transport::kHttps);
  EXPECT_EQ(ParseRepoUrl("ssh://git@host/repo")->transport, Transport::kSsh);
  EXPECT_EQ(ParseRepoUrl("git@github.com:org/repo.git")->transport, Transport::kSsh);
}

TEST(UrlTest, Normalized) {
  EXPECT_EQ(NormalizeRepoUrl("https://GitHub.com/Org/Repo.git/"), "https://github.com/Org/Repo");
  EXPECT_EQ(NormalizeRepoUrl("https://user:pw@github.com:443/org/repo"),
            "https://github.com/org/repo");
  EXPECT_EQ(NormalizeRepoUrl("git@github.com:org/repo.git"), "ssh://git@github.com/org/repo");
  EXPECT_EQ(NormalizeRepoUrl("ssh://git@github.com:22/org/repo"), "ssh://git@github.com/org/repo");
  EXPECT_EQ(NormalizeRepoUrl("ssh://git@host:2222/org/repo"), "ssh://git@host:2222/org/repo");
  EXPECT_EQ(NormalizeRepoUrl("git://127.0.0.1:9418/x"), "git://127.0.0.1/x");
  EXPECT_EQ(NormalizeRepoUrl("file:///srv/a/../repo.git"), "file:///srv/repo");
  EXPECT_EQ(NormalizeRepoUrl("/srv/repo/"), "file:///srv/repo");
  EXPECT_EQ(NormalizeRepoUrl("file://localhost/srv/repo"), "file:///srv/repo");
}

TEST(UrlTest, RelativePathsBecomeAbsolute) {
  auto url = ParseRepoUrl("some/repo");
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url->fetch_url, (std::filesystem::current_path() / "some/repo").string());
}

TEST(UrlTest, HostPortAndUser) {
  auto url = ParseRepoUrl("ssh://deploy@Example.COM:2222/x");
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url->host, "example.com");
  EXPECT_EQ(url->port, 2222);
  EXPECT_EQ(url->user, "deploy");
  EXPECT_EQ(ParseRepoUrl("ssh://[::1]:2200/x")->port, 2200);
  EXPECT_EQ(ParseRepoUrl("ssh://[::1]:2200/x")->host, "[::1]");
}

TEST(UrlTest, PasswordsAreNotShown) {
  auto url = ParseRepoUrl("https://user:hunter2@host/repo");
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url->display, "https://user:***@host/repo");
  EXPECT_EQ(url->fetch_url, "https://user:hunter2@host/repo");
}

TEST(UrlTest, Invalid) {
  for (const char* bad : {"", "ftp://host/x", "https:///x", "https://host:0/x", "https://host:x/x",
                          "git://host:/x", "file://otherhost/x", "file://"}) {
    auto url = ParseRepoUrl(bad);
    ASSERT_FALSE(url.ok()) << bad;
    EXPECT_EQ(url.status().reason(), Reason::kInvalid) << bad;
  }
}

}  // namespace
}  // namespace kstack::git
