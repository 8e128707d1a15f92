#include "git/internal/revision.h"

namespace kstack::git::internal {
namespace {

bool IsHex(std::string_view s) {
  for (char c : s) {
    bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (!hex) return false;
  }
  return true;
}

}  // namespace

bool IsCommitSha(std::string_view revision) { return revision.size() == 40 && IsHex(revision); }

bool IsShaPrefix(std::string_view revision) {
  return revision.size() >= 7 && revision.size() <= 40 && IsHex(revision);
}

Status ValidateRevision(std::string_view revision) {
  auto invalid = [&](std::string_view why) {
    return InvalidError("revision \"" + std::string(revision) +
                        "\" is not a valid branch, tag or " + "commit name: " + std::string(why));
  };
  for (char c : revision) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f || c == ' ')
      return invalid("it contains a space or control character");
    if (std::string_view("~^:?*[\\").find(c) != std::string_view::npos) {
      return invalid(std::string("it contains '") + c + "'");
    }
  }
  if (revision.find("..") != std::string_view::npos) return invalid("it contains \"..\"");
  if (revision.find("@{") != std::string_view::npos) return invalid("it contains \"@{\"");
  if (revision.starts_with('/') || revision.ends_with('/') || revision.starts_with('-')) {
    return invalid("it starts or ends badly");
  }
  return Status::Ok();
}

std::vector<std::string> CandidateRefs(std::string_view revision) {
  if (revision.empty() || revision == "HEAD") return {"HEAD"};
  if (revision.starts_with("refs/")) return {std::string(revision)};
  return {"refs/heads/" + std::string(revision), "refs/tags/" + std::string(revision)};
}

bool IsExtraRef(std::string_view revision) {
  return revision.starts_with("refs/") && !revision.starts_with("refs/heads/") &&
         !revision.starts_with("refs/tags/");
}

}  // namespace kstack::git::internal
