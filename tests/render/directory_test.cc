// Directory rendering cases that golden folders cannot hold well: symlinks, size limits, the
// options reader.

#include "render/directory.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "core/yaml.h"
#include "render/memory_tree.h"

namespace kstack::render {
namespace {

std::string ConfigMap(std::string_view name) {
  return "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " + std::string(name) + "\n";
}

// "file:name" of each object, in order.
std::string Names(const std::vector<RenderedObject>& objects) {
  std::string out;
  for (const RenderedObject& o : objects) {
    const Json* metadata = FindMember(o.object, "metadata");
    out += o.file + ":" + std::string(metadata ? FindString(*metadata, "name") : "?") + " ";
  }
  return out;
}

TEST(RenderDirectory, FollowsSymlinksInsideTheTree) {
  MemoryTree tree;
  tree.AddFile("shared/cm.yaml", ConfigMap("shared"));
  tree.AddSymlink("app/linked.yaml", "../shared/cm.yaml");
  tree.AddSymlink("app/dangling.yaml", "missing.yaml");
  tree.AddSymlink("app/to-dir.yaml", "../shared");
  tree.AddSymlink("app/sub", "../shared");  // a linked directory is not descended into
  tree.AddFile("app/own.yaml", ConfigMap("own"));
  auto got = RenderDirectory(tree, "app", {.recurse = true});
  ASSERT_TRUE(got.ok()) << got.status().message();
  EXPECT_EQ(Names(*got), "app/linked.yaml:shared app/own.yaml:own ");
}

TEST(RenderDirectory, RefusesASymlinkOutOfTheTreeEvenWhenExcluded) {
  MemoryTree tree;
  tree.AddFile("app/own.yaml", ConfigMap("own"));
  tree.AddSymlink("app/escape.yaml", "../../etc/passwd");
  auto got = RenderDirectory(tree, "app", {.exclude = "escape.yaml"});
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().reason(), Reason::kForbidden);
  EXPECT_NE(got.status().message().find("app/escape.yaml"), std::string::npos)
      << got.status().message();
}

TEST(RenderDirectory, LimitsTheBytesOfManifestFilesButNotOfJsonnet) {
  MemoryTree tree;
  std::string cm = ConfigMap("a");
  tree.AddFile("app/a.yaml", cm);
  tree.AddFile("app/b.jsonnet", "{apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'b'}}" +
                                    std::string(200, ' '));
  auto fits = RenderDirectory(tree, "app", {.max_manifest_bytes = cm.size()});
  ASSERT_TRUE(fits.ok()) << fits.status().message();
  EXPECT_EQ(Names(*fits), "app/a.yaml:a app/b.jsonnet:b ");

  tree.AddFile("app/c.yaml", ConfigMap("c"));
  auto over = RenderDirectory(tree, "app", {.max_manifest_bytes = cm.size()});
  ASSERT_FALSE(over.ok());
  EXPECT_NE(over.status().message().find("app/c.yaml: the manifest files of \"app\" exceed"),
            std::string::npos)
      << over.status().message();
  EXPECT_TRUE(RenderDirectory(tree, "app", {.max_manifest_bytes = 0}).ok());
}

TEST(RenderDirectory, TheRootIsAnAppPathLikeAnyOther) {
  MemoryTree tree;
  tree.AddFile("a.yaml", ConfigMap("a"));
  tree.AddFile("sub/b.yaml", ConfigMap("b"));
  for (std::string_view root : {"", ".", "/", "./"}) {
    auto got = RenderDirectory(tree, root, {.recurse = true, .include = "sub/*"});
    ASSERT_TRUE(got.ok()) << got.status().message();
    EXPECT_EQ(Names(*got), "sub/b.yaml:b ") << root;
  }
  EXPECT_EQ(RenderDirectory(tree, "a.yaml", {}).status().reason(), Reason::kBadRequest);
  EXPECT_EQ(RenderDirectory(tree, "../x", {}).status().reason(), Reason::kForbidden);
}

// Enough text that files are decoded on several threads: objects and errors still come in the
// order of the files, as from one thread.
TEST(RenderDirectory, ManyFilesKeepTheirOrderAndTheFirstError) {
  MemoryTree tree;
  std::string want;
  std::string padding = "data:\n  filler: \"" + std::string(2000, 'x') + "\"\n";
  for (int i = 0; i < 300; ++i) {
    std::string file = fmt::format("app/f{:03}.yaml", i);
    tree.AddFile(file, ConfigMap(fmt::format("cm-{}", i)) + padding);
    want += file + ":cm-" + std::to_string(i) + " ";
  }
  auto got = RenderDirectory(tree, "app", {});
  ASSERT_TRUE(got.ok()) << got.status().message();
  EXPECT_EQ(Names(*got), want);

  tree.AddFile("app/f150.yaml", ConfigMap("bad") + "data:\n  key: [unclosed\n");
  tree.AddFile("app/f290.yaml", "kind: ConfigMap\nmetadata:\n  name: no-api-version\n");
  got = RenderDirectory(tree, "app", {});
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().message().rfind("app/f150.yaml:", 0), 0u) << got.status().message();
}

