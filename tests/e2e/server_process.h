#pragma once

// Long-running child processes for end-to-end tests: the kstack server, and clients that hold a
// connection open. Unlike RunProgram (process.h), the test talks to the child while it runs.

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace kstack::e2e {

class ChildProcess {
 public:
  // Starts argv[0] (looked up on PATH). Its stdout is read through ReadLine(); its stderr goes
  // to `stderr_path` (a file, so that a chatty child never blocks on a full pipe); its stdin
  // stays open, empty, until the child is killed or waited for.
  ChildProcess(const std::vector<std::string>& argv, const std::string& stderr_path);
  // Kills the child (SIGKILL) when it still runs, and reaps it.
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  bool started() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }

  // The next line of stdout without its newline; nullopt when stdout ends or `timeout` passes.
  std::optional<std::string> ReadLine(std::chrono::milliseconds timeout);

  // Sends `signal` to the child (when it still runs).
  void Signal(int signal);

  // The exit code (128 + signal number when killed by a signal), or nullopt when the child
  // still runs after `timeout`.
  std::optional<int> Wait(std::chrono::milliseconds timeout);

 private:
  pid_t pid_ = -1;
  int stdin_fd_ = -1;
  int stdout_fd_ = -1;
  std::string pending_;
  std::optional<int> exit_code_;
};

}  // namespace kstack::e2e
