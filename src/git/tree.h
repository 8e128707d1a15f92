#pragma once

// A read-only view of the files of one commit, read from the object database of a cached bare
// repository; there is no work tree. Obtained from RepositoryCache::OpenTree.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace kstack::git {

enum class EntryType {
  kFile,       // a blob; `executable` tells 100755 from 100644
  kDirectory,  // a tree
  kSymlink,    // a blob holding the link target
  kSubmodule,  // a commit of another repository (gitlink); never followed
};

struct TreeEntry {
  // '/'-separated, relative to the directory that was listed; never starts with "/" or "./".
  std::string path;
  EntryType type = EntryType::kFile;
  bool executable = false;
  // The object id (40 hex digits) of the blob, tree or submodule commit. Equal ids mean equal
  // content, which lets callers cache what they derive from a file.
  std::string id;

  friend bool operator==(const TreeEntry&, const TreeEntry&) = default;
};

// Paths given to a Tree are '/'-separated and relative to the repository root; "", "." and "/"
// name the root, redundant separators and "." components are ignored, and ".." may not climb
// above the root. Symbolic links inside the tree are followed (at most 40 in one lookup) when
// they lead to another entry of the same tree; a link that points outside it is Invalid.
//
// Thread safety: a Tree is not safe for concurrent use; open one per thread (it is cheap).
// A Tree stays valid while its cache is open, whatever fetches happen meanwhile.
class Tree {
 public:
  class Impl;
  explicit Tree(std::unique_ptr<Impl> impl);
  ~Tree();
  Tree(const Tree&) = delete;
  Tree& operator=(const Tree&) = delete;

  // The full SHA of the commit, and the repository URL as given to OpenTree.
  const std::string& commit() const;
  const std::string& url() const;

  // The entries of directory `path`: its children, or with `recursive` every entry below it
  // (directories included, submodules and symlinks not descended). Order: a depth-first walk
  // with names in byte order within each directory, the order in which Go's filepath.Walk and
  // so Argo CD visit files.
  // Errors: NotFound when `path` does not exist, Invalid when it is not a directory or
  // escapes the root.
  Result<std::vector<TreeEntry>> List(std::string_view path, bool recursive) const;

  // The bytes of file `path`. Errors: NotFound when it does not exist, Invalid when it is a
  // directory or submodule or escapes the root.
  Result<std::string> ReadFile(std::string_view path) const;

  // The entry at `path` after following symbolic links (its `path` is the one asked for).
  // Errors as for List.
  Result<TreeEntry> Stat(std::string_view path) const;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace kstack::git
