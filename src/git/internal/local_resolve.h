#pragma once

// Revision resolution against the refs and objects already in a cached repository.

#include <git2.h>

#include <string>
#include <string_view>

#include "core/result.h"

namespace kstack::git::internal {

// The full SHA of the commit `revision` names in `repo` (rules in revision.h, tried in order:
// the candidate refs, then a SHA or unique SHA prefix). Errors: NotFound when nothing matches,
// Invalid when a SHA prefix is ambiguous or a ref or SHA names something other than a commit.
// Messages name the revision but not the repository, which the caller adds.
Result<std::string> ResolveLocal(git_repository* repo, std::string_view revision);

// The commit `sha` (full, or a unique prefix of at least 7 digits) names in `repo`.
// Errors: NotFound, Invalid (ambiguous prefix, not a commit, not a SHA).
Result<git_oid> FindCommit(git_repository* repo, std::string_view sha);

}  // namespace kstack::git::internal
