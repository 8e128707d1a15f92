// `kstack server` as a user runs it, driven by the real kubectl, curl and openssl.

#include "tests/e2e/server_fixture.h"

namespace kstack::e2e {
namespace {

TEST_F(ServerE2eTest, KubectlVersionShowsTheServedKubernetesVersion) {
  StartServer();
  RunResult r = Kubectl({"version", "-o", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Result<Json> version = ParseJson(r.out);
  ASSERT_TRUE(version.ok()) << r.out;
  const Json* server = FindMember(*version, "serverVersion");
  ASSERT_NE(server, nullptr) << r.out;
  EXPECT_EQ(FindString(*server, "gitVersion"), "v1.32.0");
  EXPECT_EQ(FindString(*server, "major"), "1");
  EXPECT_EQ(FindString(*server, "minor"), "32");
}

TEST_F(ServerE2eTest, KubectlGetRawHealthEndpointsPrintOk) {
  StartServer();
  for (const char* path : {"/readyz", "/livez", "/healthz"}) {
    RunResult r = Kubectl({"get", "--raw", path});
    EXPECT_EQ(r.exit_code, 0) << path << ": " << r.err;
    EXPECT_EQ(r.out, "ok") << path;
  }
}

TEST_F(ServerE2eTest, UnknownPathIsNotFoundForKubectl) {
  StartServer();
  RunResult r = Kubectl({"get", "--raw", "/no/such/path"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("NotFound"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("the server could not find the requested resource"), std::string::npos)
      << r.err;
}

TEST_F(ServerE2eTest, KubectlWithoutClientCertificateIsUnauthorized) {
  StartServer();
  // The same cluster, trusted through the CA, with a user that has a bearer token but no client
  // certificate. (A user without any credential makes kubectl prompt for a password instead.)
  std::string config = ReadFile(server_.kubeconfig);
  std::string anonymous =
      "apiVersion: v1\nkind: Config\nclusters:\n- name: kstack\n  cluster:\n"
      "    certificate-authority-data: " +
      YamlLineValue(config, "certificate-authority-data") + "\n    server: " + server_.url +
      "\nusers:\n- name: stranger\n  user:\n    token: not-a-credential\n"
      "contexts:\n- name: kstack\n  context:\n    cluster: kstack\n    user: stranger\n"
      "current-context: kstack\n";
  WriteFile(root_ / "anonymous.yaml", anonymous);
  RunResult r = Kubectl({"get", "--raw", "/version"}, (root_ / "anonymous.yaml").string());
  EXPECT_NE(r.exit_code, 0) << r.out;
  EXPECT_NE(r.err.find("Unauthorized"), std::string::npos) << r.err;

  // The same without trusting the CA, as the example does it.
  WriteFile(root_ / "empty.yaml", "");
  RunResult token = Kubectl({"--insecure-skip-tls-verify", "--token=x", "--server", server_.url,
                             "get", "--raw", "/version"},
                            (root_ / "empty.yaml").string());
  EXPECT_NE(token.exit_code, 0) << token.out;
  EXPECT_NE(token.err.find("Unauthorized"), std::string::npos) << token.err;

  // Health endpoints stay open to clients without a certificate.
  RunResult ready = Kubectl({"get", "--raw", "/readyz"}, (root_ / "anonymous.yaml").string());
  EXPECT_EQ(ready.exit_code, 0) << ready.err;
  EXPECT_EQ(ready.out, "ok");
}

TEST_F(ServerE2eTest, CurlWithoutClientCertificateGetsUnauthorizedStatusBody) {
  StartServer();
  std::string ca = (data_dir_ / "pki" / "ca.crt").string();
  RunResult r =
      RunProgram({"curl", "-sS", "--cacert", ca, "-w", "\n%{http_code}", server_.url + "/version"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  size_t split = r.out.rfind('\n');
  ASSERT_NE(split, std::string::npos) << r.out;
  EXPECT_EQ(r.out.substr(split + 1), "401");
  Result<Json> status = ParseJson(r.out.substr(0, split));
  ASSERT_TRUE(status.ok()) << r.out;
  EXPECT_EQ(FindString(*status, "kind"), "Status");
  EXPECT_EQ(FindString(*status, "apiVersion"), "v1");
  EXPECT_EQ(FindString(*status, "status"), "Failure");
  EXPECT_EQ(FindString(*status, "reason"), "Unauthorized");
  const Json* code = FindMember(*status, "code");
  ASSERT_NE(code, nullptr);
  EXPECT_EQ(code->as_int64(), 401);
}

TEST_F(ServerE2eTest, ClientCertificateOfAnotherCaIsRejected) {
  StartServer();
  std::string key = (root_ / "intruder.key").string();
  std::string cert = (root_ / "intruder.crt").string();
  RunResult made = RunProgram({"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                               "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-out", cert,
                               "-subj", "/O=system:masters/CN=intruder", "-days", "1"});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  std::string ca = (data_dir_ / "pki" / "ca.crt").string();
  RunResult r = RunProgram({"curl", "-sS", "--cacert", ca, "--cert", cert, "--key", key, "-o",
                            "/dev/null", "-w", "%{http_code}", server_.url + "/version"});
  // The handshake fails, so there is no HTTP status at all.
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.out, "200");
}

TEST_F(ServerE2eTest, SigtermExitsZeroPromptlyWithAnIdleConnectionOpen) {
  StartServer();
  std::string host_port = server_.url.substr(std::string("https://").size());
  // An idle TLS connection that never sends a request: shutdown must not wait for it.
  ChildProcess idle({"openssl", "s_client", "-connect", host_port, "-quiet"},
                    (root_ / "s_client.err").string());
  ASSERT_TRUE(idle.started());
  std::this_thread::sleep_for(milliseconds(300));
  ASSERT_EQ(Kubectl({"get", "--raw", "/readyz"}).out, "ok");
  Clock::time_point begin = Clock::now();
  server_.process->Signal(SIGTERM);
  std::optional<int> code = server_.process->Wait(milliseconds(5000));
  auto took = std::chrono::duration_cast<milliseconds>(Clock::now() - begin);
  ASSERT_TRUE(code.has_value()) << "still running 5 s after SIGTERM\n" << ServerLog();
  EXPECT_EQ(*code, 0) << ServerLog();
  EXPECT_LT(took.count(), 2000) << ServerLog();
}

TEST_F(ServerE2eTest, SigintExitsZero) {
  StartServer();
  server_.process->Signal(SIGINT);
  std::optional<int> code = server_.process->Wait(milliseconds(5000));
  ASSERT_TRUE(code.has_value()) << ServerLog();
  EXPECT_EQ(*code, 0) << ServerLog();
}

TEST_F(ServerE2eTest, RestartReusesCertificatesAndKubeconfig) {
  StartServer();
  std::string kubeconfig = ReadFile(server_.kubeconfig);
  std::string ca = ReadFile(data_dir_ / "pki" / "ca.crt");
  std::string serving = ReadFile(data_dir_ / "pki" / "server.crt");
  int port = std::stoi(server_.url.substr(server_.url.rfind(':') + 1));
  server_.process->Signal(SIGTERM);
  ASSERT_EQ(server_.process->Wait(milliseconds(5000)), std::optional<int>(0)) << ServerLog();

  // Same port, so the kubeconfig (which names the URL) must come out byte for byte the same.
  server_ = Start(port);
  ASSERT_FALSE(server_.url.empty());
  EXPECT_EQ(ReadFile(server_.kubeconfig), kubeconfig);
  EXPECT_EQ(ReadFile(data_dir_ / "pki" / "ca.crt"), ca);
  EXPECT_EQ(ReadFile(data_dir_ / "pki" / "server.crt"), serving);
  EXPECT_EQ(fs::status(server_.kubeconfig).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);
  // Generous for a loaded machine; bench/server/startup measures the real figure.
  EXPECT_LT(server_.startup.count(), 2000);
  RunResult r = Kubectl({"get", "--raw", "/readyz"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "ok");
}

TEST_F(ServerE2eTest, SecondServerOnTheSameDataDirectoryFails) {
  StartServer();
  RunResult r =
      RunProgram({KstackBinary(), "server", "--data-dir", data_dir_.string(), "--port", "0"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("in use"), std::string::npos) << r.err;
}

TEST_F(ServerE2eTest, MissingDataDirIsAUsageError) {
  RunResult r = RunProgram({KstackBinary(), "server", "--port", "0"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("--data-dir"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace kstack::e2e
