#include "tests/arch/module_order.h"

#include <gtest/gtest.h>

#include <fstream>

namespace kstack::arch {
namespace {

namespace fs = std::filesystem;

std::string Lines(const std::vector<std::string>& v) {
  std::string out;
  for (const std::string& s : v) out += s + "\n";
  return out;
}

TEST(ModuleOrder, SourceTreeKeepsTheOrderOfDesignMd) {
  std::vector<std::string> problems = CheckModuleOrder(fs::path(KSTACK_SOURCE_DIR) / "src");
  EXPECT_TRUE(problems.empty()) << Lines(problems);
}

class FixtureTree : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("kstack-arch-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
             "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
  }
  void TearDown() override { fs::remove_all(root_); }
  void Write(const std::string& rel, const std::string& text) {
    fs::create_directories((root_ / rel).parent_path());
    std::ofstream(root_ / rel) << text;
  }
  fs::path root_;
};

TEST_F(FixtureTree, ReportsAnIncludeOfAModuleAbove) {
  Write("core/json.h", "#pragma once\n#include <string>\n#include \"core/status.h\"\n");
  Write("core/bad.cc", "// a comment\n#include \"core/json.h\"\n#include \"server/api.h\"\n");
  Write("server/api.h", "#include \"store/store.h\"\n#include \"core/json.h\"\n");
  std::vector<std::string> problems = CheckModuleOrder(root_);
  ASSERT_EQ(problems.size(), 1u) << Lines(problems);
  EXPECT_EQ(problems[0],
            "src/core/bad.cc:3: includes \"server/api.h\": core may not use server "
            "(core may use: nothing)");
}

TEST_F(FixtureTree, ReportsASidewaysInclude) {
  // render sits above git in the table but may not use it either.
  Write("render/helm.cc", "#include \"git/repo.h\"\n");
  std::vector<std::string> problems = CheckModuleOrder(root_);
  ASSERT_EQ(problems.size(), 1u) << Lines(problems);
  EXPECT_NE(problems[0].find("src/render/helm.cc:1: includes \"git/repo.h\""), std::string::npos);
}

TEST_F(FixtureTree, ReportsAFolderThatIsNoModule) {
  Write("utils/misc.h", "#pragma once\n");
  std::vector<std::string> problems = CheckModuleOrder(root_);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0], "src/utils/misc.h: src/utils is not a module of DESIGN.md");
}

}  // namespace
}  // namespace kstack::arch
