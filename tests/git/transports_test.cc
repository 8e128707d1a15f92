// Every transport against a real server on loopback: git daemon (git://), git http-backend
// (http:// and https://, with and without basic authentication) and sshd (ssh:// with keys).

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "git/internal/remote_update.h"
#include "git/repository_cache.h"
#include "git/url.h"
#include "tests/git/cache_fixture.h"

namespace kstack::git::testing {
namespace {

using ::testing::HasSubstr;

class TransportTest : public CacheTest {
 protected:
  void SetUp() override {
    CacheTest::SetUp();
    repo_ = std::make_unique<SourceRepo>(MakeStandardRepo("repo"));
  }

  // Resolves branch, tag and HEAD over `source`, reads a file, then sees a new commit.
  void ExpectWorks(const Source& source) {
    EXPECT_EQ(MustResolve(source, "dev"), dev_);
    EXPECT_EQ(MustResolve(source, "v1"), first_);
    EXPECT_EQ(MustResolve(source, "HEAD"), first_);
    auto text = cache_->ReadFile(source.url, dev_, "dev.yaml");
    ASSERT_TRUE(text.ok()) << text.status().ToString();
    EXPECT_EQ(*text, "kind: Dev\n");
    repo_->Write("apps/a.yaml", "kind: A2\n");
    std::string second = repo_->Commit("second");
    EXPECT_EQ(MustResolve(source, "main"), second);
    EXPECT_EQ(*cache_->ReadFile(source.url, second, "apps/a.yaml"), "kind: A2\n");
  }

  void ExpectError(const Source& source, Reason reason, std::string_view text) {
    auto r = cache_->Resolve(source, "main");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().reason(), reason) << r.status().ToString();
    EXPECT_THAT(r.status().message(), HasSubstr(std::string(text))) << r.status().ToString();
  }

