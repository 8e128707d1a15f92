// Reading the files of a commit: listings, file contents, symbolic links, paths and errors.

#include "git/tree.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/git/cache_fixture.h"

namespace kstack::git::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::vector<std::string> Paths(const std::vector<TreeEntry>& entries) {
  std::vector<std::string> out;
  for (const TreeEntry& e : entries) out.push_back(e.path);
  return out;
}

class TreeTest : public CacheTest {
 protected:
  void SetUp() override {
    CacheTest::SetUp();
    repo_ = std::make_unique<SourceRepo>(sources_.path() + "/repo");
    repo_->Write("README.md", "# demo\n");
    repo_->Write("apps/a.yaml", "kind: A\n");
    repo_->Write("apps/a/inner.yaml", "kind: Inner\n");
    repo_->Write("apps/b.json", "{}\n");
    repo_->Write("apps/.hidden.yaml", "kind: Hidden\n");
    repo_->Write("apps/nested/deep/c.yaml", "kind: C\n");
    repo_->Write("bin/run.sh", "#!/bin/sh\n");
    repo_->Write("binary.dat", std::string("\0\1\2\xff", 4));
    RunCommand({"chmod", "+x", repo_->path() + "/bin/run.sh"});
    RunCommand({"ln", "-s", "apps/a.yaml", repo_->path() + "/link.yaml"});
    RunCommand({"ln", "-s", "apps/nested", repo_->path() + "/nested-link"});
    RunCommand({"ln", "-s", "../apps/b.json", repo_->path() + "/bin/up-link.json"});
    RunCommand({"ln", "-s", "/etc/passwd", repo_->path() + "/outside"});
    RunCommand({"ln", "-s", "../../etc/passwd", repo_->path() + "/climb"});
    RunCommand({"ln", "-s", "loop-b", repo_->path() + "/loop-a"});
    RunCommand({"ln", "-s", "loop-a", repo_->path() + "/loop-b"});
    repo_->Git({"add", "-A"});
    // A submodule entry (gitlink) without a .gitmodules file is enough for the tree.
    repo_->Git({"update-index", "--add", "--cacheinfo",
                "160000,0123456789abcdef0123456789abcdef01234567,vendor/sub"});
    repo_->Git({"commit", "-q", "-m", "tree"});
    commit_ = repo_->Sha("HEAD");
    url_ = repo_->path();
    MustResolve({.url = url_}, "main");
    auto tree = cache_->OpenTree(url_, commit_);
    ASSERT_TRUE(tree.ok()) << tree.status().ToString();
    tree_ = std::move(*tree);
  }

  std::unique_ptr<SourceRepo> repo_;
  std::string commit_;
  std::string url_;
  std::unique_ptr<Tree> tree_;
};

TEST_F(TreeTest, KnowsItsCommit) {
  EXPECT_EQ(tree_->commit(), commit_);
  auto by_prefix = cache_->OpenTree(url_, commit_.substr(0, 7));
  ASSERT_TRUE(by_prefix.ok());
  EXPECT_EQ((*by_prefix)->commit(), commit_);
}

TEST_F(TreeTest, ListsChildrenInWalkOrder) {
  auto root = tree_->List("", false);
  ASSERT_TRUE(root.ok()) << root.status().ToString();
  EXPECT_THAT(Paths(*root),
              ElementsAre("README.md", "apps", "bin", "binary.dat", "climb", "link.yaml", "loop-a",
                          "loop-b", "nested-link", "outside", "vendor"));
}

TEST_F(TreeTest, ListsRecursivelyRelativeToTheDirectory) {
  auto apps = tree_->List("apps", true);
  ASSERT_TRUE(apps.ok()) << apps.status().ToString();
  // "a" (a directory) comes before "a.yaml", as filepath.Walk visits them.
  EXPECT_THAT(Paths(*apps), ElementsAre(".hidden.yaml", "a", "a/inner.yaml", "a.yaml", "b.json",
                                        "nested", "nested/deep", "nested/deep/c.yaml"));
  EXPECT_EQ((*apps)[1].type, EntryType::kDirectory);
  EXPECT_EQ((*apps)[2].type, EntryType::kFile);
}

