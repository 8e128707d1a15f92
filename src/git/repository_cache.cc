#include "git/repository_cache.h"

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <mutex>

#include "git/internal/libgit2.h"
#include "git/internal/local_resolve.h"
#include "git/internal/remote_update.h"
#include "git/internal/revision.h"
#include "git/internal/single_flight.h"
#include "git/internal/tree_impl.h"
#include "git/url.h"

namespace kstack::git {
namespace fs = std::filesystem;
using internal::RepositoryPtr;

namespace {

// Names of unfinished clones, removed when a cache is opened.
constexpr std::string_view kPartialPrefix = ".partial-";

// A stable 64-bit FNV-1a hash: cache directory names must not change between builds.
uint64_t Fnv1a(std::string_view s) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

// "<readable tail of the URL>-<hash>.git": a person can tell which repository a directory
// holds, and two URLs never share one.
std::string DirectoryName(const std::string& normalized) {
  std::string readable;
  size_t scheme_end = normalized.find("://");
  for (char c : normalized.substr(scheme_end == std::string::npos ? 0 : scheme_end + 3)) {
    bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '.' || c == '-' || c == '_';
    readable += keep ? c : '_';
  }
  while (!readable.empty() && (readable.front() == '_' || readable.front() == '.')) {
    readable.erase(0, 1);
  }
  if (readable.size() > 48) readable = readable.substr(readable.size() - 48);
  char hash[17];
  snprintf(hash, sizeof hash, "%016llx", static_cast<unsigned long long>(Fnv1a(normalized)));
  return readable + "-" + hash + ".git";
}

Status WithRepo(const Status& status, const RepoUrl& url) {
  return Status(status.reason(), "repository \"" + url.display + "\": " + status.message());
}

}  // namespace

class RepositoryCache::Impl {
 public:
  explicit Impl(std::string dir) : dir_(std::move(dir)) {}

  Result<std::string> Resolve(const Source& source, std::string_view revision, FetchPolicy policy);
  Result<std::unique_ptr<Tree>> OpenTree(std::string_view url, std::string_view commit);
  std::string PathFor(const RepoUrl& url) const {
    return dir_ + "/" + DirectoryName(url.normalized);
  }
  CacheStats stats() const { return {remote_updates_.load(), packs_received_.load()}; }

 private:
  // What the cache knows of one repository. Entries are never removed.
  struct Entry {
    std::string path;
    internal::SingleFlight update;  // the regular update: branches, tags and HEAD
    std::mutex extra_mu;
    std::map<std::string, std::unique_ptr<internal::SingleFlight>> extra;  // other refs
  };

  Entry& EntryFor(const RepoUrl& url);
  Result<std::string> ResolveCached(const Entry& entry, std::string_view revision);
  // Fetches into the repository, cloning it first when it is not there yet.
  Status Update(Entry& entry, const RepoUrl& url, const Credentials& credentials,
                const internal::UpdateOptions& options);
  Status FetchExtraRef(Entry& entry, const RepoUrl& url, const Credentials& credentials,
                       const std::string& ref);

