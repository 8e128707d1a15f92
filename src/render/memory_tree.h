#pragma once

// A FileTree held in memory: for tests of everything that renders, and for sources that arrive
// as data rather than as a checkout. Symlink targets are read relative to the link's directory,
// as Git stores them; an absolute target, or one climbing above the root, leads outside.

#include <map>
#include <set>
#include <string>

#include "render/file_tree.h"

namespace kstack::render {

class MemoryTree : public FileTree {
 public:
  // Each adds the parent directories it needs. REQUIRES: the path is not already taken by an
  // entry of another type, and does not climb above the root.
  void AddFile(std::string_view path, std::string contents);
  void AddSymlink(std::string_view path, std::string target);
  void AddDirectory(std::string_view path);

  Result<std::vector<Entry>> List(std::string_view dir, bool recursive) const override;
  Result<std::string> Read(std::string_view path) const override;

 private:
  struct Node {
    EntryType type = EntryType::kDirectory;
    std::string data;  // a file's contents or a symlink's target
  };

  std::string Add(std::string_view path, Node node);
  void ListInto(const std::string& dir, bool recursive, std::vector<Entry>* out) const;

  std::map<std::string, Node> nodes_{{"", Node{}}};        // by clean path; "" is the root
  std::map<std::string, std::set<std::string>> children_;  // directory → child names
};

}  // namespace kstack::render
