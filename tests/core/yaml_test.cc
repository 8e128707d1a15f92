// YAML behaviour beyond the kubectl golden cases: errors that name file, line and column, big
// and hostile input, and the writer's layout.

#include "core/yaml.h"

#include <gtest/gtest.h>

#include "core/manifests.h"

namespace kstack {
namespace {

void ExpectError(std::string_view text, std::string_view want_prefix) {
  Result<std::vector<Json>> r = ParseYamlStream(text, "apps/web.yaml");
  ASSERT_FALSE(r.ok()) << "accepted: " << text;
  EXPECT_EQ(r.status().reason(), Reason::kBadRequest);
  EXPECT_EQ(r.status().message().rfind(want_prefix, 0), 0u) << r.status().message();
}

TEST(YamlErrors, NameFileLineColumnAndProblem) {
  ExpectError("a: 1\nb: c: d\n", "apps/web.yaml:2:5: mapping values are not allowed");
  ExpectError("a:\n\t- b\n", "apps/web.yaml:2:1: found character that cannot start any token");
  ExpectError("a: \"unterminated\n", "apps/web.yaml:2:1: found unexpected end of stream");
  ExpectError("a: [1, 2\n", "apps/web.yaml:2:1: did not find expected ',' or ']'");
  ExpectError("a: .inf\n", "apps/web.yaml:1:4: unsupported value: +Inf");
  ExpectError("~: x\n", "apps/web.yaml:1:1: unsupported map key");
  ExpectError("a: *nope\n", "apps/web.yaml:1:4: unknown anchor 'nope' referenced");
  ExpectError("--- a: 1\n", "apps/web.yaml:1:1: invalid document separator");
}

TEST(YamlErrors, LineNumbersCountFromTheStartOfTheFile) {
  ExpectError("a: 1\n---\nb: 2\n---\nc: [\n", "apps/web.yaml:6:1:");
}

TEST(YamlErrors, DeepNestingIsAnError) {
  std::string deep(kMaxYamlDepth + 5, '[');
  deep += std::string(kMaxYamlDepth + 5, ']');
  ExpectError(deep, "apps/web.yaml:1:");
}

TEST(YamlErrors, BillionLaughsIsRefused) {
  std::string text = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  std::string prev = "a";
  for (char c = 'b'; c <= 'j'; ++c) {
    text += std::string(1, c) + ": &" + c + " [";
    for (int i = 0; i < 10; ++i) text += (i ? ", *" : "*") + prev;
    text += "]\n";
    prev = std::string(1, c);
  }
  Result<std::vector<Json>> r = ParseYamlStream(text, "bomb.yaml");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("excessive aliasing"), std::string::npos);
}

TEST(YamlRead, HundredMegabyteDocument) {
  std::string text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n";
  text.reserve(100u << 20);
  for (int i = 0; text.size() < (100u << 20); ++i) {
    text += "  key" + std::to_string(i) + ": value-" + std::to_string(i) + "-padding-padding\n";
  }
  Result<std::vector<Json>> r = ParseYamlStream(text, "big.yaml");
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->size(), 1u);
  EXPECT_GT(r->at(0).at("data").as_object().size(), 1000000u);
}

TEST(YamlRead, SingleDocumentApi) {
  EXPECT_TRUE(ParseYaml("# nothing\n")->is_null());
  EXPECT_EQ(ParseYaml("a: 1\n")->at("a").as_int64(), 1);
  EXPECT_FALSE(ParseYaml("a: 1\n---\nb: 2\n").ok());
}

TEST(YamlWrite, KubectlLayout) {
  Json v = ParseYaml(R"(
kind: Deployment
spec:
  template:
    spec:
      containers:
      - name: web
        args: ["--port", "8080"]
        env: []
  replicas: 3
metadata: {labels: {app: web, "on": "yes"}}
)").value();
  EXPECT_EQ(WriteYaml(v),
            "kind: Deployment\n"
            "metadata:\n"
            "  labels:\n"
            "    app: web\n"
            "    \"on\": \"yes\"\n"
            "spec:\n"
            "  replicas: 3\n"
            "  template:\n"
            "    spec:\n"
            "      containers:\n"
            "      - args:\n"
            "        - --port\n"
            "        - \"8080\"\n"
            "        env: []\n"
            "        name: web\n");
}

TEST(YamlWrite, RoundTripsThroughTheReader) {
  Json v = ParseYaml("s: \"a\\nb\\n\"\nt: \" x\"\nu: \"\"\nn: [1.5, -3, null, true]\n").value();
  Result<Json> back = ParseYaml(WriteYaml(v));
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(*back, v);
}

TEST(YamlWrite, StreamSeparatesDocuments) {
  std::vector<Json> docs = {ParseYaml("a: 1").value(), ParseYaml("b: 2").value()};
  EXPECT_EQ(WriteYamlStream(docs), "a: 1\n---\nb: 2\n");
}

TEST(Manifests, JsonStreamListsAndNonObjects) {
  Result<std::vector<Json>> r = ReadManifests(
      R"({"kind":"List","items":[{"kind":"A"},{"kind":"List","items":[{"kind":"B"}]}]})"
      "\n{\"kind\":\"C\"}",
      "x.json");
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->size(), 3u);
  EXPECT_EQ(FindString(r->at(1), "kind"), "B");
  Result<std::vector<Json>> scalar = ReadManifests("just text\n", "x.yaml");
  ASSERT_FALSE(scalar.ok());
  EXPECT_EQ(scalar.status().message(), "x.yaml: document 1 is a string, not an object");
}

}  // namespace
}  // namespace kstack