TEST_F(TreeTest, EntryTypesModesAndIds) {
  auto all = tree_->List("/", true);
  ASSERT_TRUE(all.ok());
  auto find = [&](std::string_view path) {
    for (const TreeEntry& e : *all) {
      if (e.path == path) return e;
    }
    ADD_FAILURE() << path << " not listed";
    return TreeEntry{};
  };
  EXPECT_TRUE(find("bin/run.sh").executable);
  EXPECT_FALSE(find("README.md").executable);
  EXPECT_EQ(find("link.yaml").type, EntryType::kSymlink);
  EXPECT_EQ(find("vendor/sub").type, EntryType::kSubmodule);
  EXPECT_EQ(find("vendor/sub").id, "0123456789abcdef0123456789abcdef01234567");
  EXPECT_EQ(find("README.md").id, repo_->Git({"rev-parse", "HEAD:README.md"}));
}

TEST_F(TreeTest, ReadsFilesAsBytes) {
  EXPECT_EQ(*tree_->ReadFile("apps/nested/deep/c.yaml"), "kind: C\n");
  EXPECT_EQ(*tree_->ReadFile("binary.dat"), std::string("\0\1\2\xff", 4));
  EXPECT_EQ(*tree_->ReadFile("./apps//a.yaml"), "kind: A\n");
  EXPECT_EQ(*tree_->ReadFile("/apps/nested/../a.yaml"), "kind: A\n");
  EXPECT_EQ(*cache_->ReadFile(url_, commit_, "README.md"), "# demo\n");
}

TEST_F(TreeTest, FollowsSymlinksInsideTheTree) {
  EXPECT_EQ(*tree_->ReadFile("link.yaml"), "kind: A\n");
  EXPECT_EQ(*tree_->ReadFile("nested-link/deep/c.yaml"), "kind: C\n");
  EXPECT_EQ(*tree_->ReadFile("bin/up-link.json"), "{}\n");
  auto listed = tree_->List("nested-link", true);
  ASSERT_TRUE(listed.ok());
  EXPECT_THAT(Paths(*listed), ElementsAre("deep", "deep/c.yaml"));
  auto stat = tree_->Stat("link.yaml");
  ASSERT_TRUE(stat.ok());
  EXPECT_EQ(stat->type, EntryType::kFile);
  EXPECT_EQ(stat->path, "link.yaml");
}

TEST_F(TreeTest, RefusesSymlinksOutOfTheTree) {
  for (const char* path : {"outside", "climb"}) {
    auto r = tree_->ReadFile(path);
    ASSERT_FALSE(r.ok()) << path;
    EXPECT_EQ(r.status().reason(), Reason::kInvalid) << path;
    EXPECT_THAT(r.status().message(), HasSubstr(path));
  }
  auto loop = tree_->ReadFile("loop-a");
  EXPECT_EQ(loop.status().reason(), Reason::kInvalid);
  EXPECT_THAT(loop.status().message(), HasSubstr("symbolic links"));
}

TEST_F(TreeTest, PathErrorsNameThePathCommitAndRepository) {
  auto missing = tree_->ReadFile("apps/missing.yaml");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().reason(), Reason::kNotFound);
  EXPECT_THAT(missing.status().message(), HasSubstr("\"apps/missing.yaml\""));
  EXPECT_THAT(missing.status().message(), HasSubstr(commit_));
  EXPECT_THAT(missing.status().message(), HasSubstr(url_));

  EXPECT_EQ(tree_->List("nope", true).status().reason(), Reason::kNotFound);
  EXPECT_EQ(tree_->List("README.md", false).status().reason(), Reason::kInvalid);
  EXPECT_EQ(tree_->ReadFile("apps").status().reason(), Reason::kInvalid);
  EXPECT_EQ(tree_->ReadFile("vendor/sub").status().reason(), Reason::kInvalid);
  EXPECT_EQ(tree_->ReadFile("README.md/x").status().reason(), Reason::kInvalid);
  EXPECT_EQ(tree_->ReadFile("../x").status().reason(), Reason::kInvalid);
  EXPECT_EQ(tree_->List("apps/../..", false).status().reason(), Reason::kInvalid);
}

}  // namespace
}  // namespace kstack::git::testing
