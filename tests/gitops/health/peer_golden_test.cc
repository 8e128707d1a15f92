// Health cases from the peer projects, read from ../shared/testdata/health (see its README):
//
//   expected.tsv                 objects of gitops-engine's own tests and the status (and, once,
//                                the message) they assert, for both copies of gitops-engine;
//   argo-workflow-cases.jsonl    the Workflow cases, which upstream runs through the Workflow
//                                check directly;
//   argocd-customizations/       Argo CD's test cases for the Lua checks it bundles (folders
//                                <group>/<Kind>). Status and message must both be equal.
//
// The bundled Lua scripts are Argo CD's code and are not in the shared data. A folder whose
// kind kstack builds in (batch/CronJob) is checked against the built-in check; the others run
// only where a script is available: a health.lua beside the folder's health_test.yaml, or a
// directory of Argo CD's resource_customizations named by KSTACK_ARGOCD_CUSTOMIZATIONS
// (laid out <group>/<Kind>/health.lua). Without one they are skipped, saying why.

#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <sstream>

#include "core/json.h"
#include "core/yaml.h"
#include "gitops/health/assess.h"
#include "gitops/health/builtin_checks.h"
#include "gitops/health/lua_checks.h"
#include "tests/core/golden.h"

namespace kstack::gitops::health {
namespace {

namespace fs = std::filesystem;
using kstack::testing::ReadFile;
using kstack::testing::SharedDir;
using kstack::testing::TestName;

fs::path HealthDir() { return SharedDir() / "testdata" / "health"; }

std::vector<std::string> SplitTabs(const std::string& line) {
  std::vector<std::string> fields;
  std::string field;
  std::istringstream in(line);
  while (std::getline(in, field, '\t')) fields.push_back(field);
  if (!line.empty() && line.back() == '\t') fields.emplace_back();
  return fields;
}

// Rows of a TSV file after its header.
std::vector<std::vector<std::string>> ReadTsv(const fs::path& path) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(ReadFile(path));
  std::string line;
  bool header = true;
  while (std::getline(in, line)) {
    if (header) {
      header = false;
      continue;
    }
    if (!line.empty()) rows.push_back(SplitTabs(line));
  }
  return rows;
}

Json ReadObject(const fs::path& path) {
  Result<Json> object = ParseYaml(ReadFile(path), path.string());
  EXPECT_TRUE(object.ok()) << object.status().ToString();
  return object.ok() ? *object : Json();
}

// --- expected.tsv ------------------------------------------------------------------------

struct EngineCase {
  std::string file;     // relative to health/
  std::string status;   // a code, or "<nil>" for no health
  std::string message;  // "" when the source does not assert one
};

void PrintTo(const EngineCase& c, std::ostream* os) { *os << c.file; }

// Where the two copies of gitops-engine disagree, kstack follows Argo CD's current copy
// (argocd-gitops-engine). The standalone repository's hpa-v1-healthy.yaml reports a failure to
// get the metrics next to AbleToScale=True; the current check looks for failures first, and
// Argo CD replaced the file by a healthy one when it made that change.
const std::map<std::string, std::pair<std::string, std::string>>& Divergences() {
  static const auto* table = new std::map<std::string, std::pair<std::string, std::string>>{
      {"gitops-engine/pkg/health/testdata/hpa-v1-healthy.yaml",
       {"Degraded",
        "the HPA was unable to compute the replica count: unable to get metrics for resource "
        "cpu: unable to fetch metrics from resource metrics API: the server is currently unable "
        "to handle the request (get pods.metrics.k8s.io)"}},
  };
  return *table;
}

std::vector<EngineCase> EngineCases() {
  std::vector<EngineCase> cases;
  fs::path tsv = HealthDir() / "expected.tsv";
  if (!fs::exists(tsv)) return cases;
  for (const auto& row : ReadTsv(tsv)) {
    if (row.size() < 2) continue;
    cases.push_back({row[0], row[1], row.size() > 2 ? row[2] : ""});
  }
  return cases;
}

class HealthEngineGoldenTest : public ::testing::TestWithParam<EngineCase> {};

TEST_P(HealthEngineGoldenTest, GivesTheStatusTheSourceAsserts) {
  const EngineCase& c = GetParam();
  Json object = ReadObject(HealthDir() / c.file);
  ASSERT_TRUE(object.is_object());
  std::optional<HealthStatus> got = Assess(object);
  if (auto it = Divergences().find(c.file); it != Divergences().end()) {
    ASSERT_TRUE(got.has_value());
    EXPECT_EQ(HealthCodeName(got->status), it->second.first);
    EXPECT_EQ(got->message, it->second.second);
    return;
  }
  if (c.status == "<nil>") {
    // No built-in check in Argo CD: a CRD nobody wrote a check for, and Applications, which
    // kstack assesses only when asked (AssessOptions::applications, on by default).
    EXPECT_EQ(Assess(object, {.applications = false}), std::nullopt);
    if (FindString(object, "kind") == "Application") {
      ASSERT_TRUE(got.has_value());
      const Json* health = FindMember(*FindMember(object, "status"), "health");
      ASSERT_NE(health, nullptr);
      EXPECT_EQ(HealthCodeName(got->status), FindString(*health, "status"));
    } else {
      EXPECT_EQ(got, std::nullopt);
    }
    return;
  }
  ASSERT_TRUE(got.has_value()) << "no health";
  EXPECT_EQ(HealthCodeName(got->status), c.status) << got->message;
  if (!c.message.empty()) {
    EXPECT_EQ(got->message, c.message);
  }
}

INSTANTIATE_TEST_SUITE_P(Peer, HealthEngineGoldenTest, ::testing::ValuesIn(EngineCases()),
                         [](const auto& info) { return TestName(info.param.file); });
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(HealthEngineGoldenTest);

// --- argo-workflow-cases.jsonl -----------------------------------------------------------

TEST(HealthWorkflowGoldenTest, GivesTheStatusAndMessageOfEachCase) {
  fs::path jsonl = HealthDir() / "argo-workflow-cases.jsonl";
  ASSERT_TRUE(fs::exists(jsonl)) << jsonl << " is absent";
  Result<std::vector<Json>> cases = ParseJsonStream(ReadFile(jsonl), jsonl.string());
  ASSERT_TRUE(cases.ok()) << cases.status().ToString();
  ASSERT_EQ(cases->size(), 3u);
  for (const Json& c : *cases) {
    HealthStatus got = AssessWorkflow(*FindMember(c, "object"));
    EXPECT_EQ(HealthCodeName(got.status), FindString(c, "expected_status"));
    EXPECT_EQ(got.message, FindString(c, "expected_message"));
  }
}

// --- argocd-customizations ---------------------------------------------------------------

struct CustomizationRow {
  std::string input;  // relative to argocd-customizations/
  std::string status;
  std::string message;
};

struct CustomizationCase {
  std::string group;  // folder names; `_` is a wildcard
  std::string kind;
  std::vector<CustomizationRow> rows;
};

fs::path CustomizationsDir() { return HealthDir() / "argocd-customizations"; }

std::vector<CustomizationCase> CustomizationCases() {
  std::vector<CustomizationCase> cases;
  fs::path tsv = HealthDir() / "argocd-customizations-index.tsv";
  if (!fs::exists(tsv)) return cases;
  for (const auto& row : ReadTsv(tsv)) {
    if (row.size() < 4) continue;
    std::string message;
    if (row.size() > 4 && !row[4].empty()) {
      Result<Json> parsed = ParseJson(row[4]);
      if (parsed.ok() && parsed->is_string()) message = std::string(parsed->get_string());
    }
    if (cases.empty() || cases.back().group != row[0] || cases.back().kind != row[1]) {
      cases.push_back({row[0], row[1], {}});
    }
    cases.back().rows.push_back({row[2], row[3], message});
  }
  return cases;
}

// The directory the bundled scripts are read from: KSTACK_ARGOCD_CUSTOMIZATIONS, else the
// shared folder itself (which holds no scripts today).
fs::path ScriptsDir() {
  if (const char* env = std::getenv("KSTACK_ARGOCD_CUSTOMIZATIONS")) return env;
  return CustomizationsDir();
}

const LuaHealthChecks& BundledScripts() {
  static const LuaHealthChecks* checks = [] {
    Result<LuaHealthChecks> loaded = LuaHealthChecks::FromDirectory(ScriptsDir());
    return new LuaHealthChecks(loaded.ok() ? std::move(*loaded) : LuaHealthChecks());
  }();
  return *checks;
}

bool IsBuiltIn(const CustomizationCase& c) {
  return c.group.find('_') == std::string::npos && HasBuiltInCheck(c.group, c.kind);
}

HealthStatus Want(const CustomizationRow& row) {
  return {*ParseHealthCode(row.status), row.message};
}

// Folders of kinds kstack builds in (batch/CronJob, whose Argo CD check is a bundled script).
TEST(HealthCustomizationGoldenTest, BuiltInKindsGiveTheStatusAndMessageOfEachCase) {
  std::vector<CustomizationCase> cases = CustomizationCases();
  ASSERT_FALSE(cases.empty()) << HealthDir() << " is absent";
  size_t rows = 0;
  for (const CustomizationCase& c : cases) {
    if (!IsBuiltIn(c)) continue;
    for (const CustomizationRow& row : c.rows) {
      SCOPED_TRACE(row.input);
      Json object = ReadObject(CustomizationsDir() / row.input);
      std::optional<HealthStatus> got = Assess(object);
      ASSERT_TRUE(got.has_value());
      EXPECT_EQ(*got, Want(row));
      ++rows;
    }
  }
  EXPECT_EQ(rows, 6u);
}

// Every other folder runs through the script found for each object's group/kind, as upstream's
// test runs it. Argo CD's bundled scripts are not part of the shared data, so these cases exist
// only when KSTACK_ARGOCD_CUSTOMIZATIONS names a copy of its resource_customizations folder.
std::vector<CustomizationRow> ScriptRows() {
  std::vector<CustomizationRow> rows;
  for (const CustomizationCase& c : CustomizationCases()) {
    if (IsBuiltIn(c) || !fs::exists(ScriptsDir() / c.group / c.kind / "health.lua")) continue;
    rows.insert(rows.end(), c.rows.begin(), c.rows.end());
  }
  return rows;
}

class HealthLuaScriptGoldenTest : public ::testing::TestWithParam<CustomizationRow> {};

TEST_P(HealthLuaScriptGoldenTest, GivesTheStatusAndMessageOfTheCase) {
  const CustomizationRow& row = GetParam();
  Json object = ReadObject(CustomizationsDir() / row.input);
  ASSERT_TRUE(object.is_object());
  std::string_view api_version = FindString(object, "apiVersion");
  size_t slash = api_version.find('/');
  std::string_view group = slash == std::string_view::npos ? "" : api_version.substr(0, slash);
  const LuaScript* script = BundledScripts().Find(group, FindString(object, "kind"));
  ASSERT_NE(script, nullptr);
  std::optional<HealthStatus> got = BundledScripts().Run(*script, object);
  ASSERT_TRUE(got.has_value()) << "no health from " << script->group_kind;
  EXPECT_EQ(*got, Want(row)) << "Lua script " << script->group_kind;
}

INSTANTIATE_TEST_SUITE_P(ArgoCdScripts, HealthLuaScriptGoldenTest,
                         ::testing::ValuesIn(ScriptRows()),
                         [](const auto& info) { return TestName(info.param.input); });
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(HealthLuaScriptGoldenTest);

}  // namespace
}  // namespace kstack::gitops::health
