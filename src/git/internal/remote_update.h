#pragma once

// One conversation with a remote: list its refs, download the objects that are missing, move
// the local refs to where the remote's are, and mirror its HEAD.

#include <git2.h>

#include <string>
#include <vector>

#include "core/result.h"
#include "git/source.h"
#include "git/url.h"

namespace kstack::git::internal {

// Invalid ("ssh is not supported by this build") when libgit2's `features` (GIT_FEATURE_*)
// lack the transport of `url`; likewise for HTTPS.
Status CheckTransport(const RepoUrl& url, int features);

struct UpdateOptions {
  // Refspecs of the fetch, e.g. "+refs/heads/*:refs/heads/*".
  std::vector<std::string> refspecs;
  // Deletes local refs under the refspecs' destinations that the remote no longer has.
  bool prune = false;
  // Points the local HEAD where the remote's HEAD points (its default branch).
  bool mirror_head = false;
};

struct UpdateOutcome {
  // Whether a pack of new objects was received.
  bool received_pack = false;
};

// Updates `repo` from `url` with `credentials`. Errors as RepositoryCache::Resolve documents
// for the remote (NotFound, Unauthorized, Unavailable, Invalid), each naming the URL.
Result<UpdateOutcome> UpdateFromRemote(git_repository* repo, const RepoUrl& url,
                                       const Credentials& credentials,
                                       const UpdateOptions& options);

}  // namespace kstack::git::internal
