#include "git/internal/libgit2.h"

#include <mutex>

namespace kstack::git::internal {

void EnsureLibgit2() {
  static std::once_flag once;
  std::call_once(once, [] {
    git_libgit2_init();
    for (int level : {GIT_CONFIG_LEVEL_SYSTEM, GIT_CONFIG_LEVEL_XDG, GIT_CONFIG_LEVEL_GLOBAL,
                      GIT_CONFIG_LEVEL_PROGRAMDATA}) {
      git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, level, "");
    }
    git_libgit2_opts(GIT_OPT_SET_USER_AGENT, "kstack");
  });
}

int Libgit2Features() {
  EnsureLibgit2();
  return git_libgit2_features();
}

std::string LastErrorMessage(std::string_view fallback) {
  const git_error* e = git_error_last();
  if (e == nullptr || e->message == nullptr || e->message[0] == '\0') return std::string(fallback);
  return e->message;
}

Status OpenBare(const std::string& path, RepositoryPtr* out) {
  EnsureLibgit2();
  git_repository* repo = nullptr;
  int rc = git_repository_open_ext(
      &repo, path.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH | GIT_REPOSITORY_OPEN_BARE, nullptr);
  if (rc == GIT_ENOTFOUND) return NotFoundError("no repository at " + path);
  if (rc != 0) return InternalError("opening repository " + path + ": " + LastErrorMessage());
  out->reset(repo);
  return Status::Ok();
}

std::string OidHex(const git_oid& oid) {
  char buf[GIT_OID_HEXSZ + 1];
  git_oid_tostr(buf, sizeof buf, &oid);
  return std::string(buf, GIT_OID_HEXSZ);
}

}  // namespace kstack::git::internal
