// kstack's own health cases: every folder of tests/gitops/health/testdata is one case (see the
// README there). A folder holds either
//   object.yaml     one object, assessed with Assess(), or
//   resources.yaml  the resources of an application ({live, target} pairs), assessed with
//                   AssessAppHealth(),
// and want.yaml, the health expected ({status, message}; `status: null` for none). Optional:
// argocd-cm.yaml (Lua customizations as Argo CD's ConfigMap holds them), lua/ (a directory of
// <group>/<Kind>/health.lua scripts), options.yaml ({applications: false}).

#include <gtest/gtest.h>

#include "core/json.h"
#include "core/yaml.h"
#include "gitops/health/app_health.h"
#include "gitops/health/assess.h"
#include "gitops/health/lua_checks.h"
#include "tests/core/golden.h"

namespace kstack::gitops::health {
namespace {

namespace fs = std::filesystem;
using kstack::testing::ReadFile;

fs::path CasesDir() { return kstack::testing::SourceDir() / "tests/gitops/health/testdata"; }

Json Read(const fs::path& path) {
  Result<Json> value = ParseYaml(ReadFile(path), path.string());
  EXPECT_TRUE(value.ok()) << value.status().ToString();
  return value.ok() ? *value : Json();
}

// want.yaml's {status, message} (or null) as a health.
std::optional<HealthStatus> Want(const Json& want) {
  if (want.is_null()) return std::nullopt;
  const Json* status = FindMember(want, "status");
  if (status == nullptr || status->is_null()) return std::nullopt;
  std::optional<HealthCode> code = ParseHealthCode(FindString(want, "status"));
  EXPECT_TRUE(code.has_value()) << "bad status in want.yaml: " << WriteJson(want);
  return HealthStatus{code.value_or(HealthCode::kUnknown),
                      std::string(FindString(want, "message"))};
}

std::string Show(const std::optional<HealthStatus>& h) { return h ? ToString(*h) : "no health"; }

ManagedResource Resource(const Json* live, const Json* target) {
  const Json* object = live != nullptr ? live : target;
  std::string_view api_version = FindString(*object, "apiVersion");
  size_t slash = api_version.find('/');
  const Json* metadata = FindMember(*object, "metadata");
  return {.group = slash == std::string_view::npos ? "" : api_version.substr(0, slash),
          .kind = FindString(*object, "kind"),
          .namespace_name = FindString(*metadata, "namespace"),
          .name = FindString(*metadata, "name"),
          .live = live,
          .target = target};
}

class HealthCaseGoldenTest : public ::testing::TestWithParam<std::string> {};

TEST_P(HealthCaseGoldenTest, GivesTheWantedHealth) {
  fs::path dir = CasesDir() / GetParam();
  LuaHealthChecks lua;
  if (fs::exists(dir / "argocd-cm.yaml")) {
    Result<LuaHealthChecks> configured =
        LuaHealthChecks::FromConfigMap(Read(dir / "argocd-cm.yaml"));
    ASSERT_TRUE(configured.ok()) << configured.status().ToString();
    lua.Merge(std::move(*configured));
  }
  if (fs::exists(dir / "lua")) {
    Result<LuaHealthChecks> bundled = LuaHealthChecks::FromDirectory(dir / "lua");
    ASSERT_TRUE(bundled.ok()) << bundled.status().ToString();
    lua.Merge(std::move(*bundled));
  }
  AssessOptions options{.lua = &lua};
  if (fs::exists(dir / "options.yaml")) {
    Json options_file = Read(dir / "options.yaml");
    const Json* applications = FindMember(options_file, "applications");
    if (applications != nullptr && applications->is_bool()) {
      options.applications = applications->get_bool();
    }
  }
  Json want = Read(dir / "want.yaml");

  if (fs::exists(dir / "object.yaml")) {
    Json object = Read(dir / "object.yaml");
    std::optional<HealthStatus> got = Assess(object, options);
    EXPECT_EQ(got, Want(want)) << "got " << Show(got);
    return;
  }

  ASSERT_TRUE(fs::exists(dir / "resources.yaml")) << "neither object.yaml nor resources.yaml";
  Json resources = Read(dir / "resources.yaml");
  ASSERT_TRUE(resources.is_array());
  std::vector<ManagedResource> managed;
  for (const Json& r : resources.get_array()) {
    const Json* live = FindMember(r, "live");
    const Json* target = FindMember(r, "target");
    if (live != nullptr && live->is_null()) live = nullptr;
    if (target != nullptr && target->is_null()) target = nullptr;
    ASSERT_TRUE(live != nullptr || target != nullptr);
    managed.push_back(Resource(live, target));
  }
  AppHealth got = AssessAppHealth(managed, {.assess = options});
  EXPECT_EQ(HealthCodeName(got.status), FindString(want, "status"));
  EXPECT_EQ(got.message, FindString(want, "message"));
  const JsonArray* want_resources = FindArray(want, "resources");
  ASSERT_NE(want_resources, nullptr);
  ASSERT_EQ(got.resources.size(), want_resources->size());
  for (size_t i = 0; i < got.resources.size(); ++i) {
    EXPECT_EQ(got.resources[i], Want((*want_resources)[i]))
        << "resource " << i << ": got " << Show(got.resources[i]);
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, HealthCaseGoldenTest,
                         ::testing::ValuesIn(kstack::testing::CaseNames(CasesDir())),
                         [](const auto& info) { return kstack::testing::TestName(info.param); });

}  // namespace
}  // namespace kstack::gitops::health