  const std::string dir_;
  std::mutex mu_;
  std::map<std::string, std::unique_ptr<Entry>> entries_;  // by normalised URL
  std::atomic<int64_t> remote_updates_{0};
  std::atomic<int64_t> packs_received_{0};
  std::atomic<uint64_t> partial_serial_{0};
};

RepositoryCache::Impl::Entry& RepositoryCache::Impl::EntryFor(const RepoUrl& url) {
  std::lock_guard lock(mu_);
  std::unique_ptr<Entry>& entry = entries_[url.normalized];
  if (!entry) {
    entry = std::make_unique<Entry>();
    entry->path = PathFor(url);
  }
  return *entry;
}

Result<std::string> RepositoryCache::Impl::ResolveCached(const Entry& entry,
                                                         std::string_view revision) {
  std::error_code ec;
  if (!fs::exists(entry.path, ec)) return NotFoundError("not in the cache");
  RepositoryPtr repo;
  KSTACK_RETURN_IF_ERROR(internal::OpenBare(entry.path, &repo));
  return internal::ResolveLocal(repo.get(), revision);
}

Status RepositoryCache::Impl::Update(Entry& entry, const RepoUrl& url,
                                     const Credentials& credentials,
                                     const internal::UpdateOptions& options) {
  internal::EnsureLibgit2();
  std::error_code ec;
  bool exists = fs::exists(entry.path, ec);
  // A first clone is made beside its final place and renamed there once complete, so that a
  // failed or interrupted clone never looks like a repository.
  std::string path = entry.path;
  if (!exists) {
    path = dir_ + "/" + std::string(kPartialPrefix) + std::to_string(getpid()) + "-" +
           std::to_string(partial_serial_++);
  }
  RepositoryPtr repo;
  if (exists) {
    KSTACK_RETURN_IF_ERROR(internal::OpenBare(path, &repo));
  } else {
    git_repository* created = nullptr;
    if (git_repository_init(&created, path.c_str(), /*is_bare=*/1) != 0) {
      return InternalError("creating " + path + ": " + internal::LastErrorMessage());
    }
    repo.reset(created);
  }
  ++remote_updates_;
  Result<internal::UpdateOutcome> outcome =
      internal::UpdateFromRemote(repo.get(), url, credentials, options);
  repo.reset();
  if (outcome.ok() && outcome->received_pack) ++packs_received_;
  if (exists) return outcome.status();
  if (outcome.ok()) {
    fs::rename(path, entry.path, ec);
    if (!ec) return Status::Ok();
    outcome = InternalError("moving the clone of \"" + url.display + "\" to " + entry.path + ": " +
                            ec.message());
  }
  fs::remove_all(path, ec);
  return outcome.status();
}

Status RepositoryCache::Impl::FetchExtraRef(Entry& entry, const RepoUrl& url,
                                            const Credentials& credentials,
                                            const std::string& ref) {
  internal::SingleFlight* flight;
  {
    std::lock_guard lock(entry.extra_mu);
    auto& slot = entry.extra[ref];
    if (!slot) slot = std::make_unique<internal::SingleFlight>();
    flight = slot.get();
  }
  return flight->Do(
      [&] { return Update(entry, url, credentials, {.refspecs = {"+" + ref + ":" + ref}}); });
}

Result<std::string> RepositoryCache::Impl::Resolve(const Source& source, std::string_view revision,
                                                   FetchPolicy policy) {
  internal::EnsureLibgit2();
  KSTACK_ASSIGN_OR_RETURN(RepoUrl url, ParseRepoUrl(source.url));
  KSTACK_RETURN_IF_ERROR(internal::CheckTransport(url, internal::Libgit2Features()));
  std::string rev = revision.empty() ? "HEAD" : std::string(revision);
  if (Status valid = internal::ValidateRevision(rev); !valid.ok()) return WithRepo(valid, url);
  Entry& entry = EntryFor(url);

  // Commits never change, so a cached SHA needs no remote; with kIfMissing and kNever neither
  // does anything else that is cached.
  if (policy != FetchPolicy::kAlways || internal::IsShaPrefix(rev)) {
    Result<std::string> cached = ResolveCached(entry, rev);
    if (cached.ok()) return cached;
    if (cached.status().reason() != Reason::kNotFound || policy == FetchPolicy::kNever) {
      return WithRepo(cached.status(), url);
    }
  }
  Status updated = entry.update.Do([&] {
    return Update(entry, url, source.credentials,
                  {.refspecs = {"+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"},
                   .prune = true,
                   .mirror_head = true});
  });
  if (!updated.ok()) return updated;
  Result<std::string> resolved = ResolveCached(entry, rev);
  if (!resolved.ok() && resolved.status().reason() == Reason::kNotFound &&
      internal::IsExtraRef(rev)) {
    KSTACK_RETURN_IF_ERROR(FetchExtraRef(entry, url, source.credentials, rev));
    resolved = ResolveCached(entry, rev);
  }
  if (!resolved.ok()) return WithRepo(resolved.status(), url);
  return resolved;
}

Result<std::unique_ptr<Tree>> RepositoryCache::Impl::OpenTree(std::string_view url_text,
                                                              std::string_view commit) {
  internal::EnsureLibgit2();
  KSTACK_ASSIGN_OR_RETURN(RepoUrl url, ParseRepoUrl(url_text));
  std::string path = PathFor(url);
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    return NotFoundError("repository \"" + url.display +
                         "\" is not in the cache (resolve a revision of it first)");
  }
  RepositoryPtr repo;
  KSTACK_RETURN_IF_ERROR(internal::OpenBare(path, &repo));
  Result<git_oid> oid = internal::FindCommit(repo.get(), commit);
  if (!oid.ok()) return WithRepo(oid.status(), url);
  git_commit* found = nullptr;
  git_tree* tree = nullptr;
  if (git_commit_lookup(&found, repo.get(), &*oid) != 0) {
    return InternalError("reading commit " + std::string(commit) + ": " +
                         internal::LastErrorMessage());
  }
  internal::CommitPtr owned(found);
  if (git_commit_tree(&tree, found) != 0) {
    return InternalError("reading the tree of commit " + std::string(commit) + ": " +
                         internal::LastErrorMessage());
  }
  auto impl = std::make_unique<Tree::Impl>(std::move(repo), internal::TreePtr(tree),
                                           internal::OidHex(*oid), url.display);
  return std::make_unique<Tree>(std::move(impl));
}

