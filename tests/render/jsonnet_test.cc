#include "render/jsonnet.h"

#include <gtest/gtest.h>

#include "render/internal/envsubst.h"
#include "render/memory_tree.h"

namespace kstack::render {
namespace {

TEST(ExpandEnv, SubstitutesAsGoOsExpandDoes) {
  std::map<std::string, std::string> env = {{"APP", "guestbook"}, {"NS", "shop"}, {"1", "one"}};
  struct Case {
    const char* in;
    const char* want;
  };
  for (const Case& c : std::vector<Case>{
           {"plain", "plain"},
           {"$APP", "guestbook"},
           {"${APP}-x", "guestbook-x"},
           {"$APP-$NS", "guestbook-shop"},
           {"$APPX", ""},            // the longest name is taken
           {"a$UNSET.b", "a.b"},     // unset names expand to nothing
           {"cost $$5", "cost $5"},  // "$$" is a dollar
           {"$1x", "onex"},          // one-character special names
           {"${1}", "one"},
           {"100$", "100$"},    // a trailing '$' stays
           {"a$ b", "a$ b"},    // as does one followed by no name
           {"a${}b", "ab"},     // malformed: dropped
           {"a${APP", "aAPP"},  // unclosed: the "${" is dropped
           {"${APP}${NS}", "guestbookshop"},
       }) {
    EXPECT_EQ(internal::ExpandEnv(c.in, env), c.want) << c.in;
  }
}

std::string Text(const MemoryTree& tree, std::string_view file) {
  Result<std::string> text = tree.Read(file);
  EXPECT_TRUE(text.ok()) << file;
  return text.value_or("");
}

Json Eval(const MemoryTree& tree, std::string_view file, const JsonnetOptions& options = {}) {
  std::string text = Text(tree, file);
  Result<Json> value = EvaluateJsonnet(tree, file, text, "app", options);
  EXPECT_TRUE(value.ok()) << value.status().message();
  return value.ok() ? *value : Json();
}

TEST(EvaluateJsonnet, LooksNextToTheFileThenInLibsFromLastToFirstThenInTheAppPath) {
  MemoryTree tree;
  tree.AddFile("app/sub/main.jsonnet",
               "[import 'a.libsonnet', import 'b.libsonnet', import 'c.libsonnet', "
               "import 'd.libsonnet']");
  tree.AddFile("app/sub/a.libsonnet", "'a next to the file'");
  tree.AddFile("lib1/a.libsonnet", "'a in lib1'");
  tree.AddFile("lib1/b.libsonnet", "'b in lib1'");
  tree.AddFile("lib2/b.libsonnet", "'b in lib2'");
  tree.AddFile("lib1/c.libsonnet", "'c in lib1'");
  tree.AddFile("app/c.libsonnet", "'c in the app'");
  tree.AddFile("app/d.libsonnet", "'d in the app'");
  Json got = Eval(tree, "app/sub/main.jsonnet", {.libs = {"lib1", "lib2"}});
  EXPECT_EQ(WriteJson(got), R"(["a next to the file","b in lib2","c in lib1","d in the app"])");
}

TEST(EvaluateJsonnet, ImportsFromAnImportedFileResolveNextToIt) {
  MemoryTree tree;
  tree.AddFile("app/main.jsonnet", "(import 'lib/outer.libsonnet').v");
  tree.AddFile("app/lib/outer.libsonnet", "{ v: (import 'inner.libsonnet') + '!' }");
  tree.AddFile("app/lib/inner.libsonnet", "'inner'");
  EXPECT_EQ(WriteJson(Eval(tree, "app/main.jsonnet")), R"("inner!")");
}

TEST(EvaluateJsonnet, TlasAndExtVarsTakeTheBuildEnvironment) {
  MemoryTree tree;
  tree.AddFile("app/main.jsonnet", "function(n, m) [n, m, std.extVar('e'), std.extVar('c')]");
  JsonnetOptions options{
      .tlas = {{.name = "n", .value = "$APP"}, {.name = "m", .value = "1 + $NUM", .code = true}},
      .ext_vars = {{.name = "e", .value = "${APP}-e"},
                   {.name = "c", .value = "{x: 1}", .code = true}},
  };
  Result<Json> got = EvaluateJsonnet(tree, "app/main.jsonnet", Text(tree, "app/main.jsonnet"),
                                     "app", options, {{"APP", "guestbook"}, {"NUM", "2"}});
  ASSERT_TRUE(got.ok()) << got.status().message();
  EXPECT_EQ(WriteJson(*got), R"(["guestbook",3,"guestbook-e",{"x":1}])");
}

TEST(EvaluateJsonnet, ErrorsNameTheFileAndPosition) {
  MemoryTree tree;
  tree.AddFile("app/lib.libsonnet", "{\n  f(x):: x.missing,\n}");
  tree.AddFile("app/main.jsonnet", "local lib = import 'lib.libsonnet';\nlib.f({})");
  Result<Json> got =
      EvaluateJsonnet(tree, "app/main.jsonnet", Text(tree, "app/main.jsonnet"), "app", {});
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().reason(), Reason::kBadRequest);
  std::string message = got.status().message();
  EXPECT_EQ(
      message.rfind("app/main.jsonnet: jsonnet: RUNTIME ERROR: field does not exist: missing", 0),
      0u)
      << message;
  EXPECT_NE(message.find("app/lib.libsonnet:2:10"), std::string::npos) << message;
  EXPECT_NE(message.find("app/main.jsonnet:2:1"), std::string::npos) << message;
}

TEST(EvaluateJsonnet, ReadsImportsOnlyFromTheTree) {
  MemoryTree tree;
  tree.AddFile("app/main.jsonnet", "importstr '../../outside'");
  Result<Json> got =
      EvaluateJsonnet(tree, "app/main.jsonnet", Text(tree, "app/main.jsonnet"), "app", {});
  ASSERT_FALSE(got.ok());
  EXPECT_NE(got.status().message().find("leads outside the repository"), std::string::npos)
      << got.status().message();
}

}  // namespace
}  // namespace kstack::render
