#pragma once

// Owning handles for libgit2 objects, the library's one-time setup, and libgit2 errors turned
// into Status values. Private to the git module: libgit2 types never reach a public header.

#include <git2.h>

#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"

namespace kstack::git::internal {

template <typename T, void (*Free)(T*)>
struct Freer {
  void operator()(T* p) const { Free(p); }
};

using RepositoryPtr = std::unique_ptr<git_repository, Freer<git_repository, git_repository_free>>;
using RemotePtr = std::unique_ptr<git_remote, Freer<git_remote, git_remote_free>>;
using ReferencePtr = std::unique_ptr<git_reference, Freer<git_reference, git_reference_free>>;
using ObjectPtr = std::unique_ptr<git_object, Freer<git_object, git_object_free>>;
using CommitPtr = std::unique_ptr<git_commit, Freer<git_commit, git_commit_free>>;
using TreePtr = std::unique_ptr<git_tree, Freer<git_tree, git_tree_free>>;
using BlobPtr = std::unique_ptr<git_blob, Freer<git_blob, git_blob_free>>;
using ConfigPtr = std::unique_ptr<git_config, Freer<git_config, git_config_free>>;

// Initialises libgit2 once per process and keeps it initialised. It also stops libgit2 from
// reading the user's and the system's Git configuration, so that results do not depend on the
// machine's ~/.gitconfig.
void EnsureLibgit2();

// libgit2's features (GIT_FEATURE_*), as the running library reports them.
int Libgit2Features();

// The last libgit2 error's message, or `fallback` when libgit2 recorded none.
std::string LastErrorMessage(std::string_view fallback = "unknown libgit2 error");

// Opens the bare repository at `path`. Errors: NotFound when there is none, Internal otherwise.
Status OpenBare(const std::string& path, RepositoryPtr* out);

// "0123...": the 40 hex digits of `oid`.
std::string OidHex(const git_oid& oid);

}  // namespace kstack::git::internal
