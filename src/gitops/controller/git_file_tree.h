#pragma once

// The files of one commit of a cached Git repository as a render::FileTree, so that sources
// render from Git exactly as they render from a directory on disk.

#include <memory>
#include <mutex>

#include "git/tree.h"
#include "render/file_tree.h"

namespace kstack::gitops::controller {

class GitFileTree : public render::FileTree {
 public:
  explicit GitFileTree(std::unique_ptr<git::Tree> tree) : tree_(std::move(tree)) {}

  Result<std::vector<render::Entry>> List(std::string_view dir, bool recursive) const override;
  Result<std::string> Read(std::string_view path) const override;

 private:
  // git::Tree is for one thread at a time; FileTree allows concurrent readers.
  mutable std::mutex mu_;
  std::unique_ptr<git::Tree> tree_;
};

}  // namespace kstack::gitops::controller
