#include "git/tree.h"

#include <algorithm>
#include <cstring>
#include <deque>

#include "git/internal/tree_impl.h"

namespace kstack::git {
namespace {

constexpr int kMaxSymlinks = 40;

// The components of `path`, without empty and "." ones; ".." stays for the walk to apply.
std::deque<std::string> Components(std::string_view path) {
  std::deque<std::string> parts;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    std::string_view part = path.substr(start, slash - start);
    if (!part.empty() && part != ".") parts.emplace_back(part);
    start = slash + 1;
  }
  return parts;
}

std::string Joined(std::string_view path) {
  std::string out;
  for (const std::string& part : Components(path)) {
    if (!out.empty()) out += '/';
    out += part;
  }
  return out;
}

EntryType TypeOf(git_filemode_t mode) {
  switch (mode) {
    case GIT_FILEMODE_TREE:
      return EntryType::kDirectory;
    case GIT_FILEMODE_LINK:
      return EntryType::kSymlink;
    case GIT_FILEMODE_COMMIT:
      return EntryType::kSubmodule;
    default:
      return EntryType::kFile;
  }
}

}  // namespace

Status Tree::Impl::PathError(Reason reason, std::string_view path, std::string_view what) const {
  return Status(reason, "path \"" + std::string(path) + "\" " + std::string(what) + " in commit " +
                            commit_ + " of repository \"" + url_ + "\"");
}

Status Tree::Impl::ReadBlob(const git_oid& oid, std::string* out) const {
  git_blob* blob = nullptr;
  if (git_blob_lookup(&blob, repo_.get(), &oid) != 0) {
    return InternalError("reading blob " + internal::OidHex(oid) + " of repository \"" + url_ +
                         "\": " + internal::LastErrorMessage());
  }
  internal::BlobPtr owned(blob);
  out->assign(static_cast<const char*>(git_blob_rawcontent(blob)),
              static_cast<size_t>(git_blob_rawsize(blob)));
  return Status::Ok();
}

Result<Tree::Impl::Node> Tree::Impl::Lookup(std::string_view path, bool follow_last) const {
  std::deque<std::string> pending = Components(path);
  std::vector<internal::TreePtr> dirs;  // the trees below the root on the way so far
  auto current = [&]() { return dirs.empty() ? root_.get() : dirs.back().get(); };
  Node node{GIT_FILEMODE_TREE, *git_tree_id(root_.get())};
  int links = 0;
  while (!pending.empty()) {
    if (node.mode != GIT_FILEMODE_TREE) {
      return PathError(Reason::kInvalid, path, "goes through a file that is not a directory");
    }
    std::string name = std::move(pending.front());
    pending.pop_front();
    if (name == "..") {
      if (dirs.empty()) return PathError(Reason::kInvalid, path, "leads outside the repository");
      dirs.pop_back();
      node = Node{GIT_FILEMODE_TREE, *git_tree_id(current())};
      continue;
    }
    const git_tree_entry* entry = git_tree_entry_byname(current(), name.c_str());
    if (entry == nullptr) return PathError(Reason::kNotFound, path, "not found");
    git_filemode_t mode = git_tree_entry_filemode(entry);
    if (mode == GIT_FILEMODE_LINK && (follow_last || !pending.empty())) {
      if (++links > kMaxSymlinks) {
        return PathError(Reason::kInvalid, path, "has too many levels of symbolic links");
      }
      std::string target;
      KSTACK_RETURN_IF_ERROR(ReadBlob(*git_tree_entry_id(entry), &target));
      if (target.starts_with('/')) {
        return PathError(Reason::kInvalid, path,
                         "is a symbolic link to \"" + target + "\", outside the repository,");
      }
      // The target is relative to the link's directory, which is where the walk stands.
      std::deque<std::string> more = Components(target);
      pending.insert(pending.begin(), more.begin(), more.end());
      continue;
    }
    node = Node{mode, *git_tree_entry_id(entry)};
    if (mode == GIT_FILEMODE_TREE) {
      git_tree* tree = nullptr;
      if (git_tree_lookup(&tree, repo_.get(), &node.oid) != 0) {
        return InternalError("reading tree of \"" + std::string(path) +
                             "\": " + internal::LastErrorMessage());
      }
      dirs.emplace_back(tree);
    }
  }
  return node;
}

