// JSON merge patch and JSON patch as folders of cases:
// testdata/<merge-patch|json-patch>/<case>/{original.json, patch.json, want.json | want.error}.
// want.error holds the start of the expected error message.

#include "machinery/json_patch.h"

#include <gtest/gtest.h>

#include "machinery/json_pointer.h"
#include "tests/core/golden.h"

namespace kstack::machinery {
namespace {

namespace fs = std::filesystem;
using kstack::testing::ReadFile;

fs::path CasesDir(std::string_view kind) {
  return kstack::testing::SourceDir() / "tests/machinery/testdata" / kind;
}

Json ReadJson(const fs::path& p) {
  Result<Json> v = ParseJson(ReadFile(p), p.string());
  EXPECT_TRUE(v.ok()) << v.status().message();
  return v.ok() ? *v : Json();
}

class MergePatchGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(MergePatchGolden, Applies) {
  fs::path dir = CasesDir("merge-patch") / GetParam();
  Json got = ApplyMergePatch(ReadJson(dir / "original.json"), ReadJson(dir / "patch.json"));
  EXPECT_EQ(got, ReadJson(dir / "want.json")) << WriteJson(got);
}

INSTANTIATE_TEST_SUITE_P(Cases, MergePatchGolden,
                         ::testing::ValuesIn(kstack::testing::CaseNames(CasesDir("merge-patch"))),
                         [](const auto& info) { return kstack::testing::TestName(info.param); });

class JsonPatchGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(JsonPatchGolden, Applies) {
  fs::path dir = CasesDir("json-patch") / GetParam();
  Json original = ReadJson(dir / "original.json");
  Result<Json> got = ApplyJsonPatch(original, ReadJson(dir / "patch.json"));
  if (fs::exists(dir / "want.error")) {
    std::string want = ReadFile(dir / "want.error");
    want.erase(want.find_last_not_of('\n') + 1);
    ASSERT_FALSE(got.ok()) << WriteJson(*got);
    EXPECT_EQ(got.status().message().substr(0, want.size()), want) << got.status().message();
    return;
  }
  ASSERT_TRUE(got.ok()) << got.status().message();
  EXPECT_EQ(*got, ReadJson(dir / "want.json")) << WriteJson(*got);
}

INSTANTIATE_TEST_SUITE_P(Cases, JsonPatchGolden,
                         ::testing::ValuesIn(kstack::testing::CaseNames(CasesDir("json-patch"))),
                         [](const auto& info) { return kstack::testing::TestName(info.param); });

TEST(JsonPatch, FailedPatchLeavesTheInputAlone) {
  Json original = ParseJson(R"({"a":1})").value();
  Json patch = ParseJson(R"([{"op":"add","path":"/b","value":2},{"op":"remove","path":"/c"}])")
                   .value();
  EXPECT_FALSE(ApplyJsonPatch(original, patch).ok());
  EXPECT_EQ(WriteJson(original), R"({"a":1})");
}

TEST(JsonPointer, UnescapesTokens) {
  auto tokens = ParseJsonPointer("/a~1b/~0c/0/");
  ASSERT_TRUE(tokens.ok());
  EXPECT_EQ(*tokens, (std::vector<std::string>{"a/b", "~c", "0", ""}));
  EXPECT_TRUE(ParseJsonPointer("")->empty());
  EXPECT_FALSE(ParseJsonPointer("/a~2").ok());
  EXPECT_FALSE(ParseJsonPointer("a").ok());
}

}  // namespace
}  // namespace kstack::machinery
