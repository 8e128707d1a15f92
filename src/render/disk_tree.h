#pragma once

// A FileTree over a directory on disk, typically a Git work tree. A `.git` entry (the
// repository's own data, a directory or a file) is never listed, so the tree shows what a Git
// tree at a commit would show.

#include <filesystem>
#include <memory>

#include "render/file_tree.h"

namespace kstack::render {

class DiskTree : public FileTree {
 public:
  // Errors: NotFound when `root` does not exist; BadRequest when it is not a directory.
  static Result<std::unique_ptr<DiskTree>> Open(const std::filesystem::path& root);
  ~DiskTree() override;
  DiskTree(const DiskTree&) = delete;
  DiskTree& operator=(const DiskTree&) = delete;

  Result<std::vector<Entry>> List(std::string_view dir, bool recursive) const override;
  Result<std::string> Read(std::string_view path) const override;

  // The canonical (absolute, symlink-free) root.
  const std::filesystem::path& root() const { return root_; }

 private:
  DiskTree(std::filesystem::path root, int root_fd) : root_(std::move(root)), root_fd_(root_fd) {}

  // The real location of tree path `path` (cleaned), symlinks resolved, checked to stay in the
  // tree.
  Result<std::filesystem::path> Resolve(std::string_view path) const;
  // Read() where the kernel lacks openat2: resolves the path first, then opens it.
  Result<std::string> ReadResolving(std::string_view path) const;

  std::filesystem::path root_;
  int root_fd_;  // the root, opened O_PATH: files are opened beneath it with openat2
};

}  // namespace kstack::render
