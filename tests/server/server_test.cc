// The server in-process: start, state in the data directory, restart, exclusive use.

#include "server/server.h"

#include <gtest/gtest.h>

#include "server/internal/files.h"
#include "tests/testing/temp_dir.h"

namespace kstack::server {
namespace {

std::string Read(const std::string& path) {
  Result<std::string> text = internal::ReadFileContents(path);
  EXPECT_TRUE(text.ok()) << text.status().ToString();
  return text.ok() ? *text : std::string();
}

ServerOptions Options(const std::string& dir) {
  return {.data_dir = dir, .port = 0, .worker_threads = 1};
}

TEST(ServerTest, StartsOnAFreePortAndWritesTheKubeconfig) {
  kstack::testing::TempDir dir;
  Result<std::unique_ptr<Server>> server = Server::Start(Options(dir.path()));
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  EXPECT_NE((*server)->port(), 0);
  EXPECT_EQ((*server)->url(), "https://127.0.0.1:" + std::to_string((*server)->port()));
  EXPECT_EQ((*server)->kubeconfig_path(), dir.path() + "/kubeconfig.yaml");
  EXPECT_NE(Read((*server)->kubeconfig_path()).find((*server)->url()), std::string::npos);
  (*server)->Shutdown();
  (*server)->Wait();
}

TEST(ServerTest, RestartOnTheSameDirectoryReusesCertificatesAndKubeconfig) {
  kstack::testing::TempDir dir;
  std::string kubeconfig, ca, serving;
  uint16_t port = 0;
  {
    Result<std::unique_ptr<Server>> first = Server::Start(Options(dir.path()));
    ASSERT_TRUE(first.ok()) << first.status().ToString();
    port = (*first)->port();
    kubeconfig = Read((*first)->kubeconfig_path());
    ca = Read(dir.path() + "/pki/ca.crt");
    serving = Read(dir.path() + "/pki/server.crt");
  }
  ServerOptions again = Options(dir.path());
  again.port = port;
  Result<std::unique_ptr<Server>> second = Server::Start(again);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(Read((*second)->kubeconfig_path()), kubeconfig);
  EXPECT_EQ(Read(dir.path() + "/pki/ca.crt"), ca);
  EXPECT_EQ(Read(dir.path() + "/pki/server.crt"), serving);
}

TEST(ServerTest, SecondServerOnTheSameDirectoryIsRefused) {
  kstack::testing::TempDir dir;
  Result<std::unique_ptr<Server>> first = Server::Start(Options(dir.path()));
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  Result<std::unique_ptr<Server>> second = Server::Start(Options(dir.path()));
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().reason(), Reason::kUnavailable) << second.status().ToString();
}

TEST(ServerTest, PortInUseIsUnavailable) {
  kstack::testing::TempDir dir1, dir2;
  Result<std::unique_ptr<Server>> first = Server::Start(Options(dir1.path()));
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ServerOptions clash = Options(dir2.path());
  clash.port = (*first)->port();
  Result<std::unique_ptr<Server>> second = Server::Start(clash);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().reason(), Reason::kUnavailable);
  EXPECT_NE(second.status().message().find(std::to_string(clash.port)), std::string::npos)
      << second.status().message();
}

TEST(ServerTest, MissingDataDirIsInvalid) {
  Result<std::unique_ptr<Server>> server = Server::Start({.data_dir = "", .port = 0});
  ASSERT_FALSE(server.ok());
  EXPECT_EQ(server.status().reason(), Reason::kInvalid);
}

}  // namespace
}  // namespace kstack::server
