#include "render/file_tree.h"

#include <fmt/format.h>

namespace kstack::render {

Result<std::string> CleanPath(std::string_view path) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    std::string_view part = path.substr(start, end - start);
    if (part == "..") {
      if (parts.empty()) {
        return ForbiddenError(fmt::format("path \"{}\" leads outside the repository", path));
      }
      parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    start = end + 1;
  }
  std::string out;
  for (std::string_view part : parts) {
    if (!out.empty()) out += '/';
    out += part;
  }
  return out;
}

Result<std::string> JoinPath(std::string_view dir, std::string_view rel) {
  if (!rel.empty() && rel.front() == '/') return CleanPath(rel);
  std::string joined(dir);
  while (!joined.empty() && joined.back() == '/') joined.pop_back();
  if (joined.empty()) return CleanPath(rel);
  joined += '/';
  joined += rel;
  return CleanPath(joined);
}

std::string_view BaseName(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::string_view DirName(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? std::string_view() : path.substr(0, slash);
}

}  // namespace kstack::render
