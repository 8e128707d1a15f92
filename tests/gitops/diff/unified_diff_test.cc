#include "gitops/diff/unified_diff.h"

#include <gtest/gtest.h>

#include <string>

namespace kstack::gitops::diff {
namespace {

std::string Numbered(int from, int to, int changed = 0) {
  std::string out;
  for (int i = from; i <= to; ++i) {
    out += (i == changed ? "changed " : "line ") + std::to_string(i) + "\n";
  }
  return out;
}

TEST(UnifiedDiff, EqualTextsGiveNothing) {
  EXPECT_EQ(UnifiedDiff("a\nb\n", "a\nb\n"), "");
  EXPECT_EQ(UnifiedDiff("", ""), "");
}

TEST(UnifiedDiff, OneChangedLine) {
  EXPECT_EQ(UnifiedDiff("a\nb\nc\n", "a\nB\nc\n"),
            "--- live\n+++ desired\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n");
}

TEST(UnifiedDiff, FromNothingAndToNothing) {
  EXPECT_EQ(UnifiedDiff("", "x\ny\n"), "--- live\n+++ desired\n@@ -0,0 +1,2 @@\n+x\n+y\n");
  EXPECT_EQ(UnifiedDiff("x\n", ""), "--- live\n+++ desired\n@@ -1 +0,0 @@\n-x\n");
}

TEST(UnifiedDiff, NamesAndContextAreOptions) {
  EXPECT_EQ(UnifiedDiff("a\nb\nc\n", "a\nB\nc\n", {.from = "old", .to = "new", .context = 0}),
            "--- old\n+++ new\n@@ -2 +2 @@\n-b\n+B\n");
}

TEST(UnifiedDiff, DistantChangesMakeTwoHunks) {
  std::string before = Numbered(1, 20);
  std::string after = Numbered(1, 20);
  after.replace(after.find("line 2\n"), 7, "line two\n");
  after.replace(after.find("line 18\n"), 8, "line eighteen\n");
  EXPECT_EQ(UnifiedDiff(before, after),
            "--- live\n+++ desired\n"
            "@@ -1,5 +1,5 @@\n line 1\n-line 2\n+line two\n line 3\n line 4\n line 5\n"
            "@@ -15,6 +15,6 @@\n line 15\n line 16\n line 17\n-line 18\n+line eighteen\n"
            " line 19\n line 20\n");
}

TEST(UnifiedDiff, NearChangesShareAHunk) {
  std::string before = Numbered(1, 12);
  std::string after = Numbered(1, 12);
  after.replace(after.find("line 3\n"), 7, "line three\n");
  after.replace(after.find("line 9\n"), 7, "line nine\n");
  std::string got = UnifiedDiff(before, after);
  size_t hunks = 0;
  for (size_t at = got.find("\n@@ "); at != std::string::npos; at = got.find("\n@@ ", at + 1)) {
    ++hunks;
  }
  EXPECT_EQ(hunks, 1u) << got;
  EXPECT_NE(got.find("@@ -1,12 +1,12 @@"), std::string::npos) << got;
}

TEST(UnifiedDiff, InsertionsKeepTheirPlace) {
  EXPECT_EQ(UnifiedDiff("a\nc\n", "a\nb\nc\n"),
            "--- live\n+++ desired\n@@ -1,2 +1,3 @@\n a\n+b\n c\n");
}

TEST(UnifiedDiff, MarksAMissingFinalNewline) {
  EXPECT_EQ(UnifiedDiff("a\nb", "a\nb\n"),
            "--- live\n+++ desired\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n");
}

TEST(UnifiedDiff, VeryDifferentTextsStillDiff) {
  std::string before, after;
  for (int i = 0; i < 5000; ++i) {
    before += "old " + std::to_string(i) + "\n";
    after += "new " + std::to_string(i) + "\n";
  }
  std::string got = UnifiedDiff(before, after);
  EXPECT_TRUE(got.starts_with("--- live\n+++ desired\n@@ -1,5000 +1,5000 @@\n-old 0\n")) << got;
}

}  // namespace
}  // namespace kstack::gitops::diff
