// YAML as kubectl reads it: every case folder holds input.yaml and what the real kubectl made
// of it (want.json, an array of the documents) or the error it gave (want.error). The files
// come from scripts/regen-yaml-golden. A second set reads the plain manifests of Argo CD's
// example apps from ../shared/testdata.

#include <gtest/gtest.h>

#include <map>
#include <regex>

#include "core/manifests.h"
#include "core/yaml.h"
#include "tests/core/golden.h"

namespace kstack {
namespace {

namespace fs = std::filesystem;
using testing::ReadFile;

struct GoldenCase {
  std::string name;
  fs::path input;
  fs::path want;  // .json or .error
  std::string source;  // the name errors must give
};

void PrintTo(const GoldenCase& c, std::ostream* os) { *os << c.name; }

// kubectl reports YAML errors as "yaml: line N: ..." with a 1-based line; when it does, our
// error must point at the same line.
int KubectlErrorLine(const std::string& error) {
  std::smatch m;
  static const std::regex kLine("line ([0-9]+):");
  if (std::regex_search(error, m, kLine)) return std::stoi(m[1]);
  return 0;
}

// Equality of JSON values as kubectl prints them: numbers compare by value whatever their
// stored type (kubectl prints the float64 1.0 as 1, and big integers as float64).
bool SameJson(const Json& a, const Json& b) {
  if (a.is_number() && b.is_number()) {
    if (!a.is_double() && !b.is_double()) return a == b;
    return a.to_number<double>() == b.to_number<double>();
  }
  if (a.kind() != b.kind()) return false;
  if (a.is_array()) {
    const JsonArray& x = a.get_array();
    const JsonArray& y = b.get_array();
    if (x.size() != y.size()) return false;
    for (size_t i = 0; i < x.size(); ++i) {
      if (!SameJson(x[i], y[i])) return false;
    }
    return true;
  }
  if (a.is_object()) {
    const JsonObject& x = a.get_object();
    const JsonObject& y = b.get_object();
    if (x.size() != y.size()) return false;
    for (const auto& kv : x) {
      const Json* other = y.if_contains(kv.key());
      if (other == nullptr || !SameJson(kv.value(), *other)) return false;
    }
    return true;
  }
  return a == b;
}

void Check(const GoldenCase& c) {
  ASSERT_TRUE(fs::exists(c.input)) << "missing input " << c.input;
  std::string input = ReadFile(c.input);
  Result<std::vector<Json>> got = ReadManifests(input, c.source);
  if (c.want.extension() == ".error") {
    std::string want_error = ReadFile(c.want);
    if (want_error.find("no objects passed to create") != std::string::npos) {
      // kubectl refuses a file without objects only after reading it: the read itself gives
      // no documents.
      ASSERT_TRUE(got.ok()) << got.status().message();
      EXPECT_TRUE(got->empty()) << WriteJson(JsonArray(got->begin(), got->end()));
      return;
    }
    ASSERT_FALSE(got.ok()) << "kubectl refuses this input (" << want_error
                           << ") but it was read as:\n"
                           << WriteJson(JsonArray(got->begin(), got->end()), {.indent = 2});
    std::string message = got.status().message();
    EXPECT_EQ(message.rfind(c.source + ":", 0), 0u) << "error does not name the file: " << message;
    int line = KubectlErrorLine(want_error);
    if (line > 0) {
      // go-yaml numbers lines from 1 for scanner errors but from 0 for parser errors ("did not
      // find expected ..."), so kubectl's line is ours or the one before it.
      bool same_line = message.find(":" + std::to_string(line) + ":") != std::string::npos ||
                       message.find(":" + std::to_string(line + 1) + ":") != std::string::npos;
      EXPECT_TRUE(same_line) << "kubectl: " << want_error << "ours: " << message;
    }
    return;
  }
  ASSERT_TRUE(got.ok()) << got.status().message();
  Result<Json> want = ParseJson(ReadFile(c.want), c.want.string());
  ASSERT_TRUE(want.ok()) << want.status().message();
  Json got_array = JsonArray(got->begin(), got->end());
  EXPECT_TRUE(SameJson(got_array, *want)) << "got:\n"
                              << WriteJson(got_array, {.indent = 2, .sort_keys = true})
                              << "\nwant:\n"
                              << WriteJson(*want, {.indent = 2, .sort_keys = true});
}

std::vector<GoldenCase> HandMadeCases() {
  std::vector<GoldenCase> cases;
  fs::path root = testing::SourceDir() / "tests/core/testdata/yaml";
  for (const std::string& name : testing::CaseNames(root)) {
    fs::path dir = root / name;
    fs::path want = dir / "want.json";
    if (!fs::exists(want)) want = dir / "want.error";
    cases.push_back({testing::TestName(name), dir / "input.yaml", want, "input.yaml"});
  }
  return cases;
}

std::vector<GoldenCase> PeerCases() {
  std::vector<GoldenCase> cases;
  fs::path wants = testing::SourceDir() / "tests/core/testdata/yaml-peer/argocd-example-apps";
  fs::path inputs = testing::SharedDir() / "testdata/argocd-example-apps";
  std::istringstream list(ReadFile(wants.string() + ".list"));
  std::string rel;
  while (std::getline(list, rel)) {
    if (rel.empty()) continue;
    fs::path want = wants / (rel + ".want.json");
    if (!fs::exists(want)) want = wants / (rel + ".want.error");
    cases.push_back({testing::TestName(rel), inputs / rel, want, rel});
  }
  return cases;
}

// Cases where kstack's YAML deliberately differs from kubectl's, and why. The test asserts the
// difference, so fixing one means moving it out of this list.
const std::map<std::string, std::string>& KnownWriteDifferences() {
  static const auto* known = new std::map<std::string, std::string>{
      {"dq_escapes_unicode",
       "go-yaml writes U+0085 (NEL) in a plain scalar as a line break that reads back as a "
       "space, changing the value; kstack writes it escaped (\\N) and keeps the value"},
  };
  return *known;
}

// What `kubectl -o yaml` printed for the same input (want.yaml, from
// scripts/regen-yaml-write-golden), byte for byte.
void CheckWrite(const GoldenCase& c) {
  fs::path want_yaml = c.want;
  want_yaml.replace_extension(".yaml");
  Result<std::vector<Json>> got = ReadManifests(ReadFile(c.input), c.source);
  ASSERT_TRUE(got.ok()) << got.status().message();
  auto known = KnownWriteDifferences().find(c.name);
  if (known != KnownWriteDifferences().end()) {
    EXPECT_NE(WriteYamlStream(*got), ReadFile(want_yaml)) << known->second;
    return;
  }
  EXPECT_EQ(WriteYamlStream(*got), ReadFile(want_yaml));
}

// The cases for which kubectl printed YAML (it refuses some values, such as control
// characters, and some inputs are errors).
std::vector<GoldenCase> WithYaml(std::vector<GoldenCase> cases) {
  std::vector<GoldenCase> out;
  for (GoldenCase& c : cases) {
    fs::path want_yaml = c.want;
    want_yaml.replace_extension(".yaml");
    if (c.want.extension() == ".json" && fs::exists(want_yaml)) out.push_back(std::move(c));
  }
  return out;
}

class YamlGolden : public ::testing::TestWithParam<GoldenCase> {};
TEST_P(YamlGolden, ReadsAsKubectlDoes) { Check(GetParam()); }
class YamlWriteGolden : public ::testing::TestWithParam<GoldenCase> {};
TEST_P(YamlWriteGolden, WritesAsKubectlDoes) { CheckWrite(GetParam()); }
INSTANTIATE_TEST_SUITE_P(HandMade, YamlGolden, ::testing::ValuesIn(HandMadeCases()),
                         [](const auto& info) { return info.param.name; });
INSTANTIATE_TEST_SUITE_P(ArgoCdExampleApps, YamlGolden, ::testing::ValuesIn(PeerCases()),
                         [](const auto& info) { return info.param.name; });

INSTANTIATE_TEST_SUITE_P(HandMade, YamlWriteGolden, ::testing::ValuesIn(WithYaml(HandMadeCases())),
                         [](const auto& info) { return info.param.name; });
INSTANTIATE_TEST_SUITE_P(ArgoCdExampleApps, YamlWriteGolden,
                         ::testing::ValuesIn(WithYaml(PeerCases())),
                         [](const auto& info) { return info.param.name; });

TEST(YamlGoldenSets, AreLargeEnough) {
  EXPECT_GE(HandMadeCases().size(), 60u);
  EXPECT_GE(PeerCases().size(), 20u);
  EXPECT_GE(WithYaml(HandMadeCases()).size(), 100u);
}

}  // namespace
}  // namespace kstack
