// AppProject permissions as a table of cases: every folder of testdata/project holds a project
// and checks against it (input.yaml: `project`, then `checks`, each a `source` URL, a
// `destination` {server, name, namespace}, a `resource` {group, kind, namespaced, namespace,
// server, name} or an `application` spec, with `want`: "ok" or Argo CD's message, a list of
// messages for an application).

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "core/yaml.h"
#include "gitops/app/project.h"
#include "tests/core/golden.h"

namespace kstack::gitops::app {
namespace {

namespace fs = std::filesystem;

fs::path CasesDir() { return kstack::testing::SourceDir() / "tests/gitops/app/testdata/project"; }

std::string Field(const Json& object, std::string_view key) {
  return std::string(FindString(object, key));
}

class ProjectGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(ProjectGolden, PermitsAsArgoCdDoes) {
  fs::path file = CasesDir() / GetParam() / "input.yaml";
  Result<Json> input = ParseYaml(kstack::testing::ReadFile(file), file.string());
  ASSERT_TRUE(input.ok()) << input.status().ToString();
  Result<Project> project = ParseProject(input->at("project"));
  ASSERT_TRUE(project.ok()) << project.status().ToString();
  const JsonArray& checks = input->at("checks").as_array();
  ASSERT_FALSE(checks.empty());
  for (size_t i = 0; i < checks.size(); ++i) {
    const Json& check = checks[i];
    SCOPED_TRACE(fmt::format("checks[{}]: {}", i, WriteJson(check)));
    if (const Json* app = FindMember(check, "application")) {
      std::vector<std::string> want;
      for (const Json& m : check.at("want").as_array()) want.emplace_back(m.as_string());
      EXPECT_EQ(project->CheckApplication(*app), want);
      continue;
    }
    std::string got = "ok";
    if (const Json* source = FindMember(check, "source")) {
      JsonObject spec{{"source", JsonObject{{"repoURL", *source}}}};
      std::vector<std::string> messages = project->CheckApplication(spec);
      if (!messages.empty()) got = messages.front();
    } else if (const Json* d = FindMember(check, "destination")) {
      JsonObject spec{{"destination", *d}};
      std::vector<std::string> messages = project->CheckApplication(spec);
      if (!messages.empty()) got = messages.front();
    } else {
      const Json& r = check.at("resource");
      const Json* namespaced = FindMember(r, "namespaced");
      std::optional<std::string> message = project->CheckResource(
          Field(r, "group"), Field(r, "kind"), namespaced && namespaced->as_bool(),
          Field(r, "namespace"), FindMember(r, "server") ? Field(r, "server") : "https://x",
          Field(r, "name"));
      if (message) got = *message;
    }
    EXPECT_EQ(got, check.at("want").as_string());
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, ProjectGolden,
                         ::testing::ValuesIn(kstack::testing::CaseNames(CasesDir())),
                         [](const auto& info) { return kstack::testing::TestName(info.param); });

TEST(ParseProject, NamesTheFieldAtFault) {
  Result<Project> got = ParseProject(ParseYaml("{spec: {destinations: [{server: a}, x]}}").value());
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().reason(), Reason::kInvalid);
  EXPECT_EQ(got.status().message(), "spec.destinations[1]: must be an object");
  got = ParseProject(ParseYaml("{spec: {sourceRepos: '*'}}").value());
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().message(), "spec.sourceRepos: must be a list");
}

}  // namespace
}  // namespace kstack::gitops::app
