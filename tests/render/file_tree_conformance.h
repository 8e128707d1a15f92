#pragma once

// What every FileTree must do, as one suite run against each implementation: the disk and
// memory trees here, and the Git tree of the git module (which adds its own builder).

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "render/file_tree.h"

namespace kstack::render::testing {

// The tree every implementation builds for the suite. Targets of symlinks are relative to the
// link's directory; "../outside" from the root leads out of the tree (a builder on disk puts a
// real file there, so that leaving the tree and a dangling link are told apart).
struct TreeSpec {
  std::vector<std::pair<std::string, std::string>> files;     // path, contents
  std::vector<std::string> directories;                       // empty ones
  std::vector<std::pair<std::string, std::string>> symlinks;  // path, target
};

inline TreeSpec ConformanceSpec() {
  return TreeSpec{
      .files = {{"a.yaml", "A"},
                {"b.yaml", "B"},
                {"b-c.yaml", "BC"},
                {"b/x.yaml", "BX"},
                {"b/a/z.yaml", "BAZ"},
                {".hidden/h.yaml", "H"},
                {"Z.yaml", "Z"}},
      .directories = {"empty"},
      .symlinks = {{"link-file.yaml", "b/x.yaml"},
                   {"link-dir", "b"},
                   {"b/up.yaml", "../a.yaml"},
                   {"dangling.yaml", "nope.yaml"},
                   {"outside.yaml", "../outside"}},
  };
}

using TreeBuilder = std::function<std::unique_ptr<FileTree>(const TreeSpec&)>;

inline std::string Show(const std::vector<Entry>& entries) {
  std::string out;
  for (const Entry& e : entries) {
    out += e.path;
    switch (e.type) {
      case EntryType::kDirectory:
        out += "/";
        break;
      case EntryType::kSymlink:
        out += "@";
        break;
      case EntryType::kOther:
        out += "?";
        break;
      case EntryType::kFile:
        break;
    }
    out += " ";
  }
  return out;
}

inline void CheckConformance(const TreeBuilder& build) {
  std::unique_ptr<FileTree> tree = build(ConformanceSpec());
  ASSERT_NE(tree, nullptr);

  auto top = tree->List("", false);
  ASSERT_TRUE(top.ok()) << top.status().ToString();
  EXPECT_EQ(Show(*top),
            ".hidden/ Z.yaml a.yaml b/ b-c.yaml b.yaml dangling.yaml@ empty/ link-dir@ "
            "link-file.yaml@ outside.yaml@ ");

  // Go's filepath.Walk order: a directory's entries right after it, "b/..." before "b-c.yaml".
  auto all = tree->List(".", true);
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  EXPECT_EQ(Show(*all),
            ".hidden/ .hidden/h.yaml Z.yaml a.yaml b/ b/a/ b/a/z.yaml b/up.yaml@ b/x.yaml "
            "b-c.yaml b.yaml dangling.yaml@ empty/ link-dir@ link-file.yaml@ outside.yaml@ ");

  auto sub = tree->List("./b/", true);
  ASSERT_TRUE(sub.ok()) << sub.status().ToString();
  EXPECT_EQ(Show(*sub), "b/a/ b/a/z.yaml b/up.yaml@ b/x.yaml ");

  auto empty = tree->List("empty", true);
  ASSERT_TRUE(empty.ok()) << empty.status().ToString();
  EXPECT_TRUE(empty->empty());

  EXPECT_EQ(tree->List("missing", false).status().reason(), Reason::kNotFound);
  EXPECT_EQ(tree->List("a.yaml", false).status().reason(), Reason::kBadRequest);
  EXPECT_EQ(tree->List("../x", false).status().reason(), Reason::kForbidden);

  auto read = [&](std::string_view path) { return tree->Read(path); };
  EXPECT_EQ(read("a.yaml").value_or("?"), "A");
  EXPECT_EQ(read("/b/a/z.yaml").value_or("?"), "BAZ");
  EXPECT_EQ(read("b/../b/x.yaml").value_or("?"), "BX");
  EXPECT_EQ(read("link-file.yaml").value_or("?"), "BX");
  EXPECT_EQ(read("link-dir/a/z.yaml").value_or("?"), "BAZ");
  EXPECT_EQ(read("b/up.yaml").value_or("?"), "A");
  EXPECT_EQ(read("missing.yaml").status().reason(), Reason::kNotFound);
  EXPECT_EQ(read("a.yaml/x").status().reason(), Reason::kNotFound);
  EXPECT_EQ(read("dangling.yaml").status().reason(), Reason::kNotFound);
  EXPECT_EQ(read("outside.yaml").status().reason(), Reason::kForbidden);
  EXPECT_EQ(read("b").status().reason(), Reason::kBadRequest);
  EXPECT_EQ(read("link-dir").status().reason(), Reason::kBadRequest);
  EXPECT_EQ(read("../a.yaml").status().reason(), Reason::kForbidden);
}

}  // namespace kstack::render::testing
