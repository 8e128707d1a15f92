#include "tests/git/git_test_env.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

extern char** environ;

namespace kstack::git::testing {
namespace {

namespace fs = std::filesystem;

// The environment of every command: the test's, with Git's configuration and identity fixed.
std::vector<std::string> CommandEnvironment() {
  static const char* kOverrides[] = {
      "GIT_CONFIG_NOSYSTEM=1",     "GIT_CONFIG_GLOBAL=/dev/null",
      "GIT_AUTHOR_NAME=kstack",    "GIT_AUTHOR_EMAIL=kstack@example.com",
      "GIT_COMMITTER_NAME=kstack", "GIT_COMMITTER_EMAIL=kstack@example.com",
      "GIT_TERMINAL_PROMPT=0",
  };
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string_view entry(*e);
    bool overridden = false;
    for (const char* o : kOverrides) {
      std::string_view name(o, std::string_view(o).find('=') + 1);
      if (entry.starts_with(name)) overridden = true;
    }
    if (!overridden) env.emplace_back(entry);
  }
  for (const char* o : kOverrides) env.emplace_back(o);
  return env;
}

std::vector<char*> Pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (std::string& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

// Starts `argv` with stdin from /dev/null, stdout to `out_fd` (or /dev/null when -1) and
// stderr to `err_path` (or /dev/null when empty).
pid_t Spawn(const std::vector<std::string>& argv, const std::string& cwd, int out_fd,
            const std::string& err_path) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  if (out_fd >= 0) {
    posix_spawn_file_actions_adddup2(&actions, out_fd, 1);
  } else {
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  }
  posix_spawn_file_actions_addopen(&actions, 2, err_path.empty() ? "/dev/null" : err_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (!cwd.empty()) posix_spawn_file_actions_addchdir_np(&actions, cwd.c_str());
  std::vector<std::string> args = argv;
  std::vector<std::string> env = CommandEnvironment();
  std::vector<char*> arg_ptrs = Pointers(args);
  std::vector<char*> env_ptrs = Pointers(env);
  pid_t pid = -1;
  int rc = posix_spawnp(&pid, arg_ptrs[0], &actions, nullptr, arg_ptrs.data(), env_ptrs.data());
  posix_spawn_file_actions_destroy(&actions);
  return rc == 0 ? pid : -1;
}

std::string Joined(const std::vector<std::string>& argv) {
  std::string out;
  for (const std::string& a : argv) out += (out.empty() ? "" : " ") + a;
  return out;
}

void WriteText(const std::string& path, const std::string& content) {
  std::ofstream(path, std::ios::binary) << content;
}

}  // namespace

std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string RunCommand(const std::vector<std::string>& argv, const std::string& cwd) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    ADD_FAILURE() << "pipe: " << strerror(errno);
    return "";
  }
  char err_path[] = "/tmp/kstack-git-stderr-XXXXXX";
  int err_fd = mkstemp(err_path);
  if (err_fd >= 0) close(err_fd);
  pid_t pid = Spawn(argv, cwd, fds[1], err_path);
  close(fds[1]);
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = read(fds[0], buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
  close(fds[0]);
  int status = 0;
  if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
      WEXITSTATUS(status) != 0) {
    ADD_FAILURE() << "command failed: " << Joined(argv) << "\n" << ReadText(err_path);
  }
  unlink(err_path);
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

bool HaveProgram(const std::string& program) {
  if (program.find('/') != std::string::npos) return access(program.c_str(), X_OK) == 0;
  const char* path = getenv("PATH");
  std::stringstream dirs(path != nullptr ? path : "/usr/bin:/bin");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    if (access((dir + "/" + program).c_str(), X_OK) == 0) return true;
  }
  return false;
}

SourceRepo::SourceRepo(std::string path) : path_(std::move(path)) {
  fs::create_directories(path_);
  RunCommand({"git", "init", "-q", "-b", "main", path_});
}

void SourceRepo::Write(const std::string& file, const std::string& content) const {
  fs::path p = fs::path(path_) / file;
  fs::create_directories(p.parent_path());
  WriteText(p.string(), content);
}

void SourceRepo::Remove(const std::string& file) const { fs::remove_all(fs::path(path_) / file); }

std::string SourceRepo::Commit(const std::string& message) const {
  Git({"add", "-A"});
  Git({"commit", "-q", "--allow-empty", "-m", message});
  return Sha("HEAD");
}

std::string SourceRepo::Git(const std::vector<std::string>& args) const {
  std::vector<std::string> argv = {"git"};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunCommand(argv, path_);
}

std::string SourceRepo::Sha(const std::string& revision) const {
  return Git({"rev-parse", revision + "^{commit}"});
}