  std::unique_ptr<SourceRepo> repo_;
};

TEST_F(TransportTest, GitDaemon) {
  GitDaemon daemon(sources_.path());
  ExpectWorks({.url = daemon.Url("repo")});
}

TEST_F(TransportTest, GitDaemonMissingRepository) {
  GitDaemon daemon(sources_.path());
  std::string url = daemon.Url("nope");
  ExpectError({.url = url}, Reason::kNotFound, url);
}

TEST_F(TransportTest, NobodyListening) {
  std::string url = "git://127.0.0.1:" + std::to_string(FreePort()) + "/repo";
  ExpectError({.url = url}, Reason::kUnavailable, url);
  url = "http://127.0.0.1:" + std::to_string(FreePort()) + "/repo";
  ExpectError({.url = url}, Reason::kUnavailable, url);
}

TEST_F(TransportTest, SmartHttp) {
  HttpGitServer server(sources_.path());
  ExpectWorks({.url = server.Url("repo")});
}

TEST_F(TransportTest, SmartHttpMissingRepository) {
  HttpGitServer server(sources_.path());
  std::string url = server.Url("nope");
  ExpectError({.url = url}, Reason::kNotFound, url);
}

TEST_F(TransportTest, SmartHttpWithUsernameAndPassword) {
  HttpGitServer server(sources_.path(), {.user = "alice", .password = "s3cret"});
  ExpectWorks(
      {.url = server.Url("repo"), .credentials = {.username = "alice", .password = "s3cret"}});
}

TEST_F(TransportTest, SmartHttpWithToken) {
  HttpGitServer server(sources_.path(), {.user = "git", .password = "token-123"});
  ExpectWorks({.url = server.Url("repo"), .credentials = {.password = "token-123"}});
}

TEST_F(TransportTest, SmartHttpRefusedCredentials) {
  HttpGitServer server(sources_.path(), {.user = "alice", .password = "s3cret"});
  std::string url = server.Url("repo");
  ExpectError({.url = url, .credentials = {.username = "alice", .password = "wrong"}},
              Reason::kUnauthorized, url);
  ExpectError({.url = url}, Reason::kUnauthorized, "no username and password");
}

TEST_F(TransportTest, HttpsChecksTheCertificate) {
  HttpGitServer server(sources_.path(), {.tls = true});
  std::string url = server.Url("repo");
  ExpectError({.url = url}, Reason::kUnavailable, "certificate");
  ExpectWorks({.url = url, .credentials = {.insecure = true}});
}

TEST_F(TransportTest, HttpsWithPassword) {
  HttpGitServer server(sources_.path(), {.user = "bob", .password = "pw", .tls = true});
  ExpectWorks({.url = server.Url("repo"),
               .credentials = {.username = "bob", .password = "pw", .insecure = true}});
}

class SshTest : public TransportTest {
 protected:
  void SetUp() override {
    TransportTest::SetUp();
    ssh_ = std::make_unique<SshServer>();
    ASSERT_TRUE(ssh_->ok()) << "sshd is missing (scripts/install-deps installs openssh-server)";
  }
  std::unique_ptr<SshServer> ssh_;
};

TEST_F(SshTest, PrivateKeyAndKnownHost) {
  ExpectWorks({.url = ssh_->Url(repo_->path()),
               .credentials = {.ssh_private_key = ssh_->client_key(),
                               .ssh_known_hosts = ssh_->known_hosts()}});
}

TEST_F(SshTest, InsecureSkipsTheHostKeyCheck) {
  EXPECT_EQ(MustResolve({.url = ssh_->Url(repo_->path()),
                         .credentials = {.ssh_private_key = ssh_->client_key(), .insecure = true}},
                        "dev"),
            dev_);
}

TEST_F(SshTest, UnknownHostKeyIsRefused) {
  std::string url = ssh_->Url(repo_->path());
  ExpectError({.url = url, .credentials = {.ssh_private_key = ssh_->client_key()}},
              Reason::kUnavailable, "host key");
  std::string other_port = ssh_->known_hosts();
  other_port.replace(other_port.find("]:"), 2, "]:1");
  ExpectError(
      {.url = url,
       .credentials = {.ssh_private_key = ssh_->client_key(), .ssh_known_hosts = other_port}},
      Reason::kUnavailable, "host key");
}

TEST_F(SshTest, MissingOrWrongKeyIsUnauthorized) {
  std::string url = ssh_->Url(repo_->path());
  ExpectError({.url = url, .credentials = {.ssh_known_hosts = ssh_->known_hosts()}},
              Reason::kUnauthorized, "no SSH private key");
  kstack::testing::TempDir other;
  RunCommand({"ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", other.path() + "/key"});
  ExpectError({.url = url,
               .credentials = {.ssh_private_key = ReadText(other.path() + "/key"),
                               .ssh_known_hosts = ssh_->known_hosts()}},
              Reason::kUnauthorized, "refused");
}

TEST_F(SshTest, MissingRepository) {
  std::string url = ssh_->Url(sources_.path() + "/nope");
  ExpectError({.url = url,
               .credentials = {.ssh_private_key = ssh_->client_key(),
                               .ssh_known_hosts = ssh_->known_hosts()}},
              Reason::kNotFound, url);
}

TEST(TransportSupportTest, SshWithoutLibssh2IsAnExplicitError) {
  auto url = ParseRepoUrl("git@example.com:org/repo.git");
  ASSERT_TRUE(url.ok());
  Status s = internal::CheckTransport(*url, /*features=*/0);
  EXPECT_EQ(s.reason(), Reason::kInvalid);
  EXPECT_THAT(s.message(), HasSubstr("ssh is not supported by this build"));
  EXPECT_THAT(s.message(), HasSubstr("git@example.com:org/repo.git"));
  EXPECT_TRUE(internal::CheckTransport(*url, GIT_FEATURE_SSH).ok());
  auto local = ParseRepoUrl("/tmp/x");
  EXPECT_TRUE(internal::CheckTransport(*local, 0).ok());
}

}  // namespace
}  // namespace kstack::git::testing
