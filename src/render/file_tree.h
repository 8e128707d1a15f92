#pragma once

// The files a source is rendered from, whatever holds them: a work tree on disk (disk_tree.h)
// or a Git tree at a commit, read without a work tree (the git module). Rendering reads only
// through this interface, so the same code serves both.
//
// Paths are relative to the tree's root and separated by '/'; "" (or ".") names the root.
// Paths are cleaned (clean_path below) before use, and no path may climb above the root.

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace kstack::render {

enum class EntryType {
  kFile,  // a regular file
  kDirectory,
  kSymlink,  // not followed by List; Read follows it
  kOther,    // a device, socket, fifo, Git submodule...: never read
};

struct Entry {
  std::string path;  // from the tree's root, cleaned: "guestbook/svc.yaml"
  EntryType type = EntryType::kFile;
};

// A read-only tree of files. Implementations must allow concurrent calls on one const tree.
class FileTree {
 public:
  virtual ~FileTree() = default;

  // The entries below directory `dir`. Names are sorted by byte value at every level; with
  // `recursive`, each directory is followed at once by its own entries (depth first), which is
  // the order of Go's filepath.Walk. Without it, only the direct children. Symlinks are listed
  // as kSymlink and never descended into. `dir` itself is not listed.
  // Errors: NotFound when `dir` does not exist; BadRequest when it is not a directory;
  // Forbidden when it lies outside the tree.
  virtual Result<std::vector<Entry>> List(std::string_view dir, bool recursive) const = 0;

  // The contents of the file at `path`, following symlinks inside the tree.
  // Errors: NotFound when there is no such file (a symlink to nothing included); Forbidden when
  // the path or a symlink on the way leads outside the tree; BadRequest when the path names a
  // directory or something that is not a regular file.
  virtual Result<std::string> Read(std::string_view path) const = 0;
};

// Cleans a tree path lexically: "./a//b/../c/" is "a/c", "." and "" are "". A leading '/' is
// read from the root, as if absent. Forbidden when ".." climbs above the root.
Result<std::string> CleanPath(std::string_view path);

// `dir` + "/" + `rel`, cleaned; `rel` starting with '/' is read from the root.
Result<std::string> JoinPath(std::string_view dir, std::string_view rel);

// The last element of a clean path ("a/b.yaml" gives "b.yaml").
std::string_view BaseName(std::string_view path);

// The directory of a clean path ("a/b.yaml" gives "a", "b.yaml" gives "").
std::string_view DirName(std::string_view path);

}  // namespace kstack::render
