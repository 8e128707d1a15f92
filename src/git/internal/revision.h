#pragma once

// The pure part of revision resolution: which refs a `targetRevision` may name, in Argo CD's
// order, and which strings are commit SHAs.

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace kstack::git::internal {

// 40 hexadecimal digits.
bool IsCommitSha(std::string_view revision);
// 7 to 40 hexadecimal digits: a full SHA or an abbreviation of one.
bool IsShaPrefix(std::string_view revision);

// Rejects what cannot be a branch, tag, ref or SHA (control characters, spaces, "..", "@{",
// and ~ ^ : ? * [ \), so that a revision can be written into a refspec safely.
// Errors: Invalid naming the revision.
Status ValidateRevision(std::string_view revision);

// The refs `revision` may designate, in the order they are tried: {"HEAD"} for "" and "HEAD";
// the revision itself when it starts with "refs/"; else refs/heads/<rev> then refs/tags/<rev>.
std::vector<std::string> CandidateRefs(std::string_view revision);

// A fully-qualified ref outside refs/heads/ and refs/tags/, which a regular update does not
// fetch ("refs/pull/7/head").
bool IsExtraRef(std::string_view revision);

}  // namespace kstack::git::internal
