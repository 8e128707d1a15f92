#include "kube/kubeconfig.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "core/base64.h"
#include "core/json.h"
#include "kube/cluster_secret.h"
#include "tests/testing/temp_dir.h"

namespace kstack::kube {
namespace {

namespace fs = std::filesystem;

class KubeconfigTest : public ::testing::Test {
 protected:
  std::string Write(const std::string& name, const std::string& text) {
    fs::path p = fs::path(dir_.path()) / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
    return p.string();
  }
  testing::TempDir dir_;
};

constexpr char kTwoContexts[] = R"(apiVersion: v1
kind: Config
current-context: dev
clusters:
- name: dev-cluster
  cluster:
    server: https://127.0.0.1:6443
    certificate-authority: pki/ca.crt
- name: prod-cluster
  cluster:
    server: https://prod.example:443
    certificate-authority-data: Q0EtUEVN
    tls-server-name: api.prod.example
users:
- name: dev-user
  user:
    client-certificate: pki/client.crt
    client-key: /abs/never-read.key
    client-key-data: S0VZ
- name: prod-user
  user:
    tokenFile: token
contexts:
- name: dev
  context: {cluster: dev-cluster, user: dev-user, namespace: team-a}
- name: prod
  context: {cluster: prod-cluster, user: prod-user}
)";

TEST_F(KubeconfigTest, CurrentContextWithFilesRelativeToTheKubeconfigFolder) {
  Write("conf/pki/ca.crt", "CA-FILE");
  Write("conf/pki/client.crt", "CERT-FILE");
  std::string path = Write("conf/kubeconfig", kTwoContexts);
  Result<Kubeconfig> k = LoadKubeconfig(path);
  ASSERT_TRUE(k.ok()) << k.status().ToString();
  EXPECT_EQ(k->context, "dev");
  EXPECT_EQ(k->cluster, "dev-cluster");
  EXPECT_EQ(k->user, "dev-user");
  EXPECT_EQ(k->namespace_name, "team-a");
  EXPECT_EQ(k->config.server, "https://127.0.0.1:6443");
  EXPECT_EQ(k->config.ca_pem, "CA-FILE");
  EXPECT_EQ(k->config.client_cert_pem, "CERT-FILE");
  // client-key-data wins over client-key, whose file is never read.
  EXPECT_EQ(k->config.client_key_pem, "KEY");
  EXPECT_TRUE(k->config.bearer_token.empty());
  EXPECT_FALSE(k->config.insecure_skip_tls_verify);
}

TEST_F(KubeconfigTest, ExplicitContextWithTokenFileAndEmbeddedCa) {
  Write("conf/token", "  secret-token\n");
  std::string path = Write("conf/kubeconfig", kTwoContexts);
  Result<Kubeconfig> k = LoadKubeconfig(path, {.context = "prod"});
  ASSERT_TRUE(k.ok()) << k.status().ToString();
  EXPECT_EQ(k->config.server, "https://prod.example:443");
  EXPECT_EQ(k->config.ca_pem, "CA-PEM");
  EXPECT_EQ(k->config.tls_server_name, "api.prod.example");
  EXPECT_EQ(k->config.bearer_token, "secret-token");
  EXPECT_EQ(k->namespace_name, "default");
  EXPECT_TRUE(k->config.client_cert_pem.empty());
}

TEST_F(KubeconfigTest, TokenWinsOverTokenFileAndInsecureIsRead) {
  std::string path = Write("k", R"(
clusters: [{name: c, cluster: {server: "https://h", insecure-skip-tls-verify: true}}]
users: [{name: u, user: {token: abc, tokenFile: /does/not/exist}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
)");
  Result<Kubeconfig> k = LoadKubeconfig(path);
  ASSERT_TRUE(k.ok()) << k.status().ToString();
  EXPECT_EQ(k->config.bearer_token, "abc");
  EXPECT_TRUE(k->config.insecure_skip_tls_verify);
}

TEST_F(KubeconfigTest, KubeconfigVariableMergesFilesFirstWins) {
  std::string a = Write("a", R"(
clusters: [{name: c, cluster: {server: "https://first"}}]
contexts: [{name: x, context: {cluster: c}}]
)");
  std::string b = Write("b", R"(
current-context: x
clusters: [{name: c, cluster: {server: "https://second"}}]
)");
  std::string missing = (fs::path(dir_.path()) / "missing").string();
  const char* saved = getenv("KUBECONFIG");
  std::string saved_value = saved ? saved : "";
  setenv("KUBECONFIG", (a + ":" + missing + ":" + b).c_str(), 1);
  Result<Kubeconfig> k = LoadKubeconfig("");
  if (saved) {
    setenv("KUBECONFIG", saved_value.c_str(), 1);
  } else {
    unsetenv("KUBECONFIG");
  }
  ASSERT_TRUE(k.ok()) << k.status().ToString();
  EXPECT_EQ(k->context, "x");
  EXPECT_EQ(k->config.server, "https://first");
}

struct BadCase {
  const char* text;
  const char* context;
  const char* want;  // a part of the message
};

class KubeconfigErrorTest : public KubeconfigTest, public ::testing::WithParamInterface<BadCase> {};

TEST_P(KubeconfigErrorTest, NamesTheFileAndTheField) {
  std::string path = Write("bad.yaml", GetParam().text);
  Result<Kubeconfig> k = LoadKubeconfig(path, {.context = GetParam().context});
  ASSERT_FALSE(k.ok());
  EXPECT_EQ(k.status().reason(), Reason::kInvalid) << k.status().ToString();
  EXPECT_NE(k.status().message().find(path), std::string::npos) << k.status().message();
  EXPECT_NE(k.status().message().find(GetParam().want), std::string::npos) << k.status().message();
}

INSTANTIATE_TEST_SUITE_P(
    Cases, KubeconfigErrorTest,
    ::testing::Values(
        BadCase{"clusters: []\n", "", "current-context: not set"},
        BadCase{"current-context: nope\n", "", "context \"nope\" not found"},
        BadCase{"contexts: [{name: x, context: {cluster: c}}]\n", "x",
                "contexts[name=\"x\"].context.cluster: cluster \"c\" not found"},
        BadCase{"contexts: [{name: x, context: {user: u}}]\n", "x",
                "contexts[name=\"x\"].context.cluster: required"},
        BadCase{"clusters: [{name: c, cluster: {}}]\n"
                "contexts: [{name: x, context: {cluster: c}}]\n",
                "x", "clusters[name=\"c\"].cluster.server: required"},
        BadCase{"clusters: [{name: c, cluster: {server: 'https://h'}}]\n"
                "users: [{name: u, user: {tokenFile: nothere}}]\n"
                "contexts: [{name: x, context: {cluster: c, user: u}}]\n",
                "x", "users[name=\"u\"].user.tokenFile: cannot read"},
        BadCase{"clusters: [{name: c, cluster: {server: 'https://h'}}]\n"
                "users: [{name: u, user: {client-certificate-data: QQ==}}]\n"
                "contexts: [{name: x, context: {cluster: c, user: u}}]\n",
                "x", "client-key: required with client-certificate"},
        BadCase{"clusters: [{name: c, cluster: {server: 'https://h'}}]\n"
                "users: [{name: u, user: {exec: {command: aws}}}]\n"
                "contexts: [{name: x, context: {cluster: c, user: u}}]\n",
                "x", "users[name=\"u\"].user.exec: authentication plugins are not supported"},
        BadCase{"clusters: [{name: c, cluster: {server: 'https://h', "
                "certificate-authority-data: '@@'}}]\n"
                "contexts: [{name: x, context: {cluster: c}}]\n",
                "x", "certificate-authority-data: not base64"},
        BadCase{"clusters: {c: 1}\n", "", "clusters: must be a list"},
        BadCase{"kind: Pod\n", "", "kind: must be Config"},
        BadCase{"clusters: [a: b: c]\n", "", "bad.yaml:1"}));

TEST_F(KubeconfigTest, MissingFileIsNotFoundNamingIt) {
  std::string path = (fs::path(dir_.path()) / "nothing").string();
  Result<Kubeconfig> k = LoadKubeconfig(path);
  ASSERT_FALSE(k.ok());
  EXPECT_EQ(k.status().reason(), Reason::kNotFound);
  EXPECT_NE(k.status().message().find(path), std::string::npos);
}

TEST(ClusterSecretTest, ArgoCdFieldsWithBearerTokenAndTls) {
  Result<Json> config = ParseJson(R"({"bearerToken":"tok","tlsClientConfig":{
      "caData":")" + EncodeBase64("CA") +
                                  R"(","certData":")" + EncodeBase64("CERT") + R"(","keyData":")" +
                                  EncodeBase64("KEY") +
                                  R"(","insecure":false,"serverName":"api"}})");
  ASSERT_TRUE(config.ok());
  Result<RestConfig> c = RestConfigFromClusterFields("https://remote:6443", *config);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->server, "https://remote:6443");
  EXPECT_EQ(c->bearer_token, "tok");
  EXPECT_EQ(c->ca_pem, "CA");
  EXPECT_EQ(c->client_cert_pem, "CERT");
  EXPECT_EQ(c->client_key_pem, "KEY");
  EXPECT_EQ(c->tls_server_name, "api");
  EXPECT_FALSE(c->insecure_skip_tls_verify);
}

TEST(ClusterSecretTest, SecretDataIsDecodedAndErrorsNameTheSecretAndField) {
  Json secret = {{"apiVersion", "v1"},
                 {"kind", "Secret"},
                 {"metadata", {{"name", "remote"}, {"namespace", "argocd"}}},
                 {"data",
                  {{"server", EncodeBase64("https://remote")},
                   {"config", EncodeBase64(R"({"tlsClientConfig":{"insecure":true}})")}}}};
  Result<RestConfig> c = RestConfigFromClusterSecret(secret);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->server, "https://remote");
  EXPECT_TRUE(c->insecure_skip_tls_verify);

  secret.as_object()["data"].as_object()["config"] =
      EncodeBase64(R"({"tlsClientConfig":{"caData":"!!"}})");
  c = RestConfigFromClusterSecret(secret);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().reason(), Reason::kInvalid);
  EXPECT_EQ(c.status().message(),
            "Secret \"argocd/remote\": config.tlsClientConfig.caData: not base64");

  secret.as_object()["data"].as_object().erase("server");
  c = RestConfigFromClusterSecret(secret);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().message(), "Secret \"argocd/remote\": server: required");
}

}  // namespace
}  // namespace kstack::kube
