#pragma once

// What the git module's tests need around them: source repositories made with the `git`
// command, and servers for each transport (git daemon, git http-backend behind a small HTTP
// server, sshd), each on a free loopback port and stopped with the test.

#include <sys/types.h>

#include <string>
#include <vector>

#include "tests/testing/temp_dir.h"

namespace kstack::git::testing {

// Runs `argv` (argv[0] found on PATH) in `cwd`, with a Git environment that ignores the
// machine's configuration. Fails the current test when the command fails. Returns its stdout
// without the trailing newline.
std::string RunCommand(const std::vector<std::string>& argv, const std::string& cwd = "");

// Whether `program` is found on PATH or is an executable path.
bool HaveProgram(const std::string& program);

// A repository with a work tree, changed and committed with the `git` command.
class SourceRepo {
 public:
  // Creates an empty repository at `path` whose first branch is "main".
  explicit SourceRepo(std::string path);

  const std::string& path() const { return path_; }
  // Writes `content` to `file` (relative to the work tree), creating directories.
  void Write(const std::string& file, const std::string& content) const;
  void Remove(const std::string& file) const;
  // Stages everything and commits; returns the new commit's SHA.
  std::string Commit(const std::string& message) const;
  // Runs `git <args>` in the work tree.
  std::string Git(const std::vector<std::string>& args) const;
  std::string Sha(const std::string& revision) const;

 private:
  std::string path_;
};

// A child process, ended with SIGTERM (then SIGKILL) when this object goes away.
class Child {
 public:
  Child() = default;
  explicit Child(const std::vector<std::string>& argv);
  ~Child();
  Child(Child&& other) noexcept : pid_(other.pid_) { other.pid_ = -1; }
  Child& operator=(Child&& other) noexcept;
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
};

// A loopback TCP port that was free a moment ago.
int FreePort();
// Waits until something accepts connections on 127.0.0.1:`port`; false after 10 s.
bool WaitForPort(int port);

// `git daemon` serving every repository under `root` on git://127.0.0.1:<port>/.
class GitDaemon {
 public:
  explicit GitDaemon(const std::string& root);
  std::string Url(const std::string& repo_path_under_root) const;

 private:
  int port_ = 0;
  Child child_;
};

struct HttpServerOptions {
  std::string user;  // with a password: basic authentication required
  std::string password;
  bool tls = false;  // serve HTTPS with a self-signed certificate for 127.0.0.1
  int delay_ms = 0;  // wait this long before answering each request
};

// git http-backend behind tests/git/git_http_server.py, serving every repository under `root`.
class HttpGitServer {
 public:
  HttpGitServer(const std::string& root, const HttpServerOptions& options = {});
  // "http(s)://127.0.0.1:<port>/<repo>".
  std::string Url(const std::string& repo_path_under_root) const;

 private:
  kstack::testing::TempDir state_;
  int port_ = 0;
  bool tls_ = false;
  Child child_;
};

// sshd on a free loopback port that lets the current user in with `client_key` only. Runs the
// repositories' git-upload-pack. ok() is false (and tests skip) when sshd is not installed.
class SshServer {
 public:
  SshServer();
  bool ok() const { return ok_; }
  // The client's private key (OpenSSH form) and a known_hosts line for this server.
  const std::string& client_key() const { return client_key_; }
  const std::string& known_hosts() const { return known_hosts_; }
  // "ssh://<user>@127.0.0.1:<port><absolute path>".
  std::string Url(const std::string& absolute_repo_path) const;

 private:
  kstack::testing::TempDir state_;
  bool ok_ = false;
  int port_ = 0;
  std::string user_;
  std::string client_key_;
  std::string known_hosts_;
  Child child_;
};

// The file's bytes; "" when it cannot be read.
std::string ReadText(const std::string& path);

}  // namespace kstack::git::testing
