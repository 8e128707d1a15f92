#include "render/disk_tree.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <system_error>

namespace kstack::render {
namespace {

namespace fs = std::filesystem;

// The tree path of a listed child.
std::string Child(const std::string& dir, const std::string& name) {
  return dir.empty() ? name : dir + "/" + name;
}

EntryType TypeOf(fs::file_type type) {
  switch (type) {
    case fs::file_type::regular:
      return EntryType::kFile;
    case fs::file_type::directory:
      return EntryType::kDirectory;
    case fs::file_type::symlink:
      return EntryType::kSymlink;
    default:
      return EntryType::kOther;
  }
}

bool Within(const fs::path& path, const fs::path& root) {
  auto [r, p] = std::mismatch(root.begin(), root.end(), path.begin(), path.end());
  return r == root.end();
}

Status ListInto(const fs::path& real_dir, const std::string& tree_dir, bool recursive,
                std::vector<Entry>* out) {
  std::error_code ec;
  std::vector<std::pair<std::string, fs::file_type>> children;
  for (fs::directory_iterator it(real_dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (name == ".git") continue;
    std::error_code type_ec;
    fs::file_type type = it->symlink_status(type_ec).type();
    if (type_ec) {
      return UnavailableError(
          fmt::format("{}: cannot read: {}", Child(tree_dir, name), type_ec.message()));
    }
    children.emplace_back(std::move(name), type);
  }
  if (ec) {
    return UnavailableError(fmt::format("{}: cannot list the directory: {}",
                                        tree_dir.empty() ? "." : tree_dir, ec.message()));
  }
  std::sort(children.begin(), children.end());
  for (auto& [name, type] : children) {
    std::string path = Child(tree_dir, name);
    EntryType entry_type = TypeOf(type);
    out->push_back({path, entry_type});
    if (recursive && entry_type == EntryType::kDirectory) {
      KSTACK_RETURN_IF_ERROR(ListInto(real_dir / name, path, recursive, out));
    }
  }
  return Status::Ok();
}

// The contents of the open file `fd`, which is closed.
Result<std::string> ReadOpen(int fd, std::string_view path) {
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    int error = errno;
    ::close(fd);
    return UnavailableError(fmt::format("{}: {}", path, std::strerror(error)));
  }
  if (S_ISDIR(st.st_mode)) {
    ::close(fd);
    return BadRequestError(fmt::format("{}: is a directory", path));
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return BadRequestError(fmt::format("{}: not a regular file", path));
  }
  std::string text;
  text.reserve(static_cast<size_t>(st.st_size));
  char buffer[65536];
  while (true) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      int error = errno;
      ::close(fd);
      return UnavailableError(
          fmt::format("{}: cannot read the file: {}", path, std::strerror(error)));
    }
    text.append(buffer, static_cast<size_t>(n));
  }
  ::close(fd);
  return text;
}

}  // namespace

Result<std::unique_ptr<DiskTree>> DiskTree::Open(const fs::path& root) {
  std::error_code ec;
  fs::path canonical = fs::canonical(root, ec);
  if (ec) return NotFoundError(fmt::format("{}: {}", root.string(), ec.message()));
  if (!fs::is_directory(canonical, ec)) {
    return BadRequestError(fmt::format("{}: not a directory", root.string()));
  }
  int fd = ::open(canonical.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    return UnavailableError(fmt::format("{}: {}", root.string(), std::strerror(errno)));
  }
  return std::unique_ptr<DiskTree>(new DiskTree(std::move(canonical), fd));
}

DiskTree::~DiskTree() { ::close(root_fd_); }

Result<fs::path> DiskTree::Resolve(std::string_view path) const {
  KSTACK_ASSIGN_OR_RETURN(std::string clean, CleanPath(path));
  fs::path lexical = clean.empty() ? root_ : root_ / clean;
  std::error_code ec;
  fs::path real = fs::canonical(lexical, ec);
  if (ec) {
    if (ec == std::errc::no_such_file_or_directory || ec == std::errc::not_a_directory) {
      return NotFoundError(fmt::format("{}: no such file or directory", path));
    }
    return UnavailableError(fmt::format("{}: {}", path, ec.message()));
  }
  if (!Within(real, root_)) {
    return ForbiddenError(fmt::format("{}: leads outside the repository", path));
  }
  return real;
}

Result<std::vector<Entry>> DiskTree::List(std::string_view dir, bool recursive) const {
  KSTACK_ASSIGN_OR_RETURN(std::string clean, CleanPath(dir));
  KSTACK_ASSIGN_OR_RETURN(fs::path real, Resolve(clean));
  std::error_code ec;
  if (!fs::is_directory(real, ec)) {
    return BadRequestError(fmt::format("{}: not a directory", dir));
  }
  std::vector<Entry> entries;
  KSTACK_RETURN_IF_ERROR(ListInto(real, clean, recursive, &entries));
  return entries;
}

Result<std::string> DiskTree::Read(std::string_view path) const {
  KSTACK_ASSIGN_OR_RETURN(std::string clean, CleanPath(path));
  if (clean.empty()) return BadRequestError(fmt::format("{}: is a directory", path));
  // One system call that follows symlinks but refuses any step out of the root (absolute
  // targets included), without a window between checking and opening. O_NONBLOCK keeps a
  // FIFO from blocking the open; it is refused as not regular right after.
  struct open_how how = {};
  how.flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY;
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
  int fd = static_cast<int>(::syscall(SYS_openat2, root_fd_, clean.c_str(), &how, sizeof how));
  if (fd >= 0) return ReadOpen(fd, path);
  switch (errno) {
    case ENOENT:
    case ENOTDIR:
      return NotFoundError(fmt::format("{}: no such file or directory", path));
    case EXDEV:
      return ForbiddenError(fmt::format("{}: leads outside the repository", path));
    case ELOOP:
      return BadRequestError(fmt::format("{}: too many levels of symbolic links", path));
    case ENOSYS:
    case EPERM:  // a seccomp filter that does not know openat2
      return ReadResolving(clean);
    default:
      return UnavailableError(fmt::format("{}: {}", path, std::strerror(errno)));
  }
}

Result<std::string> DiskTree::ReadResolving(std::string_view path) const {
  KSTACK_ASSIGN_OR_RETURN(fs::path real, Resolve(path));
  int fd = ::open(real.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) return UnavailableError(fmt::format("{}: {}", path, std::strerror(errno)));
  return ReadOpen(fd, path);
}

}  // namespace kstack::render
