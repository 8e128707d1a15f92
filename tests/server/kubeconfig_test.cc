#include "server/kubeconfig.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <sys/stat.h>

#include "core/yaml.h"
#include "server/internal/files.h"
#include "tests/testing/temp_dir.h"

namespace kstack::server {
namespace {

std::string DecodeBase64(std::string_view text) {
  std::string out(text.size(), '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(text.data()),
                          static_cast<int>(text.size()));
  if (n < 0) return "<invalid base64>";
  // EVP_DecodeBlock counts the bytes that padding stands for; drop them.
  size_t padding = 0;
  for (size_t i = text.size(); i > 0 && text[i - 1] == '='; --i) ++padding;
  out.resize(static_cast<size_t>(n) - padding);
  return out;
}

KubeconfigContent Content() {
  return {.cluster_name = "kstack",
          .server_url = "https://127.0.0.1:6443",
          .ca_cert_pem = "-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n",
          .user_name = "kstack-admin",
          .client_cert_pem = "-----BEGIN CERTIFICATE-----\nADMIN\n-----END CERTIFICATE-----\n",
          .client_key_pem = "-----BEGIN PRIVATE KEY-----\nKEY\n-----END PRIVATE KEY-----\n"};
}

struct stat StatOf(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st;
}

TEST(KubeconfigTest, HoldsOneClusterUserAndContextNamedAfterTheCluster) {
  kstack::testing::TempDir dir;
  std::string path = dir.path() + "/kubeconfig.yaml";
  ASSERT_TRUE(WriteKubeconfig(path, Content()).ok());
  Result<std::string> text = internal::ReadFileContents(path);
  ASSERT_TRUE(text.ok());
  Result<Json> config = ParseYaml(*text, path);
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  const Json& c = *config;
  EXPECT_EQ(FindString(c, "apiVersion"), "v1");
  EXPECT_EQ(FindString(c, "kind"), "Config");
  EXPECT_EQ(FindString(c, "current-context"), "kstack");

  const JsonArray* clusters = FindArray(c, "clusters");
  ASSERT_TRUE(clusters != nullptr && clusters->size() == 1);
  EXPECT_EQ(FindString((*clusters)[0], "name"), "kstack");
  const Json& cluster = *FindMember((*clusters)[0], "cluster");
  EXPECT_EQ(FindString(cluster, "server"), "https://127.0.0.1:6443");
  EXPECT_EQ(DecodeBase64(FindString(cluster, "certificate-authority-data")), Content().ca_cert_pem);

  const JsonArray* users = FindArray(c, "users");
  ASSERT_TRUE(users != nullptr && users->size() == 1);
  EXPECT_EQ(FindString((*users)[0], "name"), "kstack-admin");
  const Json& user = *FindMember((*users)[0], "user");
  EXPECT_EQ(DecodeBase64(FindString(user, "client-certificate-data")), Content().client_cert_pem);
  EXPECT_EQ(DecodeBase64(FindString(user, "client-key-data")), Content().client_key_pem);

  const JsonArray* contexts = FindArray(c, "contexts");
  ASSERT_TRUE(contexts != nullptr && contexts->size() == 1);
  EXPECT_EQ(FindString((*contexts)[0], "name"), "kstack");
  const Json& context = *FindMember((*contexts)[0], "context");
  EXPECT_EQ(FindString(context, "cluster"), "kstack");
  EXPECT_EQ(FindString(context, "user"), "kstack-admin");
}

TEST(KubeconfigTest, IsOwnerOnlyWhateverTheUmask) {
  kstack::testing::TempDir dir;
  std::string path = dir.path() + "/kubeconfig.yaml";
  mode_t old = ::umask(0);
  Status written = WriteKubeconfig(path, Content());
  ::umask(old);
  ASSERT_TRUE(written.ok()) << written.ToString();
  EXPECT_EQ(StatOf(path).st_mode & 07777, 0600u);
}

TEST(KubeconfigTest, SameContentLeavesTheFileUntouched) {
  kstack::testing::TempDir dir;
  std::string path = dir.path() + "/kubeconfig.yaml";
  ASSERT_TRUE(WriteKubeconfig(path, Content()).ok());
  ino_t inode = StatOf(path).st_ino;
  ASSERT_TRUE(WriteKubeconfig(path, Content()).ok());
  EXPECT_EQ(StatOf(path).st_ino, inode);  // not replaced by a rename

  KubeconfigContent moved = Content();
  moved.server_url = "https://127.0.0.1:7443";
  ASSERT_TRUE(WriteKubeconfig(path, moved).ok());
  Result<std::string> text = internal::ReadFileContents(path);
  ASSERT_TRUE(text.ok());
  EXPECT_NE(text->find("https://127.0.0.1:7443"), std::string::npos);
  EXPECT_EQ(StatOf(path).st_mode & 07777, 0600u);
}

TEST(KubeconfigTest, ModeIsRepairedEvenWhenContentIsTheSame) {
  kstack::testing::TempDir dir;
  std::string path = dir.path() + "/kubeconfig.yaml";
  ASSERT_TRUE(WriteKubeconfig(path, Content()).ok());
  ASSERT_EQ(::chmod(path.c_str(), 0644), 0);
  ASSERT_TRUE(WriteKubeconfig(path, Content()).ok());
  EXPECT_EQ(StatOf(path).st_mode & 07777, 0600u);
}

}  // namespace
}  // namespace kstack::server
