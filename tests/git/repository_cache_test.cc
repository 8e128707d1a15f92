// Resolving revisions of local repositories (file:// URLs and plain paths): every kind of
// revision, new commits, deleted branches, fetch policies and errors.

#include "git/repository_cache.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "tests/git/cache_fixture.h"

namespace kstack::git::testing {
namespace {

using ::testing::HasSubstr;

class ResolveTest : public CacheTest {
 protected:
  void SetUp() override {
    CacheTest::SetUp();
    repo_ = std::make_unique<SourceRepo>(MakeStandardRepo());
    source_.url = "file://" + repo_->path();
  }
  std::unique_ptr<SourceRepo> repo_;
  Source source_;
};

TEST_F(ResolveTest, BranchesTagsHeadAndShas) {
  EXPECT_EQ(MustResolve(source_, "main"), first_);
  EXPECT_EQ(MustResolve(source_, "dev"), dev_);
  EXPECT_EQ(MustResolve(source_, "HEAD"), first_);
  EXPECT_EQ(MustResolve(source_, ""), first_);
  EXPECT_EQ(MustResolve(source_, "v1"), first_) << "an annotated tag resolves to its commit";
  EXPECT_EQ(MustResolve(source_, "v1-light"), first_);
  EXPECT_EQ(MustResolve(source_, "refs/heads/dev"), dev_);
  EXPECT_EQ(MustResolve(source_, "refs/tags/v1"), first_);
  EXPECT_EQ(MustResolve(source_, dev_), dev_);
  EXPECT_EQ(MustResolve(source_, dev_.substr(0, 7)), dev_);
  EXPECT_EQ(MustResolve(source_, dev_.substr(0, 12)), dev_);
}

TEST_F(ResolveTest, PlainPathsAndFileUrlsShareOneCacheEntry) {
  Source plain{.url = repo_->path()};
  Source with_git{.url = "file://" + repo_->path() + ".git/"};
  EXPECT_EQ(MustResolve(plain, "dev"), dev_);
  EXPECT_EQ(*cache_->RepositoryPath(plain.url), *cache_->RepositoryPath(source_.url));
  EXPECT_EQ(*cache_->RepositoryPath(with_git.url), *cache_->RepositoryPath(source_.url));
  EXPECT_EQ(MustResolve(source_, "dev", FetchPolicy::kNever), dev_);
}

TEST_F(ResolveTest, HeadIsTheRemoteDefaultBranch) {
  repo_->Git({"symbolic-ref", "HEAD", "refs/heads/dev"});
  EXPECT_EQ(MustResolve(source_, "HEAD"), dev_);
  repo_->Git({"symbolic-ref", "HEAD", "refs/heads/main"});
  EXPECT_EQ(MustResolve(source_, "HEAD"), first_);
}

TEST_F(ResolveTest, BranchWinsOverTagOfTheSameName) {
  repo_->Git({"tag", "dev", first_});
  EXPECT_EQ(MustResolve(source_, "dev"), dev_);
  EXPECT_EQ(MustResolve(source_, "refs/tags/dev"), first_);
}

TEST_F(ResolveTest, NewCommitsAreFetched) {
  EXPECT_EQ(MustResolve(source_, "main"), first_);
  repo_->Write("apps/a.yaml", "kind: A2\n");
  std::string second = repo_->Commit("second");
  EXPECT_EQ(MustResolve(source_, "main"), second);
  auto text = cache_->ReadFile(source_.url, second, "apps/a.yaml");
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  EXPECT_EQ(*text, "kind: A2\n");
  // The old commit stays readable.
  EXPECT_EQ(*cache_->ReadFile(source_.url, first_, "apps/a.yaml"), "kind: A\n");
  EXPECT_EQ(cache_->stats().packs_received, 2);
}

TEST_F(ResolveTest, MovedTagsAndForcePushesAreFollowed) {
  EXPECT_EQ(MustResolve(source_, "v1-light"), first_);
  repo_->Git({"tag", "-f", "v1-light", dev_});
  EXPECT_EQ(MustResolve(source_, "v1-light"), dev_);
  repo_->Git({"branch", "-f", "dev", first_});
  EXPECT_EQ(MustResolve(source_, "dev"), first_);
}

TEST_F(ResolveTest, DeletedBranchesArePruned) {
  EXPECT_EQ(MustResolve(source_, "dev"), dev_);
  repo_->Git({"branch", "-D", "dev"});
  auto gone = cache_->Resolve(source_, "dev");
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.status().reason(), Reason::kNotFound);
  // The commit itself stays cached.
  EXPECT_EQ(MustResolve(source_, dev_), dev_);
}

TEST_F(ResolveTest, OtherRefsAreFetchedWhenAskedFor) {
  repo_->Git({"update-ref", "refs/pull/7/head", dev_});
  EXPECT_EQ(MustResolve(source_, "refs/pull/7/head"), dev_);
}

TEST_F(ResolveTest, CachedShaNeedsNoRemote) {
  EXPECT_EQ(MustResolve(source_, "main"), first_);
  int64_t updates = cache_->stats().remote_updates;
  EXPECT_EQ(MustResolve(source_, first_), first_);
  EXPECT_EQ(MustResolve(source_, first_.substr(0, 8)), first_);
  EXPECT_EQ(cache_->stats().remote_updates, updates);
}

TEST_F(ResolveTest, IfMissingUsesTheCacheUntilTheRevisionIsMissing) {
  EXPECT_EQ(MustResolve(source_, "main"), first_);
  std::string second = repo_->Commit("second");
  EXPECT_EQ(MustResolve(source_, "main", FetchPolicy::kIfMissing), first_);
  repo_->Git({"branch", "feature"});
  EXPECT_EQ(MustResolve(source_, "feature", FetchPolicy::kIfMissing), second);
  EXPECT_EQ(MustResolve(source_, "main", FetchPolicy::kIfMissing), second);
}

TEST_F(ResolveTest, NeverPolicyStaysOffline) {
  auto missing = cache_->Resolve(source_, "main", FetchPolicy::kNever);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().reason(), Reason::kNotFound);
  EXPECT_THAT(missing.status().message(), HasSubstr(repo_->path()));
  EXPECT_EQ(cache_->stats().remote_updates, 0);
  MustResolve(source_, "main");
  std::string second = repo_->Commit("second");
  EXPECT_EQ(MustResolve(source_, "main", FetchPolicy::kNever), first_);
  auto unknown = cache_->Resolve(source_, second, FetchPolicy::kNever);
  EXPECT_EQ(unknown.status().reason(), Reason::kNotFound);
}

