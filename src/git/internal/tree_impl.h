#pragma once

// Tree::Impl: the libgit2 side of a Tree (see tree.h), built by RepositoryCache::OpenTree.

#include <deque>
#include <string>
#include <string_view>

#include "git/internal/libgit2.h"
#include "git/tree.h"

namespace kstack::git {

class Tree::Impl {
 public:
  // Takes ownership of `repo` and `root` (the tree of `commit`). `url` is shown in errors.
  Impl(internal::RepositoryPtr repo, internal::TreePtr root, std::string commit, std::string url)
      : repo_(std::move(repo)),
        root_(std::move(root)),
        commit_(std::move(commit)),
        url_(std::move(url)) {}

  const std::string& commit() const { return commit_; }
  const std::string& url() const { return url_; }

  Result<std::vector<TreeEntry>> List(std::string_view path, bool recursive) const;
  Result<std::string> ReadFile(std::string_view path) const;
  Result<TreeEntry> Stat(std::string_view path) const;

 private:
  // An entry found by Lookup.
  struct Node {
    git_filemode_t mode = GIT_FILEMODE_TREE;
    git_oid oid{};
  };

  // The entry at `path`, following symbolic links on the way, and at the end too when
  // `follow_last` is set.
  Result<Node> Lookup(std::string_view path, bool follow_last) const;
  Status ReadBlob(const git_oid& oid, std::string* out) const;
  Status Walk(const git_tree* tree, const std::string& prefix, bool recursive,
              std::vector<TreeEntry>* out) const;

  Status PathError(Reason reason, std::string_view path, std::string_view what) const;

  internal::RepositoryPtr repo_;
  internal::TreePtr root_;
  std::string commit_;
  std::string url_;
};

}  // namespace kstack::git
