#include "render/memory_tree.h"

#include <fmt/format.h>

#include <cassert>

namespace kstack::render {
namespace {

// Symlinks followed in one lookup before giving up, as Linux does.
constexpr int kMaxSymlinkHops = 40;

}  // namespace

std::string MemoryTree::Add(std::string_view path, Node node) {
  Result<std::string> clean = CleanPath(path);
  assert(clean.ok() && !clean->empty());
  std::string dir(DirName(*clean));
  if (!nodes_.contains(dir)) AddDirectory(dir);
  children_[dir].insert(std::string(BaseName(*clean)));
  nodes_[*clean] = std::move(node);
  return *clean;
}

void MemoryTree::AddFile(std::string_view path, std::string contents) {
  Add(path, Node{EntryType::kFile, std::move(contents)});
}

void MemoryTree::AddSymlink(std::string_view path, std::string target) {
  Add(path, Node{EntryType::kSymlink, std::move(target)});
}

void MemoryTree::AddDirectory(std::string_view path) {
  Result<std::string> clean = CleanPath(path);
  assert(clean.ok());
  if (clean->empty() || nodes_.contains(*clean)) return;
  Add(*clean, Node{});
}

void MemoryTree::ListInto(const std::string& dir, bool recursive, std::vector<Entry>* out) const {
  auto it = children_.find(dir);
  if (it == children_.end()) return;
  for (const std::string& name : it->second) {
    std::string path = dir.empty() ? name : dir + "/" + name;
    EntryType type = nodes_.at(path).type;
    out->push_back({path, type});
    if (recursive && type == EntryType::kDirectory) ListInto(path, recursive, out);
  }
}

Result<std::vector<Entry>> MemoryTree::List(std::string_view dir, bool recursive) const {
  KSTACK_ASSIGN_OR_RETURN(std::string clean, CleanPath(dir));
  auto it = nodes_.find(clean);
  if (it == nodes_.end()) return NotFoundError(fmt::format("{}: no such file or directory", dir));
  if (it->second.type != EntryType::kDirectory) {
    return BadRequestError(fmt::format("{}: not a directory", dir));
  }
  std::vector<Entry> entries;
  ListInto(clean, recursive, &entries);
  return entries;
}

Result<std::string> MemoryTree::Read(std::string_view path) const {
  KSTACK_ASSIGN_OR_RETURN(std::string pending, CleanPath(path));
  // Walks the path one element at a time, replacing a symlink met on the way by its target.
  std::string resolved;
  int hops = 0;
  while (!pending.empty()) {
    size_t slash = pending.find('/');
    std::string name = pending.substr(0, slash);
    std::string rest = slash == std::string::npos ? "" : pending.substr(slash + 1);
    std::string next = resolved.empty() ? name : resolved + "/" + name;
    auto it = nodes_.find(next);
    if (it == nodes_.end()) {
      return NotFoundError(fmt::format("{}: no such file or directory", path));
    }
    if (it->second.type == EntryType::kSymlink) {
      if (++hops > kMaxSymlinkHops) {
        return BadRequestError(fmt::format("{}: too many levels of symbolic links", path));
      }
      const std::string& target = it->second.data;
      if (target.starts_with("/")) {
        return ForbiddenError(fmt::format("{}: leads outside the repository", path));
      }
      Result<std::string> joined = JoinPath(resolved, target + (rest.empty() ? "" : "/" + rest));
      if (!joined.ok()) {
        return ForbiddenError(fmt::format("{}: leads outside the repository", path));
      }
      pending = std::move(*joined);
      resolved.clear();
      continue;
    }
    if (!rest.empty() && it->second.type != EntryType::kDirectory) {
      return NotFoundError(fmt::format("{}: no such file or directory", path));
    }
    resolved = std::move(next);
    pending = std::move(rest);
  }
  const Node& node = nodes_.at(resolved);
  if (node.type == EntryType::kDirectory) {
    return BadRequestError(fmt::format("{}: is a directory", path));
  }
  if (node.type != EntryType::kFile) {
    return BadRequestError(fmt::format("{}: not a regular file", path));
  }
  return node.data;
}

}  // namespace kstack::render
