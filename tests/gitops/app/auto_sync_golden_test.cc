// Automated sync decisions as a table of cases: every folder of tests/gitops/app/testdata/
// auto-sync holds an Application, a comparison and the time (input.yaml) and the decision it
// must give (want.yaml); testdata/README.md says how to add one.

#include <gtest/gtest.h>

#include "core/clock.h"
#include "core/yaml.h"
#include "gitops/app/auto_sync.h"
#include "tests/core/golden.h"

namespace kstack::gitops::app {
namespace {

namespace fs = std::filesystem;

fs::path CasesDir() { return kstack::testing::SourceDir() / "tests/gitops/app/testdata/auto-sync"; }

Json ReadYaml(const fs::path& path) {
  Result<Json> value = ParseYaml(kstack::testing::ReadFile(path), path.string());
  EXPECT_TRUE(value.ok()) << value.status().ToString();
  return value.ok() ? *value : Json();
}

Comparison ComparisonOf(const Json& json) {
  Comparison out;
  out.status = std::string(FindString(json, "status"));
  if (const JsonArray* revisions = FindArray(json, "revisions")) {
    for (const Json& r : *revisions) out.revisions.emplace_back(r.as_string());
  }
  if (const JsonArray* resources = FindArray(json, "resources")) {
    for (const Json& r : *resources) {
      const Json* prune = FindMember(r, "requiresPruning");
      out.resources.push_back({.group = std::string(FindString(r, "group")),
                               .kind = std::string(FindString(r, "kind")),
                               .ns = std::string(FindString(r, "namespace")),
                               .name = std::string(FindString(r, "name")),
                               .synced = FindString(r, "status") == "Synced",
                               .requires_pruning = prune && prune->is_bool() && prune->get_bool()});
    }
  }
  return out;
}

std::string ActionName(AutoSyncDecision::Action action) {
  switch (action) {
    case AutoSyncDecision::Action::kNone:
      return "None";
    case AutoSyncDecision::Action::kSync:
      return "Sync";
    case AutoSyncDecision::Action::kWait:
      return "Wait";
  }
  return "?";
}

class AutoSyncGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(AutoSyncGolden, DecidesAsArgoCdDoes) {
  fs::path dir = CasesDir() / GetParam();
  Json input = ReadYaml(dir / "input.yaml");
  Json want = ReadYaml(dir / "want.yaml");
  Clock::WallTime now;
  ASSERT_TRUE(ParseRfc3339(FindString(input, "now"), &now)) << "input.yaml: now";
  AutoSyncDecision got = DecideAutoSync(input.at("app"), ComparisonOf(input.at("comparison")), now);
  EXPECT_EQ(ActionName(got.action), FindString(want, "action"));
  EXPECT_EQ(got.message, FindString(want, "message"));
  const Json* error = FindMember(want, "syncError");
  EXPECT_EQ(got.sync_error.value_or("<none>"),
            error ? std::string(error->as_string()) : std::string("<none>"));
  const Json* operation = FindMember(want, "operation");
  EXPECT_EQ(WriteJson(got.operation), operation ? WriteJson(*operation) : WriteJson(Json()));
  const Json* retry_after = FindMember(want, "retryAfterSeconds");
  EXPECT_DOUBLE_EQ(std::chrono::duration<double>(got.retry_after).count(),
                   retry_after ? retry_after->to_number<double>() : 0.0);
}

INSTANTIATE_TEST_SUITE_P(Cases, AutoSyncGolden,
                         ::testing::ValuesIn(kstack::testing::CaseNames(CasesDir())),
                         [](const auto& info) { return kstack::testing::TestName(info.param); });

TEST(AutoSyncGoldenSet, CoversEveryRule) {
  EXPECT_GE(kstack::testing::CaseNames(CasesDir()).size(), 15u);
}

}  // namespace
}  // namespace kstack::gitops::app
