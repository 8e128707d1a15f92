#include "render/file_tree.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include "render/disk_tree.h"
#include "render/memory_tree.h"
#include "tests/render/file_tree_conformance.h"

namespace kstack::render {
namespace {

namespace fs = std::filesystem;

TEST(CleanPath, CleansLexically) {
  struct Case {
    const char* in;
    const char* want;
  };
  for (const Case& c : std::vector<Case>{{"", ""},
                                         {".", ""},
                                         {"/", ""},
                                         {"a", "a"},
                                         {"./a//b/", "a/b"},
                                         {"a/./b/../c", "a/c"},
                                         {"/a/b", "a/b"},
                                         {"a/..", ""},
                                         {"a/b/../../c", "c"},
                                         {"..a/b..", "..a/b.."}}) {
    Result<std::string> got = CleanPath(c.in);
    ASSERT_TRUE(got.ok()) << c.in;
    EXPECT_EQ(*got, c.want) << c.in;
  }
  for (const char* bad : {"..", "../a", "a/../..", "/.."}) {
    EXPECT_EQ(CleanPath(bad).status().reason(), Reason::kForbidden) << bad;
  }
}

TEST(JoinPath, ReadsAbsoluteFromTheRoot) {
  EXPECT_EQ(JoinPath("app/", "x.libsonnet").value_or("?"), "app/x.libsonnet");
  EXPECT_EQ(JoinPath("app/team", "../common/x").value_or("?"), "app/common/x");
  EXPECT_EQ(JoinPath("app", "/vendor/x").value_or("?"), "vendor/x");
  EXPECT_EQ(JoinPath("", "x").value_or("?"), "x");
  EXPECT_EQ(JoinPath("app", "../../x").status().reason(), Reason::kForbidden);
  EXPECT_EQ(BaseName("a/b.yaml"), "b.yaml");
  EXPECT_EQ(BaseName("b.yaml"), "b.yaml");
  EXPECT_EQ(DirName("a/b/c.yaml"), "a/b");
  EXPECT_EQ(DirName("c.yaml"), "");
}

// A fresh directory per test, removed afterwards.
class TempDir {
 public:
  TempDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = fs::temp_directory_path() /
            ("kstack-render-" + std::to_string(::getpid()) + "-" + info->name());
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::unique_ptr<FileTree> BuildOnDisk(const fs::path& base, const testing::TreeSpec& spec) {
  fs::path root = base / "tree";
  fs::create_directories(root);
  std::ofstream(base / "outside") << "outside the tree";
  for (const auto& [path, text] : spec.files) {
    fs::create_directories((root / path).parent_path());
    std::ofstream(root / path) << text;
  }
  for (const std::string& dir : spec.directories) fs::create_directories(root / dir);
  for (const auto& [path, target] : spec.symlinks) {
    fs::create_directories((root / path).parent_path());
    fs::create_symlink(target, root / path);
  }
  Result<std::unique_ptr<DiskTree>> tree = DiskTree::Open(root);
  if (!tree.ok()) return nullptr;
  return std::move(*tree);
}

std::unique_ptr<FileTree> BuildInMemory(const testing::TreeSpec& spec) {
  auto tree = std::make_unique<MemoryTree>();
  for (const auto& [path, text] : spec.files) tree->AddFile(path, text);
  for (const std::string& dir : spec.directories) tree->AddDirectory(dir);
  for (const auto& [path, target] : spec.symlinks) tree->AddSymlink(path, target);
  return tree;
}

TEST(DiskTree, Conforms) {
  TempDir dir;
  testing::CheckConformance(
      [&](const testing::TreeSpec& spec) { return BuildOnDisk(dir.path(), spec); });
}

TEST(MemoryTree, Conforms) { testing::CheckConformance(BuildInMemory); }

TEST(DiskTree, HidesTheRepositorysOwnData) {
  TempDir dir;
  fs::create_directories(dir.path() / ".git/refs");
  std::ofstream(dir.path() / ".git/config") << "[core]\n";
  fs::create_directories(dir.path() / "sub");
  std::ofstream(dir.path() / "sub/.git") << "gitdir: ../.git/modules/sub\n";
  std::ofstream(dir.path() / "sub/a.yaml") << "a";
  std::ofstream(dir.path() / ".gitignore") << "x";
  auto tree = DiskTree::Open(dir.path());
  ASSERT_TRUE(tree.ok());
  auto all = (*tree)->List("", true);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(testing::Show(*all), ".gitignore sub/ sub/a.yaml ");
}

TEST(DiskTree, OpenRefusesWhatIsNoDirectory) {
  TempDir dir;
  std::ofstream(dir.path() / "file") << "x";
  EXPECT_EQ(DiskTree::Open(dir.path() / "missing").status().reason(), Reason::kNotFound);
  EXPECT_EQ(DiskTree::Open(dir.path() / "file").status().reason(), Reason::kBadRequest);
}

TEST(DiskTree, AbsoluteSymlinkOutOfTheTreeIsForbidden) {
  TempDir dir;
  fs::create_directories(dir.path() / "tree");
  std::ofstream(dir.path() / "secret") << "x";
  fs::create_symlink(dir.path() / "secret", dir.path() / "tree/host.yaml");
  auto tree = DiskTree::Open(dir.path() / "tree");
  ASSERT_TRUE(tree.ok());
  EXPECT_EQ((*tree)->Read("host.yaml").status().reason(), Reason::kForbidden);
}

TEST(DiskTree, ListsButNeverReadsWhatIsNoRegularFile) {
  TempDir dir;
  ASSERT_EQ(::mkfifo((dir.path() / "pipe.yaml").c_str(), 0600), 0);
  auto tree = DiskTree::Open(dir.path());
  ASSERT_TRUE(tree.ok());
  auto all = (*tree)->List("", true);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(testing::Show(*all), "pipe.yaml? ");
  // Returns at once rather than waiting for a writer.
  EXPECT_EQ((*tree)->Read("pipe.yaml").status().reason(), Reason::kBadRequest);
}

}  // namespace
}  // namespace kstack::render