Status Tree::Impl::Walk(const git_tree* tree, const std::string& prefix, bool recursive,
                        std::vector<TreeEntry>* out) const {
  size_t count = git_tree_entrycount(tree);
  std::vector<const git_tree_entry*> entries(count);
  for (size_t i = 0; i < count; ++i) entries[i] = git_tree_entry_byindex(tree, i);
  // Git orders a directory as if its name ended in '/'; a walk orders plain names.
  std::sort(entries.begin(), entries.end(), [](const git_tree_entry* a, const git_tree_entry* b) {
    return std::strcmp(git_tree_entry_name(a), git_tree_entry_name(b)) < 0;
  });
  for (const git_tree_entry* entry : entries) {
    git_filemode_t mode = git_tree_entry_filemode(entry);
    TreeEntry e;
    e.path = prefix + git_tree_entry_name(entry);
    e.type = TypeOf(mode);
    e.executable = mode == GIT_FILEMODE_BLOB_EXECUTABLE;
    e.id = internal::OidHex(*git_tree_entry_id(entry));
    out->push_back(e);
    if (recursive && mode == GIT_FILEMODE_TREE) {
      git_tree* sub = nullptr;
      if (git_tree_lookup(&sub, repo_.get(), git_tree_entry_id(entry)) != 0) {
        return InternalError("reading tree " + e.path + ": " + internal::LastErrorMessage());
      }
      internal::TreePtr owned(sub);
      KSTACK_RETURN_IF_ERROR(Walk(sub, e.path + "/", recursive, out));
    }
  }
  return Status::Ok();
}

Result<std::vector<TreeEntry>> Tree::Impl::List(std::string_view path, bool recursive) const {
  KSTACK_ASSIGN_OR_RETURN(Node node, Lookup(path, true));
  if (node.mode != GIT_FILEMODE_TREE) {
    return PathError(Reason::kInvalid, path, "is not a directory");
  }
  git_tree* tree = nullptr;
  if (git_tree_lookup(&tree, repo_.get(), &node.oid) != 0) {
    return InternalError("reading tree of \"" + std::string(path) +
                         "\": " + internal::LastErrorMessage());
  }
  internal::TreePtr owned(tree);
  std::vector<TreeEntry> out;
  KSTACK_RETURN_IF_ERROR(Walk(tree, "", recursive, &out));
  return out;
}

Result<std::string> Tree::Impl::ReadFile(std::string_view path) const {
  KSTACK_ASSIGN_OR_RETURN(Node node, Lookup(path, true));
  if (node.mode == GIT_FILEMODE_TREE) return PathError(Reason::kInvalid, path, "is a directory");
  if (node.mode == GIT_FILEMODE_COMMIT) return PathError(Reason::kInvalid, path, "is a submodule");
  std::string bytes;
  KSTACK_RETURN_IF_ERROR(ReadBlob(node.oid, &bytes));
  return bytes;
}

Result<TreeEntry> Tree::Impl::Stat(std::string_view path) const {
  KSTACK_ASSIGN_OR_RETURN(Node node, Lookup(path, true));
  return TreeEntry{.path = Joined(path),
                   .type = TypeOf(node.mode),
                   .executable = node.mode == GIT_FILEMODE_BLOB_EXECUTABLE,
                   .id = internal::OidHex(node.oid)};
}

Tree::Tree(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Tree::~Tree() = default;
const std::string& Tree::commit() const { return impl_->commit(); }
const std::string& Tree::url() const { return impl_->url(); }
Result<std::vector<TreeEntry>> Tree::List(std::string_view path, bool recursive) const {
  return impl_->List(path, recursive);
}
Result<std::string> Tree::ReadFile(std::string_view path) const { return impl_->ReadFile(path); }
Result<TreeEntry> Tree::Stat(std::string_view path) const { return impl_->Stat(path); }

}  // namespace kstack::git
