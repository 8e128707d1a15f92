#pragma once

// A cache in a temporary directory and a source repository with a known history:
//   main:  README.md, apps/a.yaml, apps/b.yaml, apps/nested/c.yaml  (tags v1 annotated,
//          v1-light lightweight, on the first commit)
//   dev:   main plus dev.yaml

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "git/repository_cache.h"
#include "tests/git/git_test_env.h"
#include "tests/testing/temp_dir.h"

namespace kstack::git::testing {

class CacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto cache = RepositoryCache::Open(cache_dir_.path() + "/cache");
    ASSERT_TRUE(cache.ok()) << cache.status().ToString();
    cache_ = std::move(*cache);
  }

  // A repository under the sources directory with the history described above.
  SourceRepo MakeStandardRepo(const std::string& name = "repo") {
    SourceRepo repo(sources_.path() + "/" + name);
    repo.Write("README.md", "# demo\n");
    repo.Write("apps/a.yaml", "kind: A\n");
    repo.Write("apps/b.yaml", "kind: B\n");
    repo.Write("apps/nested/c.yaml", "kind: C\n");
    first_ = repo.Commit("first");
    repo.Git({"tag", "-a", "v1", "-m", "release 1"});
    repo.Git({"tag", "v1-light"});
    repo.Git({"checkout", "-q", "-b", "dev"});
    repo.Write("dev.yaml", "kind: Dev\n");
    dev_ = repo.Commit("dev work");
    repo.Git({"checkout", "-q", "main"});
    return repo;
  }

  // Resolves and fails the test on error.
  std::string MustResolve(const Source& source, std::string_view revision,
                          FetchPolicy policy = FetchPolicy::kAlways) {
    auto sha = cache_->Resolve(source, revision, policy);
    EXPECT_TRUE(sha.ok()) << sha.status().ToString();
    return sha.ok() ? *sha : std::string();
  }

  kstack::testing::TempDir sources_;
  kstack::testing::TempDir cache_dir_;
  std::unique_ptr<RepositoryCache> cache_;
  std::string first_;
  std::string dev_;
};

}  // namespace kstack::git::testing