TEST(ParseDirectoryOptions, ReadsEveryField) {
  Result<Json> doc = ParseYaml(R"(
recurse: true
include: '*.yaml'
exclude: '{a,b}'
disableExtensionFilter: false
jsonnet:
  tlas:
  - {name: t, value: v, code: true}
  extVars:
  - {name: e, value: w}
  libs: [vendor, /lib]
)");
  ASSERT_TRUE(doc.ok());
  Result<DirectoryOptions> got = ParseDirectoryOptions(*doc);
  ASSERT_TRUE(got.ok()) << got.status().message();
  EXPECT_TRUE(got->recurse);
  EXPECT_EQ(got->include, "*.yaml");
  EXPECT_EQ(got->exclude, "{a,b}");
  ASSERT_EQ(got->jsonnet.tlas.size(), 1u);
  EXPECT_EQ(got->jsonnet.tlas[0].name, "t");
  EXPECT_EQ(got->jsonnet.tlas[0].value, "v");
  EXPECT_TRUE(got->jsonnet.tlas[0].code);
  ASSERT_EQ(got->jsonnet.ext_vars.size(), 1u);
  EXPECT_FALSE(got->jsonnet.ext_vars[0].code);
  EXPECT_EQ(got->jsonnet.libs, (std::vector<std::string>{"vendor", "/lib"}));

  Result<DirectoryOptions> none = ParseDirectoryOptions(Json());
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->recurse);
}

TEST(ParseDirectoryOptions, NamesTheFieldAtFault) {
  struct Case {
    const char* yaml;
    const char* want;
  };
  for (const Case& c : std::vector<Case>{
           {"recurse: 'yes'", "directory.recurse: must be a boolean, not a string"},
           {"include: [a]", "directory.include: must be a string, not an array"},
           {"jsonnet: {tlas: [{value: x}]}", "directory.jsonnet.tlas[0].name: required"},
           {"jsonnet: {extVars: [{name: a, code: 1}]}",
            "directory.jsonnet.extVars[0].code: must be a boolean, not a number"},
           {"jsonnet: {libs: [1]}", "directory.jsonnet.libs[0]: must be a string, not a number"},
           {"jsonnet: {tla: []}", "directory.jsonnet.tla: unknown field"},
           {"- a", "directory: must be an object, not an array"},
       }) {
    Result<Json> doc = ParseYaml(c.yaml);
    ASSERT_TRUE(doc.ok()) << c.yaml;
    Result<DirectoryOptions> got = ParseDirectoryOptions(*doc);
    ASSERT_FALSE(got.ok()) << c.yaml;
    EXPECT_EQ(got.status().message(), c.want);
  }
}

}  // namespace
}  // namespace kstack::render
