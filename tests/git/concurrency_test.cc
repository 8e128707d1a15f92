// Many threads on one repository: concurrent resolves share one fetch, and readers keep
// reading correct bytes while fetches add commits.

#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <thread>

#include "tests/git/cache_fixture.h"

namespace kstack::git::testing {
namespace {

TEST_F(CacheTest, ConcurrentResolvesOfOneRepositoryShareOneFetch) {
  SourceRepo repo = MakeStandardRepo();
  // A slow server keeps the first fetch in flight while the other resolves arrive.
  HttpGitServer server(sources_.path(), {.delay_ms = 500});
  Source source{.url = server.Url("repo")};
  constexpr int kThreads = 8;
  std::latch start(kThreads);
  std::vector<std::string> results(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      auto sha = cache_->Resolve(source, i % 2 == 0 ? "main" : "dev");
      results[i] = sha.ok() ? *sha : sha.status().ToString();
    });
  }
  for (std::thread& t : threads) t.join();
  for (int i = 0; i < kThreads; ++i) EXPECT_EQ(results[i], i % 2 == 0 ? first_ : dev_);
  EXPECT_EQ(cache_->stats().remote_updates, 1);
  EXPECT_EQ(cache_->stats().packs_received, 1);
}

TEST_F(CacheTest, ConcurrentFirstClonesOfDifferentRepositories) {
  std::vector<std::unique_ptr<SourceRepo>> repos;
  for (int i = 0; i < 4; ++i) {
    std::string name = "r";
    name += std::to_string(i);
    repos.push_back(std::make_unique<SourceRepo>(sources_.path() + "/" + name));
    repos.back()->Write("id.txt", std::to_string(i));
    repos.back()->Commit(name);
  }
  std::vector<std::thread> threads;
  std::atomic<int> good{0};
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      auto sha = cache_->Resolve({.url = repos[i]->path()}, "main");
      if (!sha.ok()) return;
      auto text = cache_->ReadFile(repos[i]->path(), *sha, "id.txt");
      if (text.ok() && *text == std::to_string(i)) ++good;
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(good.load(), 4);
}

TEST_F(CacheTest, ReadersAreUndisturbedByFetches) {
  SourceRepo repo = MakeStandardRepo();
  Source source{.url = repo.path()};
  std::string commit = MustResolve(source, "main");
  std::atomic<bool> stop{false};
  std::atomic<int> reads{0};
  std::atomic<int> failures{0};
  std::vector<std::thread> readers;
  for (int i = 0; i < 4; ++i) {
    readers.emplace_back([&] {
      while (!stop.load()) {
        auto tree = cache_->OpenTree(source.url, commit);
        if (!tree.ok()) {
          ++failures;
          continue;
        }
        auto list = (*tree)->List("", true);
        auto text = (*tree)->ReadFile("apps/nested/c.yaml");
        if (!list.ok() || list->size() != 6 || !text.ok() || *text != "kind: C\n") ++failures;
        ++reads;
      }
    });
  }
  std::string latest;
  for (int i = 0; i < 10; ++i) {
    repo.Write("apps/gen-" + std::to_string(i) + ".yaml", "n: " + std::to_string(i) + "\n");
    latest = repo.Commit("gen " + std::to_string(i));
    EXPECT_EQ(MustResolve(source, "main"), latest);
  }
  stop = true;
  for (std::thread& t : readers) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_GT(reads.load(), 0);
  EXPECT_EQ(*cache_->ReadFile(source.url, latest, "apps/gen-9.yaml"), "n: 9\n");
}

}  // namespace
}  // namespace kstack::git::testing