TEST_F(ResolveTest, ACacheIsReusedAfterReopening) {
  MustResolve(source_, "dev");
  std::string dir = cache_dir_.path() + "/cache";
  cache_.reset();
  auto reopened = RepositoryCache::Open(dir);
  ASSERT_TRUE(reopened.ok());
  cache_ = std::move(*reopened);
  EXPECT_EQ(MustResolve(source_, "dev", FetchPolicy::kNever), dev_);
}

TEST_F(ResolveTest, MissingRevisionNamesRevisionAndRepository) {
  auto r = cache_->Resolve(source_, "no-such-branch");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().reason(), Reason::kNotFound);
  EXPECT_THAT(r.status().message(), HasSubstr("\"no-such-branch\""));
  EXPECT_THAT(r.status().message(), HasSubstr(source_.url));

  auto sha = cache_->Resolve(source_, "0123456789abcdef0123456789abcdef01234567");
  EXPECT_EQ(sha.status().reason(), Reason::kNotFound);
  EXPECT_THAT(sha.status().message(), HasSubstr("0123456789abcdef0123456789abcdef01234567"));
}

TEST_F(ResolveTest, MalformedRevisionIsInvalid) {
  for (const char* bad : {"a b", "main..dev", "x~1", "HEAD^", "@{-1}", "a:b"}) {
    auto r = cache_->Resolve(source_, bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().reason(), Reason::kInvalid) << bad;
    EXPECT_THAT(r.status().message(), HasSubstr(bad));
  }
}

TEST_F(ResolveTest, TagOfATreeIsNotACommit) {
  repo_->Git({"tag", "tree-tag", "main^{tree}"});
  auto r = cache_->Resolve(source_, "tree-tag");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().reason(), Reason::kInvalid);
  EXPECT_THAT(r.status().message(), HasSubstr("tree-tag"));
}

TEST_F(CacheTest, MissingRepositoryIsNotFoundAndLeavesNothingBehind) {
  for (std::string url : {sources_.path() + "/nope", "file://" + sources_.path() + "/nope"}) {
    auto r = cache_->Resolve({.url = url}, "main");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().reason(), Reason::kNotFound) << r.status().ToString();
    EXPECT_THAT(r.status().message(), HasSubstr(url));
  }
  size_t entries = 0;
  for ([[maybe_unused]] const auto& e :
       std::filesystem::directory_iterator(cache_dir_.path() + "/cache")) {
    ++entries;
  }
  EXPECT_EQ(entries, 0u);
}

TEST_F(CacheTest, EmptyRepositoryHasNoRevisions) {
  SourceRepo empty(sources_.path() + "/empty");
  auto r = cache_->Resolve({.url = empty.path()}, "HEAD");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().reason(), Reason::kNotFound);
}

TEST_F(CacheTest, MalformedUrlIsInvalid) {
  for (const char* bad : {"", "ftp://example.com/repo", "https://host:99999/repo"}) {
    auto r = cache_->Resolve({.url = bad}, "main");
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().reason(), Reason::kInvalid) << bad;
  }
}

TEST_F(CacheTest, ReadingAnUncachedRepositoryOrCommitIsNotFound) {
  SourceRepo repo = MakeStandardRepo();
  auto uncached = cache_->ReadFile(repo.path(), first_, "README.md");
  ASSERT_FALSE(uncached.ok());
  EXPECT_EQ(uncached.status().reason(), Reason::kNotFound);
  EXPECT_THAT(uncached.status().message(), HasSubstr("not in the cache"));

  MustResolve({.url = repo.path()}, "main");
  auto commit = cache_->ReadFile(repo.path(), "0123456789abcdef0123456789abcdef01234567", "x");
  EXPECT_EQ(commit.status().reason(), Reason::kNotFound);
  EXPECT_THAT(commit.status().message(), HasSubstr("0123456789abcdef0123456789abcdef01234567"));
  auto bad = cache_->ReadFile(repo.path(), "not-a-sha", "x");
  EXPECT_EQ(bad.status().reason(), Reason::kInvalid);
}

}  // namespace
}  // namespace kstack::git::testing