Child::Child(const std::vector<std::string>& argv) {
  pid_ = Spawn(argv, "", -1, "");
  if (pid_ < 0) ADD_FAILURE() << "cannot start " << Joined(argv);
}

Child& Child::operator=(Child&& other) noexcept {
  if (this != &other) {
    this->~Child();
    pid_ = other.pid_;
    other.pid_ = -1;
  }
  return *this;
}

Child::~Child() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  for (int i = 0; i < 100; ++i) {
    if (waitpid(pid_, nullptr, WNOHANG) == pid_) {
      pid_ = -1;
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  close(fd);
  return port;
}

bool WaitForPort(int port) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<uint16_t>(port));
    bool up = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    close(fd);
    if (up) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

GitDaemon::GitDaemon(const std::string& root) {
  for (int attempt = 0; attempt < 3; ++attempt) {
    port_ = FreePort();
    child_ = Child({"git", "daemon", "--reuseaddr", "--export-all", "--informative-errors",
                    "--base-path=" + root, "--listen=127.0.0.1", "--port=" + std::to_string(port_),
                    root});
    if (WaitForPort(port_)) return;
  }
  ADD_FAILURE() << "git daemon did not start";
}

std::string GitDaemon::Url(const std::string& repo) const {
  return "git://127.0.0.1:" + std::to_string(port_) + "/" + repo;
}

HttpGitServer::HttpGitServer(const std::string& root, const HttpServerOptions& options)
    : tls_(options.tls) {
  std::string port_file = state_.path() + "/port";
  // Debian's python3 first: a version manager's shim on PATH may take seconds to start.
  std::string python = HaveProgram("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
  std::vector<std::string> argv = {
      python,        std::string(KSTACK_SOURCE_DIR) + "/tests/git/git_http_server.py",
      "--root",      root,
      "--port-file", port_file};
  if (!options.user.empty() || !options.password.empty()) {
    argv.insert(argv.end(), {"--user", options.user, "--password", options.password});
  }
  if (options.tls) {
    std::string cert = state_.path() + "/cert.pem", key = state_.path() + "/key.pem";
    RunCommand({"openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out",
                cert, "-days", "1", "-subj", "/CN=127.0.0.1", "-addext",
                "subjectAltName=IP:127.0.0.1"});
    argv.insert(argv.end(), {"--cert", cert, "--key", key});
  }
  if (options.delay_ms > 0)
    argv.insert(argv.end(), {"--delay-ms", std::to_string(options.delay_ms)});
  child_ = Child(argv);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!fs::exists(port_file) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  port_ = std::atoi(ReadText(port_file).c_str());
  if (port_ == 0) ADD_FAILURE() << "the HTTP git server did not start";
}

std::string HttpGitServer::Url(const std::string& repo) const {
  return std::string(tls_ ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_) + "/" +
         repo;
}

SshServer::SshServer() {
  const std::string sshd = "/usr/sbin/sshd";
  if (!HaveProgram(sshd) || !HaveProgram("ssh-keygen")) return;
  const passwd* pw = getpwuid(getuid());
  if (pw == nullptr) return;
  user_ = pw->pw_name;
  const std::string dir = state_.path();
  RunCommand({"ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", dir + "/host_key"});
  RunCommand({"ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", dir + "/client_key"});
  fs::copy_file(dir + "/client_key.pub", dir + "/authorized_keys");
  client_key_ = ReadText(dir + "/client_key");
  if (getuid() == 0) fs::create_directories("/run/sshd");  // sshd's privilege separation dir
  for (int attempt = 0; attempt < 3 && !ok_; ++attempt) {
    port_ = FreePort();
    WriteText(dir + "/sshd_config",
              "Port " + std::to_string(port_) + "\nListenAddress 127.0.0.1\nHostKey " + dir +
                  "/host_key\nAuthorizedKeysFile " + dir +
                  "/authorized_keys\nPasswordAuthentication no\nKbdInteractiveAuthentication "
                  "no\nPubkeyAuthentication yes\nStrictModes no\nUsePAM no\nPidFile " +
                  dir + "/sshd.pid\nPermitRootLogin prohibit-password\n");
    child_ = Child({sshd, "-D", "-e", "-f", dir + "/sshd_config"});
    ok_ = WaitForPort(port_);
  }
  std::string host_pub = ReadText(dir + "/host_key.pub");
  std::istringstream fields(host_pub);
  std::string type, key;
  fields >> type >> key;
  known_hosts_ = "[127.0.0.1]:" + std::to_string(port_) + " " + type + " " + key + "\n";
}

std::string SshServer::Url(const std::string& absolute_repo_path) const {
  return "ssh://" + user_ + "@127.0.0.1:" + std::to_string(port_) + absolute_repo_path;
}

}  // namespace kstack::git::testing
