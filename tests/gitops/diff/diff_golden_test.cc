// Desired against live as folders of cases (testdata/README.md):
// <case>/{desired.yaml, live.yaml, options.yaml (optional), want.yaml, want.diff}.
// KSTACK_UPDATE_GOLDEN=1 rewrites want.yaml and want.diff from what the code computes.

#include <gtest/gtest.h>

#include <fstream>

#include "core/manifests.h"
#include "core/yaml.h"
#include "gitops/diff/compare_app.h"
#include "gitops/diff/ignore_rules.h"
#include "gitops/diff/settings.h"
#include "tests/core/golden.h"

namespace kstack::gitops::diff {
namespace {

namespace fs = std::filesystem;
using kstack::testing::ReadFile;

fs::path CasesDir() { return kstack::testing::SourceDir() / "tests/gitops/diff/testdata"; }

Result<std::vector<Json>> ReadObjects(const fs::path& path) {
  if (!fs::exists(path)) return std::vector<Json>();
  return ReadManifests(ReadFile(path), path.string());
}

// The comparison a case asks for, and what it owns.
struct CaseOptions {
  AppCompareOptions compare;
  IgnoreRules rules;
};

// options.yaml: application (an argoproj.io Application: its name is the tracking value, its
// destination namespace and ignoreDifferences apply), argocdCm (the data of argocd-cm),
// applyManager, hideSecretData.
Result<CaseOptions> ReadOptions(const fs::path& dir) {
  CaseOptions out;
  out.compare.tracking.destination_namespace = "default";
  fs::path path = dir / "options.yaml";
  if (!fs::exists(path)) return out;
  KSTACK_ASSIGN_OR_RETURN(Json options, ParseYaml(ReadFile(path), path.string()));
  std::vector<ResourceIgnoreDifferences> ignore;
  if (const Json* cm = FindMember(options, "argocdCm")) {
    KSTACK_ASSIGN_OR_RETURN(CompareSettings settings, ParseArgoCdConfigMap(*cm, "argocdCm"));
    ignore = settings.ignore_differences;
    out.compare.diff.ignore_status_field = settings.ignore_status_field;
    out.compare.diff.ignore_aggregated_roles = settings.ignore_aggregated_roles;
    out.compare.tracking.method = settings.tracking_method;
    out.compare.tracking.label_key = settings.instance_label_key;
  }
  if (const Json* app = FindMember(options, "application")) {
    KSTACK_ASSIGN_OR_RETURN(ApplicationSettings settings, ParseApplication(*app, "application"));
    out.compare.tracking.app = settings.name;
    if (!settings.destination_namespace.empty()) {
      out.compare.tracking.destination_namespace = settings.destination_namespace;
    }
    ignore.insert(ignore.end(), settings.ignore_differences.begin(),
                  settings.ignore_differences.end());
  }
  out.compare.diff.apply_manager = std::string(FindString(options, "applyManager"));
  if (const Json* hide = FindMember(options, "hideSecretData")) {
    out.compare.diff.hide_secret_data = hide->is_bool() && hide->get_bool();
  }
  KSTACK_ASSIGN_OR_RETURN(out.rules, IgnoreRules::Compile(ignore));
  return out;
}

Json WantOf(const AppComparison& got) {
  JsonObject out;
  out["status"] = SyncStatusName(got.status);
  if (!got.warnings.empty()) {
    JsonArray warnings;
    for (const std::string& w : got.warnings) warnings.push_back(JsonString(w));
    out["warnings"] = std::move(warnings);
  }
  JsonArray resources;
  for (const ResourceComparison& r : got.resources) {
    JsonObject entry;
    entry["resource"] = r.key.ToString();
    entry["status"] = ResourceStatusName(r.status);
    if (r.hook) entry["hook"] = true;
    if (r.ignore_extraneous) entry["ignoreExtraneous"] = true;
    if (!r.diff.live.is_null()) entry["live"] = r.diff.live;
    if (!r.diff.desired.is_null()) entry["desired"] = r.diff.desired;
    resources.push_back(std::move(entry));
  }
  out["resources"] = std::move(resources);
  return out;
}

class DiffGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(DiffGolden, ComparesAsArgoCdDoes) {
  fs::path dir = CasesDir() / GetParam();
  Result<std::vector<Json>> desired = ReadObjects(dir / "desired.yaml");
  ASSERT_TRUE(desired.ok()) << desired.status().ToString();
  Result<std::vector<Json>> live = ReadObjects(dir / "live.yaml");
  ASSERT_TRUE(live.ok()) << live.status().ToString();
  Result<CaseOptions> options = ReadOptions(dir);
  ASSERT_TRUE(options.ok()) << options.status().ToString();
  options->compare.diff.ignore_rules = &options->rules;

  Result<AppComparison> got = CompareApp(*desired, *live, options->compare);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  Json got_want = WantOf(*got);
  std::string got_diff = got->DiffText();
  if (std::getenv("KSTACK_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(dir / "want.yaml") << WriteYaml(got_want);
    std::ofstream(dir / "want.diff") << got_diff;
  }
  Result<Json> want = ParseYaml(ReadFile(dir / "want.yaml"), (dir / "want.yaml").string());
  ASSERT_TRUE(want.ok()) << want.status().ToString();
  EXPECT_EQ(got_want, *want) << "got:\n" << WriteYaml(got_want);
  EXPECT_EQ(got_diff, ReadFile(dir / "want.diff"));
}

INSTANTIATE_TEST_SUITE_P(Cases, DiffGolden,
                         ::testing::ValuesIn(kstack::testing::CaseNames(CasesDir())),
                         [](const auto& info) { return kstack::testing::TestName(info.param); });

TEST(DiffGoldenSet, IsLargeEnough) {
  EXPECT_GE(kstack::testing::CaseNames(CasesDir()).size(), 30u);
}

}  // namespace
}  // namespace kstack::gitops::diff
