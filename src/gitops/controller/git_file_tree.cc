#include "gitops/controller/git_file_tree.h"

namespace kstack::gitops::controller {
namespace {

// git::Tree says Invalid both for a path that leaves the repository and for one that is not
// the kind of entry asked for; FileTree tells them apart (Forbidden, BadRequest).
Status Translate(const Status& status) {
  if (status.reason() != Reason::kInvalid) return status;
  if (status.message().find("outside the repository") != std::string::npos) {
    return Status(Reason::kForbidden, status.message());
  }
  return Status(Reason::kBadRequest, status.message());
}

render::EntryType TypeOf(git::EntryType type) {
  switch (type) {
    case git::EntryType::kFile:
      return render::EntryType::kFile;
    case git::EntryType::kDirectory:
      return render::EntryType::kDirectory;
    case git::EntryType::kSymlink:
      return render::EntryType::kSymlink;
    case git::EntryType::kSubmodule:
      return render::EntryType::kOther;
  }
  return render::EntryType::kOther;
}

}  // namespace

Result<std::vector<render::Entry>> GitFileTree::List(std::string_view dir, bool recursive) const {
  KSTACK_ASSIGN_OR_RETURN(std::string clean, render::CleanPath(dir));
  Result<std::vector<git::TreeEntry>> entries = [&] {
    std::lock_guard<std::mutex> hold(mu_);
    return tree_->List(clean, recursive);
  }();
  if (!entries.ok()) return Translate(entries.status());
  std::vector<render::Entry> out;
  out.reserve(entries->size());
  for (git::TreeEntry& e : *entries) {
    out.push_back(
        {.path = clean.empty() ? std::move(e.path) : clean + "/" + e.path, .type = TypeOf(e.type)});
  }
  return out;
}

Result<std::string> GitFileTree::Read(std::string_view path) const {
  KSTACK_ASSIGN_OR_RETURN(std::string clean, render::CleanPath(path));
  std::lock_guard<std::mutex> hold(mu_);
  Result<std::string> text = tree_->ReadFile(clean);
  if (!text.ok()) return Translate(text.status());
  return text;
}

}  // namespace kstack::gitops::controller
