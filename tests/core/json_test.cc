#include "core/json.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/go_format.h"

namespace kstack {
namespace {

TEST(ParseJson, ReadsOneValue) {
  Result<Json> v = ParseJson(R"( {"a": [1, 2.5, "x", true, null]} )");
  ASSERT_TRUE(v.ok()) << v.status().message();
  EXPECT_EQ(v->at("a").as_array().size(), 5u);
  EXPECT_EQ(v->at("a").at(0).as_int64(), 1);
  EXPECT_EQ(v->at("a").at(1).as_double(), 2.5);
}

TEST(ParseJson, ErrorsNameSourceLineAndColumn) {
  Result<Json> v = ParseJson("{\n  \"a\": 1,\n  \"b\" 2\n}", "apps/web.json");
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().reason(), Reason::kBadRequest);
  EXPECT_EQ(v.status().message().rfind("apps/web.json:3:7: invalid JSON", 0), 0u)
      << v.status().message();
}

TEST(ParseJson, RejectsTrailingDataEmptyInputAndInvalidUtf8) {
  EXPECT_FALSE(ParseJson("{} {}").ok());
  EXPECT_FALSE(ParseJson("   ").ok());
  EXPECT_FALSE(ParseJson("\"\xff\"").ok());
}

TEST(ParseJson, DuplicateKeysLastWins) {
  Result<Json> v = ParseJson(R"({"a": 1, "a": 2})");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->as_object().size(), 1u);
  EXPECT_EQ(v->at("a").as_int64(), 2);
}

TEST(ParseJson, NumbersAsKubernetesReadsThem) {
  // Exact conversion (the nearest double), and integers beyond int64 become float64.
  Result<Json> v = ParseJson("[123456789.123456789, 18446744073709551615, -9223372036854775808]");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->at(0).as_double(), 123456789.123456789);
  EXPECT_TRUE(v->at(1).is_double());
  EXPECT_EQ(v->at(1).as_double(), 18446744073709551615.0);
  EXPECT_EQ(v->at(2).as_int64(), INT64_MIN);
  EXPECT_FALSE(ParseJson("1e400").ok());
}

TEST(ParseJson, DeepNestingIsAnErrorNotACrash) {
  std::string deep(kMaxJsonDepth + 10, '[');
  deep += std::string(kMaxJsonDepth + 10, ']');
  EXPECT_FALSE(ParseJson(deep).ok());
  std::string ok(100, '[');
  ok += std::string(100, ']');
  EXPECT_TRUE(ParseJson(ok).ok());
}

TEST(ParseJsonStream, ReadsConcatenatedValues) {
  Result<std::vector<Json>> v = ParseJsonStream("{\"a\":1}\n{\"b\":2} 3");
  ASSERT_TRUE(v.ok());
  ASSERT_EQ(v->size(), 3u);
  EXPECT_EQ(v->at(2).as_int64(), 3);
  EXPECT_TRUE(ParseJsonStream("  ")->empty());
  Result<std::vector<Json>> bad = ParseJsonStream("{\"a\":1}\n---\n{}", "x.json");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message().rfind("x.json:2:", 0), 0u) << bad.status().message();
}

TEST(WriteJson, CompactAsGoWritesIt) {
  Result<Json> v = ParseJson(R"({"b":"<a&b>","a":[1,1.5,1e21,1e-7,null,true],"c":{}})");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(WriteJson(*v),
            R"({"b":"\u003ca\u0026b\u003e","a":[1,1.5,1e+21,1e-7,null,true],"c":{}})");
  EXPECT_EQ(WriteJson(*v, {.escape_html = false, .sort_keys = true}),
            R"({"a":[1,1.5,1e+21,1e-7,null,true],"b":"<a&b>","c":{}})");
}

TEST(WriteJson, IndentedAsMarshalIndent) {
  Json v = ParseJson(R"({"a":[1,{"b":[]}],"c":"x"})").value();
  EXPECT_EQ(WriteJson(v, {.indent = 2}),
            "{\n  \"a\": [\n    1,\n    {\n      \"b\": []\n    }\n  ],\n  \"c\": \"x\"\n}");
}

TEST(WriteJson, EscapesAsGo) {
  Json v = JsonString("q\" b\\ n\n t\t r\r \b \f \x01 \xe2\x80\xa8 \xff é");
  EXPECT_EQ(WriteJson(v),
            "\"q\\\" b\\\\ n\\n t\\t r\\r \\b \\f \\u0001 \\u2028 \\ufffd é\"");
}

TEST(GoFormat, FloatsAsStrconvG) {
  EXPECT_EQ(FormatGoFloatG(1.5), "1.5");
  EXPECT_EQ(FormatGoFloatG(100000), "100000");
  EXPECT_EQ(FormatGoFloatG(1000000), "1e+06");
  EXPECT_EQ(FormatGoFloatG(1234567.5), "1.2345675e+06");
  EXPECT_EQ(FormatGoFloatG(0.0001), "0.0001");
  EXPECT_EQ(FormatGoFloatG(0.00001), "1e-05");
  EXPECT_EQ(FormatGoFloatG(-0.0), "-0");
  EXPECT_EQ(FormatGoFloatG(0.1, 32), "0.1");
  EXPECT_EQ(FormatGoFloatG(1.2345678901234567e22, 32), "1.2345679e+22");
  EXPECT_EQ(FormatGoFloatG(INFINITY), "+Inf");
  EXPECT_EQ(FormatGoFloatG(NAN), "NaN");
}

TEST(GoFormat, JsonFloatsAsEncodingJson) {
  auto json = [](double d) {
    std::string s;
    AppendGoJsonFloat(&s, d);
    return s;
  };
  EXPECT_EQ(json(1e20), "100000000000000000000");
  EXPECT_EQ(json(1e21), "1e+21");
  EXPECT_EQ(json(1e-6), "0.000001");
  EXPECT_EQ(json(1e-7), "1e-7");
  EXPECT_EQ(json(9223372036854775808.0), "9223372036854776000");
  EXPECT_EQ(json(1234567890123456789.0), "1234567890123456800");
  int64_t i;
  ASSERT_TRUE(GoJsonInteger(1234567890123456789.0, &i));
  EXPECT_EQ(i, 1234567890123456800);
  EXPECT_FALSE(GoJsonInteger(1.5, &i));
  EXPECT_FALSE(GoJsonInteger(1e19, &i));
}

}  // namespace
}  // namespace kstack
