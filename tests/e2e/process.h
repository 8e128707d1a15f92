#pragma once

// Runs programs for end-to-end tests: the built kstack binary and real clients such as kubectl.

#include <string>
#include <vector>

namespace kstack::e2e {

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs argv[0] (looked up on PATH) with the arguments, feeding `input` on stdin, and waits.
RunResult RunProgram(const std::vector<std::string>& argv, const std::string& input = "");

// The kstack binary of this build.
std::string KstackBinary();

}  // namespace kstack::e2e
