// The include/exclude globs as gobwas/glob reads them without separators.

#include "render/glob.h"

#include <gtest/gtest.h>

namespace kstack::render {
namespace {

struct MatchCase {
  const char* pattern;
  const char* text;
  bool want;
};

TEST(Glob, MatchesAsArgoCdDoes) {
  for (const MatchCase& c : std::vector<MatchCase>{
           // '*' and '**' cross '/', as no separators are given
           {"*.yaml", "a.yaml", true},
           {"*.yaml", "sub/dir/a.yaml", true},
           {"*.yaml", "a.yml", false},
           {"**/*.yaml", "a.yaml", false},
           {"**/*.yaml", "sub/a.yaml", true},
           {"sub/*", "sub/deeper/a.yaml", true},
           {"*", "", true},
           {"", "", true},
           {"", "a", false},
           {"a*b*c", "abc", true},
           {"a*b*c", "aXbYbZc", true},
           {"a*b*c", "aXbYbZ", false},
           {"***x", "abx", true},
           // '?' takes exactly one code point, '/' and multi-byte ones included
           {"?.yaml", "a.yaml", true},
           {"?.yaml", "ab.yaml", false},
           {"a?b", "a/b", true},
           {"?", "é", true},
           {"??", "é", false},
           // classes
           {"[ab].yaml", "a.yaml", true},
           {"[ab].yaml", "c.yaml", false},
           {"[!ab].yaml", "c.yaml", true},
           {"[!ab].yaml", "a.yaml", false},
           {"[a-c]x", "bx", true},
           {"[a-c]x", "dx", false},
           {"[!a-c]x", "dx", true},
           {"[é-ê]", "ê", true},
           {"[\\]]", "]", true},
           {"[!!]", "!", false},
           {"[!!]", "x", true},
           // alternatives, nested, with empty choices
           {"{*.yml,*.yaml}", "a.yaml", true},
           {"{*.yml,*.yaml}", "a.yml", true},
           {"{*.yml,*.yaml}", "a.json", false},
           {"{config.json,env-usw2/*}", "env-usw2/configmap.yaml", true},
           {"{config.json,env-usw2/*}", "env-use2/configmap.yaml", false},
           {"overlays/{prod,stage}/*", "overlays/stage/a.yaml", true},
           {"{base/*,overlays/{prod,stage}/*}", "overlays/prod/a.yaml", true},
           {"{base/*,overlays/{prod,stage}/*}", "overlays/dev/a.yaml", false},
           {"a{,b}c", "ac", true},
           {"a{,b}c", "abc", true},
           {"{*,a}b", "zzb", true},
           {"{a,*}*", "ax", true},
           // plain characters outside braces, escapes
           {"a,b", "a,b", true},
           {"a}b", "a}b", true},
           {"a]b", "a]b", true},
           {"\\*.yaml", "*.yaml", true},
           {"\\*.yaml", "x.yaml", false},
           {"\\{a\\}", "{a}", true},
           {"{a\\,b,c}", "a,b", true},
       }) {
    Result<Glob> glob = Glob::Compile(c.pattern);
    ASSERT_TRUE(glob.ok()) << c.pattern << ": " << glob.status().message();
    EXPECT_EQ(glob->Match(c.text), c.want) << "pattern " << c.pattern << ", text " << c.text;
  }
}

TEST(Glob, InvalidUtf8InTheTextIsOneUnknownCharacterPerByte) {
  Result<Glob> glob = Glob::Compile("a??b");
  ASSERT_TRUE(glob.ok());
  EXPECT_TRUE(
      glob->Match("a\xff\xfe"
                  "b"));
  EXPECT_FALSE(
      glob->Match("a\xff"
                  "b"));
}

struct ErrorCase {
  const char* pattern;
  const char* want;
};

TEST(Glob, RefusesBrokenPatternsNamingTheColumn) {
  for (const ErrorCase& c : std::vector<ErrorCase>{
           {"{a,b", "glob \"{a,b\": column 1: '{' is never closed"},
           {"x{a,{b}", "column 2: '{' is never closed"},
           {"[ab", "column 1: '[' is never closed"},
           {"x[!", "column 2: '[' is never closed"},
           {"[]", "column 1: empty character class"},
           {"[!]", "column 1: empty character class"},
           {"[z-a]", "column 2: the range's end comes before its start"},
           {"[a-c-e]", "column 5: expected ']' after a range"},
           {"[a-", "column 1: '[' is never closed"},
           {"abc\\", "column 4: '\\' escapes nothing"},
           {"a\xff", "column 2: not valid UTF-8"},
       }) {
    Result<Glob> glob = Glob::Compile(c.pattern);
    ASSERT_FALSE(glob.ok()) << c.pattern;
    EXPECT_EQ(glob.status().reason(), Reason::kBadRequest);
    EXPECT_NE(glob.status().message().find(c.want), std::string::npos)
        << c.pattern << ": " << glob.status().message();
  }
}

TEST(Glob, RefusesAnExplosionOfAlternatives) {
  std::string pattern;
  for (int i = 0; i < 13; ++i) pattern += "{a,b}";
  Result<Glob> glob = Glob::Compile(pattern);
  ASSERT_FALSE(glob.ok());
  EXPECT_NE(glob.status().message().find("alternatives"), std::string::npos);
}

}  // namespace
}  // namespace kstack::render
