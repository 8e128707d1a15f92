#pragma once

// RepositoryCache: bare clones of Git repositories under one directory (one per normalised
// URL, see url.h), kept up to date by fetches, from which revisions are resolved to commits and
// the files of a commit are read without a work tree.
//
// Revisions follow Argo CD's `targetRevision` rules: "" and "HEAD" name the remote's default
// branch; a name is looked up as a branch, then as a tag (refs/heads/<name>, refs/tags/<name>);
// a fully-qualified ref ("refs/heads/main", "refs/pull/7/head") is taken as it is; otherwise
// 7 to 40 hexadecimal digits name a commit by its SHA or a unique prefix of it. Annotated tags
// resolve to the commit they point to.
//
// Network access happens only in Resolve. Reads (OpenTree, ListTree, ReadFile) use what is in
// the cache and never fetch: resolve first, then read the commit Resolve returned.
//
// Thread safety: every method may be called from any thread at once. Readers of a repository
// are never disturbed by a fetch into it (objects are only added; refs change atomically).
// Fetches of one repository are coalesced: a Resolve that needs the remote while a fetch of
// the same repository runs waits for that fetch and uses its outcome instead of starting
// another. One process at a time should use a cache directory.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "git/source.h"
#include "git/tree.h"

namespace kstack::git {

enum class FetchPolicy {
  // Asks the remote where branches, tags and HEAD point now and fetches what is new. A commit
  // SHA that is already cached is used without contacting the remote (commits never change).
  kAlways,
  // Resolves from the cache when the revision is there (a branch may then be behind the
  // remote); contacts the remote only when it is not.
  kIfMissing,
  // Never contacts the remote; a revision or repository that is not cached is NotFound.
  kNever,
};

struct CacheStats {
  // Conversations with a remote (each lists its refs and downloads what is missing).
  int64_t remote_updates = 0;
  // Of those, how many received a pack of new objects.
  int64_t packs_received = 0;
};

class RepositoryCache {
 public:
  // Opens the cache rooted at `dir`, creating the directory when needed. Repositories cloned
  // by an earlier process are reused. Errors: Internal when `dir` cannot be created.
  static Result<std::unique_ptr<RepositoryCache>> Open(std::string dir);

  ~RepositoryCache();
  RepositoryCache(const RepositoryCache&) = delete;
  RepositoryCache& operator=(const RepositoryCache&) = delete;

  // Resolves `revision` of `source` to a full commit SHA (40 hex digits), cloning or fetching
  // as `policy` allows.
  // Errors, each naming the URL and, where it applies, the revision:
  //   Invalid      the URL cannot be parsed, the transport is not built in (for SSH: "ssh is
  //                not supported by this build"), or a SHA prefix is ambiguous;
  //   NotFound     the repository does not exist on the remote, or the revision is not a
  //                branch, tag or commit of it (or, with kNever, is not cached);
  //   Unauthorized the remote refused the credentials, or asked for some and none were given;
  //   Unavailable  the remote cannot be reached, its TLS certificate or SSH host key is not
  //                trusted, or the transfer failed.
  Result<std::string> Resolve(const Source& source, std::string_view revision,
                              FetchPolicy policy = FetchPolicy::kAlways);

  // The files of `commit` (a full SHA or a unique prefix of at least 7 digits) of the cached
  // repository `url` (any spelling of it). Errors: NotFound when the repository or the commit
  // is not in the cache, Invalid for a malformed URL or commit.
  Result<std::unique_ptr<Tree>> OpenTree(std::string_view url, std::string_view commit);

  // Shorthands for OpenTree followed by Tree::List / Tree::ReadFile (see tree.h). When reading
  // many files of one commit, open the Tree once instead.
  Result<std::vector<TreeEntry>> ListTree(std::string_view url, std::string_view commit,
                                          std::string_view path, bool recursive);
  Result<std::string> ReadFile(std::string_view url, std::string_view commit,
                               std::string_view path);

  // The directory holding the bare clone of `url`, whether or not it exists yet.
  // Errors: Invalid for a malformed URL.
  Result<std::string> RepositoryPath(std::string_view url) const;

  CacheStats stats() const;

 private:
  class Impl;
  explicit RepositoryCache(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace kstack::git
