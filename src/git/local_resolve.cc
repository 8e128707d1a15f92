#include "git/internal/local_resolve.h"

#include "git/internal/libgit2.h"
#include "git/internal/revision.h"

namespace kstack::git::internal {
namespace {

std::string Quote(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out.append(1, '"').append(s).append(1, '"');
  return out;
}

// The commit a ref leads to, after following symbolic refs and peeling tags; NotFound when
// the ref does not exist or is unborn.
Result<git_oid> PeelRef(git_repository* repo, const std::string& name) {
  git_reference* ref = nullptr;
  if (git_reference_lookup(&ref, repo, name.c_str()) != 0) return NotFoundError(name);
  ReferencePtr owned(ref);
  git_object* target = nullptr;
  int rc = git_reference_peel(&target, ref, GIT_OBJECT_COMMIT);
  if (rc == GIT_ENOTFOUND) return NotFoundError(name);
  if (rc != 0) {
    return InvalidError("ref " + name + " does not point to a commit: " + LastErrorMessage());
  }
  ObjectPtr commit(target);
  return *git_object_id(target);
}

}  // namespace

Result<git_oid> FindCommit(git_repository* repo, std::string_view sha) {
  if (!IsShaPrefix(sha)) return InvalidError("commit " + Quote(sha) + " is not a SHA");
  git_oid prefix;
  if (git_oid_fromstrn(&prefix, sha.data(), sha.size()) != 0) {
    return InvalidError("commit " + Quote(sha) + " is not a SHA");
  }
  git_object* found = nullptr;
  int rc = git_object_lookup_prefix(&found, repo, &prefix, sha.size(), GIT_OBJECT_ANY);
  if (rc == GIT_EAMBIGUOUS) {
    return InvalidError("commit SHA prefix " + Quote(sha) + " is ambiguous");
  }
  if (rc != 0) return NotFoundError("commit " + Quote(sha) + " not found");
  ObjectPtr object(found);
  git_object* peeled = nullptr;
  if (git_object_peel(&peeled, found, GIT_OBJECT_COMMIT) != 0) {
    return InvalidError(Quote(sha) + " is a " + git_object_type2string(git_object_type(found)) +
                        ", not a commit");
  }
  ObjectPtr commit(peeled);
  return *git_object_id(peeled);
}

Result<std::string> ResolveLocal(git_repository* repo, std::string_view revision) {
  for (const std::string& name : CandidateRefs(revision)) {
    Result<git_oid> oid = PeelRef(repo, name);
    if (oid.ok()) return OidHex(*oid);
    if (oid.status().reason() != Reason::kNotFound) return oid.status();
  }
  if (IsShaPrefix(revision)) {
    Result<git_oid> oid = FindCommit(repo, revision);
    if (oid.ok()) return OidHex(*oid);
    if (oid.status().reason() != Reason::kNotFound) return oid.status();
  }
  return NotFoundError("revision " + Quote(revision) + " not found (not a branch, tag or commit)");
}

}  // namespace kstack::git::internal