RepositoryCache::RepositoryCache(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
RepositoryCache::~RepositoryCache() = default;

Result<std::unique_ptr<RepositoryCache>> RepositoryCache::Open(std::string dir) {
  internal::EnsureLibgit2();
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return InternalError("creating the git cache directory " + dir + ": " + ec.message());
  std::string absolute = fs::absolute(dir, ec).lexically_normal().string();
  if (ec) return InternalError("git cache directory " + dir + ": " + ec.message());
  while (absolute.size() > 1 && absolute.back() == '/') absolute.pop_back();
  for (const auto& child : fs::directory_iterator(absolute, ec)) {
    if (child.path().filename().string().starts_with(kPartialPrefix)) {
      std::error_code ignored;
      fs::remove_all(child.path(), ignored);
    }
  }
  return std::unique_ptr<RepositoryCache>(
      new RepositoryCache(std::make_unique<Impl>(std::move(absolute))));
}

Result<std::string> RepositoryCache::Resolve(const Source& source, std::string_view revision,
                                             FetchPolicy policy) {
  return impl_->Resolve(source, revision, policy);
}

Result<std::unique_ptr<Tree>> RepositoryCache::OpenTree(std::string_view url,
                                                        std::string_view commit) {
  return impl_->OpenTree(url, commit);
}

Result<std::vector<TreeEntry>> RepositoryCache::ListTree(std::string_view url,
                                                         std::string_view commit,
                                                         std::string_view path, bool recursive) {
  KSTACK_ASSIGN_OR_RETURN(std::unique_ptr<Tree> tree, impl_->OpenTree(url, commit));
  return tree->List(path, recursive);
}

Result<std::string> RepositoryCache::ReadFile(std::string_view url, std::string_view commit,
                                              std::string_view path) {
  KSTACK_ASSIGN_OR_RETURN(std::unique_ptr<Tree> tree, impl_->OpenTree(url, commit));
  return tree->ReadFile(path);
}

Result<std::string> RepositoryCache::RepositoryPath(std::string_view url) const {
  KSTACK_ASSIGN_OR_RETURN(RepoUrl parsed, ParseRepoUrl(url));
  return impl_->PathFor(parsed);
}

CacheStats RepositoryCache::stats() const { return impl_->stats(); }

}  // namespace kstack::git
