// Conformance: list with limit and continue, count, consistency across pages.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <thread>

#include "tests/store/store_fixture.h"

namespace kstack::store::testing {
namespace {

class StoreListTest : public StoreTest {
 protected:
  std::vector<std::string> Keys(const ListResult& r) {
    std::vector<std::string> keys;
    for (const KeyValue& kv : r.kvs) {
      keys.push_back(kv.key);
    }
    return keys;
  }
};
KSTACK_STORE_CONFORMANCE(StoreListTest);

TEST_P(StoreListTest, PrefixIsolationOrderAndDeletes) {
  for (const char* k : {"/a/2", "/a/1", "/ab", "/a", "/b/1", "/a/3"}) {
    ASSERT_TRUE(store().Create(k, k).ok());
  }
  auto a3 = store().Get("/a/3");
  ASSERT_TRUE(store().Delete("/a/3", a3->mod_revision).ok());
  auto listed = store().List({.prefix = "/a/"});
  ASSERT_TRUE(listed.ok()) << listed.status().ToString();
  EXPECT_EQ(Keys(*listed), (std::vector<std::string>{"/a/1", "/a/2"}));
  EXPECT_EQ(listed->revision, store().CurrentRevision().value());
  EXPECT_TRUE(listed->continue_token.empty());
  EXPECT_EQ(listed->kvs[0].value, "/a/1");
  EXPECT_EQ(Keys(*store().List({.prefix = ""})),
            (std::vector<std::string>{"/a", "/a/1", "/a/2", "/ab", "/b/1"}));
  EXPECT_EQ(store().Count("/a/").value(), 2);
  EXPECT_EQ(store().Count("/a").value(), 4);
  EXPECT_EQ(store().Count("").value(), 5);
  EXPECT_EQ(store().Count("/zzz").value(), 0);
}

TEST_P(StoreListTest, ListAtOldRevision) {
  auto a = store().Create("/p/a", "1");
  auto before = store().CurrentRevision().value();
  ASSERT_TRUE(store().Update("/p/a", "2", a->mod_revision).ok());
  ASSERT_TRUE(store().Create("/p/b", "1").ok());
  auto old = store().List({.prefix = "/p/", .revision = before});
  ASSERT_TRUE(old.ok());
  ASSERT_EQ(old->kvs.size(), 1u);
  EXPECT_EQ(old->kvs[0].value, "1");
  EXPECT_EQ(old->revision, before);
  EXPECT_EQ(store().List({.prefix = "/p/", .revision = before + 100}).status().reason(),
            Reason::kTimeout);
}

TEST_P(StoreListTest, PagesWithLimitAndContinue) {
  for (int i = 0; i < 25; ++i) {
    ASSERT_TRUE(store().Create(fmt::format("/p/{:03d}", i), "v").ok());
  }
  std::vector<std::string> all;
  ListOptions options{.prefix = "/p/", .limit = 10};
  int pages = 0;
  while (true) {
    auto page = store().List(options);
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    ++pages;
    for (auto& k : Keys(*page)) {
      all.push_back(k);
    }
    if (page->continue_token.empty()) {
      break;
    }
    options.continue_token = page->continue_token;
  }
  EXPECT_EQ(pages, 3);
  ASSERT_EQ(all.size(), 25u);
  EXPECT_EQ(all.front(), "/p/000");
  EXPECT_EQ(all.back(), "/p/024");
  // A limit equal to the count needs no continue.
  EXPECT_TRUE(store().List({.prefix = "/p/", .limit = 25})->continue_token.empty());
}

TEST_P(StoreListTest, MalformedContinueFailsBadRequest) {
  EXPECT_EQ(store().List({.prefix = "/p/", .continue_token = "garbage"}).status().reason(),
            Reason::kBadRequest);
  EXPECT_EQ(store().List({.prefix = "/p/", .continue_token = "5:/q/x"}).status().reason(),
            Reason::kBadRequest);
}

// Pages read while other writers create, update and delete under the same prefix still add up
// to the listing at the first page's revision.
TEST_P(StoreListTest, PaginationDuringConcurrentWrites) {
  std::map<std::string, std::string> want;
  for (int i = 0; i < 200; ++i) {
    std::string key = fmt::format("/p/{:04d}", i * 2);
    ASSERT_TRUE(store().Create(key, "original").ok());
    want[key] = "original";
  }
  std::atomic<bool> stop = false;
  std::thread writer([&] {
    for (int i = 0; !stop; ++i) {
      std::string key = fmt::format("/p/{:04d}", (i * 7) % 400);
      auto got = store().Get(key);
      if (!got.ok()) {
        store().Create(key, "new").status().IgnoreError();
      } else if (i % 3 == 0) {
        store().Delete(key, got->mod_revision).status().IgnoreError();
      } else {
        store().Update(key, "changed", got->mod_revision).status().IgnoreError();
      }
    }
  });
  std::map<std::string, std::string> got;
  ListOptions options{.prefix = "/p/", .limit = 7};
  int64_t first_revision = 0;
  while (true) {
    auto page = store().List(options);
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    if (first_revision == 0) {
      first_revision = page->revision;
    }
    EXPECT_EQ(page->revision, first_revision);
    for (const KeyValue& kv : page->kvs) {
      EXPECT_TRUE(got.emplace(kv.key, kv.value).second) << "listed twice: " << kv.key;
    }
    if (page->continue_token.empty()) {
      break;
    }
    options.continue_token = page->continue_token;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  stop = true;
  writer.join();
  auto snapshot = store().List({.prefix = "/p/", .revision = first_revision});
  ASSERT_TRUE(snapshot.ok());
  std::map<std::string, std::string> at_revision;
  for (const KeyValue& kv : snapshot->kvs) {
    at_revision[kv.key] = kv.value;
  }
  EXPECT_EQ(got, at_revision);
  EXPECT_GT(store().CurrentRevision().value(), first_revision) << "the writer made no progress";
}

}  // namespace
}  // namespace kstack::store::testing
