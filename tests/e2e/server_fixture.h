#pragma once

// A `kstack server` started as a user starts it, on a fresh data directory of the test, and
// the real kubectl pointed at it with the kubeconfig it writes.

#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "core/json.h"
#include "tests/e2e/process.h"
#include "tests/e2e/server_process.h"

namespace kstack::e2e {

namespace fs = std::filesystem;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

inline std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline void WriteFile(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary);
  out << text;
}

// The value of the first "key: value" line of a YAML text.
inline std::string YamlLineValue(const std::string& text, const std::string& key) {
  size_t at = text.find(key + ": ");
  if (at == std::string::npos) return "";
  size_t start = at + key.size() + 2;
  return text.substr(start, text.find('\n', start) - start);
}

struct RunningServer {
  std::unique_ptr<ChildProcess> process;
  std::string url;
  std::string kubeconfig;
  // From exec to the URL line on stdout.
  milliseconds startup{0};
};

class ServerE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "kstack-e2e-server-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    root_ = pattern;
    data_dir_ = root_ / "data";
  }
  void TearDown() override {
    server_.process.reset();
    std::error_code ec;
    fs::remove_all(root_, ec);
  }

  // Starts `kstack server` on the test's data directory and reads the two lines it prints.
  RunningServer Start(int port = 0) {
    RunningServer s;
    Clock::time_point begin = Clock::now();
    std::vector<std::string> argv = {KstackBinary(), "server", "--data-dir", data_dir_.string(),
                                     "--port", std::to_string(port)};
    argv.insert(argv.end(), server_args_.begin(), server_args_.end());
    s.process = std::make_unique<ChildProcess>(argv, (root_ / "server.err").string());
    std::optional<std::string> listening = s.process->ReadLine(milliseconds(10000));
    s.startup = std::chrono::duration_cast<milliseconds>(Clock::now() - begin);
    std::optional<std::string> kubeconfig = s.process->ReadLine(milliseconds(1000));
    const std::string prefix = "kstack server listening on ";
    EXPECT_TRUE(listening && listening->starts_with(prefix))
        << listening.value_or("<nothing>") << "\n"
        << ServerLog();
    EXPECT_TRUE(kubeconfig && kubeconfig->starts_with("kubeconfig: "))
        << kubeconfig.value_or("<nothing>");
    if (listening && listening->starts_with(prefix)) s.url = listening->substr(prefix.size());
    if (kubeconfig && kubeconfig->starts_with("kubeconfig: ")) {
      s.kubeconfig = kubeconfig->substr(std::string("kubeconfig: ").size());
    }
    return s;
  }

  // Starts the server of the test (server_).
  void StartServer() {
    server_ = Start();
    ASSERT_FALSE(server_.url.empty());
    ASSERT_EQ(server_.kubeconfig, (data_dir_ / "kubeconfig.yaml").string());
  }

  RunResult Kubectl(std::vector<std::string> args, const std::string& kubeconfig = "") {
    // A discovery cache of the test's own: kubectl caches discovery per host and port, and
    // another server that once had this port may have left different types there.
    std::vector<std::string> argv = {"kubectl", "--kubeconfig",
                                     kubeconfig.empty() ? server_.kubeconfig : kubeconfig,
                                     "--cache-dir", (root_ / "kube-cache").string()};
    argv.insert(argv.end(), args.begin(), args.end());
    return RunProgram(argv);
  }

  std::string ServerLog() { return ReadFile(root_ / "server.err"); }

  fs::path root_;
  fs::path data_dir_;
  // More arguments of `kstack server` (e.g. --nodes), set before Start().
  std::vector<std::string> server_args_;
  RunningServer server_;
};

}  // namespace kstack::e2e
