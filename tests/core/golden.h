#pragma once

// Helpers for data-driven tests: folders of cases under a testdata directory.

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace kstack::testing {

inline std::filesystem::path SourceDir() { return KSTACK_SOURCE_DIR; }
// ../shared beside the repository (KSTACK_SHARED overrides).
inline std::filesystem::path SharedDir() {
  if (const char* env = std::getenv("KSTACK_SHARED")) return env;
  return SourceDir().parent_path() / "shared";
}

inline std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline bool Exists(const std::filesystem::path& p) { return std::filesystem::exists(p); }

// Sub-folder names of `dir`, sorted.
inline std::vector<std::string> CaseNames(const std::filesystem::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.is_directory()) names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

// A name usable as a GoogleTest parameter name.
inline std::string TestName(std::string name) {
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

}  // namespace kstack::testing
