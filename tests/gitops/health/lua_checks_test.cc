// The Lua sandbox and the configuration of custom checks: what a script can reach, the limits,
// how results and errors read, how argocd-cm is read and which script applies.

#include "gitops/health/lua_checks.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <thread>

#include "core/json.h"
#include "core/yaml.h"
#include "gitops/health/app_health.h"
#include "gitops/health/assess.h"
#include "gitops/health/internal/glob.h"
#include "gitops/health/internal/lua_continue.h"
#include "tests/testing/temp_dir.h"

namespace kstack::gitops::health {
namespace {

Json Widget() {
  Result<Json> object = ParseYaml(R"(
apiVersion: widgets.example.com/v1
kind: Widget
metadata: {name: blue, namespace: shop}
spec: {size: 3, labels: [a, null, b]}
status: {phase: Ready}
)");
  return *object;
}

// Runs `script` on a Widget.
std::optional<HealthStatus> RunScript(std::string script, bool open_libs = true,
                                      LuaLimits limits = {}) {
  LuaHealthChecks checks;
  checks.set_limits(limits);
  checks.Add("widgets.example.com/Widget", std::move(script), open_libs);
  const LuaScript* found = checks.Find("widgets.example.com", "Widget");
  EXPECT_NE(found, nullptr);
  return checks.Run(*found, Widget());
}

HealthStatus Unknown(std::string message) { return {HealthCode::kUnknown, std::move(message)}; }

TEST(HealthLuaSandboxTest, SeesTheObjectWithNullsLeftOut) {
  auto got = RunScript(R"(
    return {status = "Healthy", message = obj.metadata.name .. " " .. obj.spec.size .. " " ..
            #obj.spec.labels .. " " .. obj.spec.labels[2]})");
  EXPECT_EQ(got, (HealthStatus{HealthCode::kHealthy, "blue 3 2 b"}));
}

TEST(HealthLuaSandboxTest, OffersNoFilesProcessesOrDebugging) {
  auto got = RunScript(R"(
    local names = {"io", "debug", "dofile", "loadfile", "newproxy", "module"}
    local found = {}
    for _, n in ipairs(names) do if _G[n] ~= nil then table.insert(found, n) end end
    for _, n in ipairs({"execute", "exit", "getenv", "remove", "rename", "tmpname", "clock"}) do
      if os[n] ~= nil then table.insert(found, "os." .. n) end
    end
    if package.loadlib ~= nil then table.insert(found, "package.loadlib") end
    if string.dump ~= nil then table.insert(found, "string.dump") end
    local ok, err = pcall(require, "io")
    return {status = "Healthy", message = table.concat(found, ",") .. "|" .. tostring(err)})");
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->message, "|module 'io' not found");
}

TEST(HealthLuaSandboxTest, WithoutOpenLibsOnlyBaseTableAndOs) {
  auto got = RunScript(R"(
    return {status = "Healthy", message = type(string) .. type(math) .. type(coroutine) ..
            type(table) .. type(os.time) .. type(os.date)})",
                       /*open_libs=*/false);
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->message, "nilnilniltablefunctionfunction");
}

TEST(HealthLuaSandboxTest, RefusesPrecompiledChunks) {
  auto got = RunScript(R"(
    local f, err = loadstring("\27Lua\81\0")
    local g, err2 = load(function() local s = "\27Lua" ; return nil end)
    return {status = "Healthy", message = tostring(f) .. ": " .. err})");
  EXPECT_EQ(got,
            (HealthStatus{HealthCode::kHealthy, "nil: loading precompiled chunks is not allowed"}));
  EXPECT_EQ(RunScript("\x1bLuaQ\0\x01\x04"), Unknown("loading precompiled chunks is not allowed"));
  // Text chunks are fine.
  EXPECT_EQ(RunScript(R"(return loadstring("return {status = 'Suspended'}")())"),
            (HealthStatus{HealthCode::kSuspended, ""}));
}

TEST(HealthLuaSandboxTest, StopsAScriptThatRunsTooLong) {
  auto start = std::chrono::steady_clock::now();
  auto got = RunScript("while true do end", true, {.timeout = std::chrono::milliseconds(50)});
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  EXPECT_EQ(got, Unknown("<string>:1: the script ran longer than its time limit of 50ms"));
}

TEST(HealthLuaSandboxTest, TheTimeLimitCannotBeCaught) {
  auto got = RunScript(R"(
    while true do
      pcall(function() while true do end end)
    end)",
                       true, {.timeout = std::chrono::milliseconds(50)});
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->status, HealthCode::kUnknown);
  EXPECT_NE(got->message.find("time limit"), std::string::npos) << got->message;
}

TEST(HealthLuaSandboxTest, TheTimeLimitHoldsInCoroutines) {
  auto got = RunScript("coroutine.wrap(function() while true do end end)()", true,
                       {.timeout = std::chrono::milliseconds(50)});
  ASSERT_TRUE(got.has_value());
  EXPECT_NE(got->message.find("time limit"), std::string::npos) << got->message;
}

TEST(HealthLuaSandboxTest, StopsAScriptThatTakesTooMuchMemory) {
  EXPECT_EQ(RunScript(R"(local s = string.rep("x", 100 * 1024 * 1024))", true,
                      {.memory_bytes = 16 << 20}),
            Unknown("not enough memory"));
  auto got = RunScript(R"(
    local t = {}
    for i = 1, 1e9 do t[i] = {i} end)",
                       true, {.memory_bytes = 16 << 20});
  EXPECT_EQ(got, Unknown("not enough memory"));
  // An object larger than the whole limit.
  EXPECT_EQ(RunScript("return {status = 'Healthy'}", true, {.memory_bytes = 1024}),
            Unknown("not enough memory"));
}

TEST(HealthLuaSandboxTest, ErrorsGiveUnknownWithTheMessage) {
  EXPECT_EQ(RunScript("error('boom')"), Unknown("<string>:1: boom"));
  EXPECT_EQ(RunScript("error({code = 1})"), Unknown("(error object is a table value)"));
  EXPECT_EQ(RunScript("\n\nlocal x = obj.nothing.here"),
            Unknown("<string>:3: attempt to index field 'nothing' (a nil value)"));
  EXPECT_EQ(RunScript("return {status = 'Healthy'"),
            Unknown("<string>:1: '}' expected near '<eof>'"));
}

TEST(HealthLuaSandboxTest, ReadsResultsAsArgoCDDoes) {
  EXPECT_EQ(RunScript("return {status = 'Degraded', message = 'x'}"),
            (HealthStatus{HealthCode::kDegraded, "x"}));
  EXPECT_EQ(RunScript("return {status = 'Healthy'}"), (HealthStatus{HealthCode::kHealthy, ""}));
  // Go's JSON decoding matches field names whatever their case.
  EXPECT_EQ(RunScript("return {Status = 'Healthy', MESSAGE = 'loud'}"),
            (HealthStatus{HealthCode::kHealthy, "loud"}));
  EXPECT_EQ(RunScript("return {status = 'healthy'}"),
            Unknown("Lua returned an invalid health status"));
  EXPECT_EQ(RunScript("return {message = 'no status'}"),
            Unknown("Lua returned an invalid health status"));
  EXPECT_EQ(RunScript("return 42"), Unknown("expect table output from Lua script, not number"));
  EXPECT_EQ(RunScript("return function() end"),
            Unknown("expect table output from Lua script, not function"));
  // No health: nothing, nil, an empty table, a list, fields of the wrong type.
  for (const char* script :
       {"local x = 1", "return nil", "return {}", "return {'Healthy'}", "return {status = 1}",
        "return {status = 'Healthy', message = 2}", "return {status = true}"}) {
    EXPECT_EQ(RunScript(script), std::nullopt) << script;
  }
  // The last of several results counts.
  EXPECT_EQ(RunScript("return 1, {status = 'Suspended'}"),
            (HealthStatus{HealthCode::kSuspended, ""}));
}

TEST(HealthLuaSandboxTest, OsTimeAndDateWork) {
  auto got = RunScript(R"(
    local t = os.time({year = 2024, month = 5, day = 1, hour = 0})
    local d = os.date("!%Y-%m-%dT%H:%M:%SZ", 0)
    local tt = os.date("!*t", 86400)
    return {status = "Healthy", message = d .. " " .. tt.day .. " " .. type(t) .. " " ..
            type(os.time())})");
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->message, "1970-01-01T00:00:00Z 2 number number");
}

TEST(HealthLuaSandboxTest, RunsFromManyThreadsAtOnce) {
  LuaHealthChecks checks;
  checks.Add("widgets.example.com/Widget",
             "local n = 0 for i = 1, 10000 do n = n + i end\n"
             "return {status = 'Healthy', message = obj.metadata.name .. n}",
             false);
  const LuaScript* script = checks.Find("widgets.example.com", "Widget");
  ASSERT_NE(script, nullptr);
  Json widget = Widget();
  std::vector<std::thread> threads;
  std::atomic<int> right{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        if (checks.Run(*script, widget) == HealthStatus{HealthCode::kHealthy, "blue50005000"}) {
          ++right;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(right.load(), 400);
}

// --- configuration -------------------------------------------------------------------------

Result<LuaHealthChecks> FromYaml(const char* text) {
  Result<Json> config = ParseYaml(text);
  EXPECT_TRUE(config.ok()) << config.status().ToString();
  return LuaHealthChecks::FromConfigMap(*config);
}

TEST(HealthLuaConfigTest, ReadsSplitKeysAndTheYamlForm) {
  Result<LuaHealthChecks> checks = FromYaml(R"(
data:
  resource.customizations.health.cert-manager.io_Certificate: return {status = "Healthy"}
  resource.customizations.useOpenLibs.cert-manager.io_Certificate: "true"
  resource.customizations.health.Service: return {status = "Suspended"}
  resource.customizations.ignoreDifferences.apps_Deployment: "jsonPointers: [/spec/replicas]"
  resource.customizations: |
    "*.crossplane.io/*":
      health.lua: return {status = "Degraded"}
      health.lua.useOpenLibs: true
    apps/Deployment:
      ignoreDifferences: "jsonPointers: [/spec/replicas]"
    cert-manager.io/Certificate:
      health.lua: this is replaced by the split key
)");
  ASSERT_TRUE(checks.ok()) << checks.status().ToString();
  EXPECT_EQ(checks->size(), 3u);
  const LuaScript* cert = checks->Find("cert-manager.io", "Certificate");
  ASSERT_NE(cert, nullptr);
  EXPECT_TRUE(cert->open_libs);
  EXPECT_EQ(cert->source, "return {status = \"Healthy\"}");
  const LuaScript* service = checks->Find("", "Service");
  ASSERT_NE(service, nullptr);
  EXPECT_FALSE(service->open_libs);
  const LuaScript* bucket = checks->Find("s3.aws.crossplane.io", "Bucket");
  ASSERT_NE(bucket, nullptr);
  EXPECT_EQ(bucket->group_kind, "*.crossplane.io/*");
  EXPECT_TRUE(bucket->open_libs);
  EXPECT_EQ(checks->Find("apps", "Deployment"), nullptr);
  EXPECT_EQ(checks->Find("", "Pod"), nullptr);
}

TEST(HealthLuaConfigTest, RefusesWhatArgoCDRefuses) {
  struct Bad {
    const char* yaml;
    const char* error;
  };
  for (const Bad& bad : std::initializer_list<Bad>{
           {"resource.customizations.health.a_b_c: x",
            "resource.customizations.health.a_b_c: group kind should be in format"},
           {"resource.customizations.useOpenLibs.apps_Deployment: maybe",
            "resource.customizations.useOpenLibs.apps_Deployment: expected true or false, got "
            "\"maybe\""},
           {"resource.customizations.colour.apps_Deployment: x",
            "resource.customizations.colour.apps_Deployment: resource customization type colour "
            "not supported"},
           {"resource.customizations: \"- a\\n- b\\n\"",
            "resource.customizations: expected a mapping of group/kind to customizations, got "
            "array"},
           {"resource.customizations: \"apps/Deployment:\\n  health.lua: [1]\\n\"",
            "resource.customizations: apps/Deployment: health.lua: expected a string, got array"},
       }) {
    Result<LuaHealthChecks> checks = FromYaml(bad.yaml);
    ASSERT_FALSE(checks.ok()) << bad.yaml;
    EXPECT_EQ(checks.status().reason(), Reason::kInvalid);
    EXPECT_TRUE(checks.status().message().starts_with(bad.error)) << checks.status().message();
  }
}

TEST(HealthLuaConfigTest, PrecedenceExactThenGlobThenDirectory) {
  LuaHealthChecks checks;
  checks.Add("*.example.com/*", "return {status = 'Degraded'}", false);
  checks.Add("*/Widget", "return {status = 'Degraded'}", false);
  checks.Add("widgets.example.com/Widget", "return {status = 'Healthy'}", false,
             LuaScriptOrigin::kDirectory);
  checks.Add("*.example.com/Gadget", "return {status = 'Healthy'}", false,
             LuaScriptOrigin::kDirectory);
  // Configured globs come before directory scripts, and are tried in byte order.
  EXPECT_EQ(checks.Find("widgets.example.com", "Widget")->group_kind, "*.example.com/*");
  checks.Add("widgets.example.com/Widget", "return {status = 'Suspended'}", false);
  EXPECT_EQ(checks.Find("widgets.example.com", "Widget")->origin, LuaScriptOrigin::kConfigured);
  EXPECT_EQ(checks.Find("widgets.example.com", "Widget")->group_kind, "widgets.example.com/Widget");
  EXPECT_EQ(checks.Find("other.io", "Widget")->group_kind, "*/Widget");
  EXPECT_EQ(checks.Find("other.io", "Gadget"), nullptr);
}

TEST(HealthLuaConfigTest, ReadsADirectoryOfScripts) {
  testing::TempDir dir;
  auto write = [&](const std::string& rel, const std::string& text) {
    std::filesystem::path path = std::filesystem::path(dir.path()) / rel;
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path) << text;
  };
  write("widgets.example.com/Widget/health.lua", "return {status = 'Healthy'}");
  write("_.crossplane.io/_/health.lua", "return {status = 'Degraded'}");
  write("ConfigMap/health.lua", "return {status = 'Suspended'}");
  write("widgets.example.com/Widget/health_test.yaml", "tests: []");
  Result<LuaHealthChecks> checks = LuaHealthChecks::FromDirectory(dir.path());
  ASSERT_TRUE(checks.ok()) << checks.status().ToString();
  EXPECT_EQ(checks->size(), 3u);
  EXPECT_EQ(checks->Find("widgets.example.com", "Widget")->origin, LuaScriptOrigin::kDirectory);
  EXPECT_TRUE(checks->Find("widgets.example.com", "Widget")->open_libs);
  EXPECT_EQ(checks->Find("s3.aws.crossplane.io", "Bucket")->group_kind, "*.crossplane.io/*");
  EXPECT_NE(checks->Find("", "ConfigMap"), nullptr);
  EXPECT_EQ(checks->Find("example.com", "Widget"), nullptr);

  Result<LuaHealthChecks> missing = LuaHealthChecks::FromDirectory(dir.path() + "/nothing");
  EXPECT_EQ(missing.status().reason(), Reason::kNotFound);
}

TEST(HealthGlobTest, MatchesAsArgoCDsGlobsDo) {
  using internal::GlobMatch;
  EXPECT_TRUE(GlobMatch("*.aws.crossplane.io/*", "s3.aws.crossplane.io/Bucket", false));
  EXPECT_FALSE(GlobMatch("*.aws.crossplane.io/*", "aws.crossplane.io/Bucket", false));
  EXPECT_TRUE(GlobMatch("*/*", "apps/Deployment", false));
  EXPECT_TRUE(GlobMatch("*", "apps/Deployment", false));
  EXPECT_FALSE(GlobMatch("*", "apps/Deployment", true));
  EXPECT_TRUE(GlobMatch("*.crossplane.io/*", "a.b.crossplane.io/X", true));
  EXPECT_TRUE(GlobMatch("{apps,batch}/*", "batch/Job", false));
  EXPECT_FALSE(GlobMatch("{apps,batch}/*", "policy/Job", false));
  EXPECT_TRUE(GlobMatch("apps/[DR]*", "apps/ReplicaSet", false));
  EXPECT_FALSE(GlobMatch("apps/[!DR]*", "apps/ReplicaSet", false));
  EXPECT_TRUE(GlobMatch("apps/Deploymen?", "apps/Deployment", false));
  EXPECT_TRUE(GlobMatch("a\\*b", "a*b", false));
  EXPECT_FALSE(GlobMatch("a\\*b", "axb", false));
}

// --- goto continue -------------------------------------------------------------------------

TEST(HealthLuaContinueTest, RewritesTheLoopContinueIdiom) {
  using internal::RewriteLoopContinue;
  std::optional<std::string> out = RewriteLoopContinue(
      "for _, c in ipairs(x) do\n"
      "  if c.skip then goto continue end\n"
      "  n = n + 1\n"
      "  ::continue::\n"
      "end\n");
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ(*out,
            "for _, c in ipairs(x) do repeat\n"
            "  if c.skip then do break end end\n"
            "  n = n + 1\n"
            "  until true\n"
            "end\n");
  // Nothing to rewrite, or gotos of another shape: left alone.
  EXPECT_EQ(RewriteLoopContinue("return {status = 'Healthy'} -- goto"), std::nullopt);
  EXPECT_EQ(RewriteLoopContinue("goto done\nx = 1\n::done::\n"), std::nullopt);
  EXPECT_EQ(RewriteLoopContinue("for i = 1, 2 do\n  goto next\nend\n"), std::nullopt);
  EXPECT_EQ(RewriteLoopContinue("for i = 1, 2 do\n  for j = 1, 2 do goto continue end\n"
                                "  ::continue::\nend\n"),
            std::nullopt);
  EXPECT_EQ(RewriteLoopContinue("local s = 'goto continue ::continue::'"), std::nullopt);
}

TEST(HealthLuaContinueTest, KeepsBreakAndLoopsWorking) {
  // The label ends an if branch inside the loop; `break` still leaves the loop; strings and
  // comments holding the words are not touched.
  auto got = RunScript(R"(
    local seen = {}
    for i = 1, 10 do
      if i % 2 == 0 then
        if i == 4 then goto continue end
        if i == 8 then break end
        table.insert(seen, i)  -- goto continue
        ::continue::
      else
        table.insert(seen, "odd")
      end
    end
    local j = 0
    while j < 3 do
      j = j + 1
      if j == 2 then goto continue end
      table.insert(seen, "w" .. j)
      ::continue::
    end
    return {status = "Healthy", message = table.concat(seen, ",") .. " ::continue::"})");
  EXPECT_EQ(got, (HealthStatus{HealthCode::kHealthy, "odd,2,odd,odd,6,odd,w1,w3 ::continue::"}));
}

TEST(HealthAssessTest, LuaChecksComeAfterDeletionAndBeforeBuiltIns) {
  LuaHealthChecks checks;
  checks.Add("apps/Deployment", "return {status = 'Degraded', message = 'custom'}", false);
  Result<Json> deployment = ParseYaml(R"(
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, generation: 1}
spec: {replicas: 1}
status: {observedGeneration: 1, replicas: 1, updatedReplicas: 1, availableReplicas: 1}
)");
  EXPECT_EQ(Assess(*deployment), (HealthStatus{HealthCode::kHealthy, ""}));
  EXPECT_EQ(Assess(*deployment, {.lua = &checks}), (HealthStatus{HealthCode::kDegraded, "custom"}));
  EXPECT_TRUE(HasBuiltInCheck("apps", "Deployment"));
  EXPECT_TRUE(HasBuiltInCheck("argoproj.io", "Application"));
  EXPECT_FALSE(HasBuiltInCheck("argoproj.io", "Application", {.applications = false}));
  EXPECT_FALSE(HasBuiltInCheck("", "ConfigMap"));
}

TEST(HealthCodeTest, OrderAndNames) {
  EXPECT_TRUE(IsWorse(HealthCode::kHealthy, HealthCode::kSuspended));
  EXPECT_TRUE(IsWorse(HealthCode::kSuspended, HealthCode::kProgressing));
  EXPECT_TRUE(IsWorse(HealthCode::kProgressing, HealthCode::kMissing));
  EXPECT_TRUE(IsWorse(HealthCode::kMissing, HealthCode::kDegraded));
  EXPECT_TRUE(IsWorse(HealthCode::kDegraded, HealthCode::kUnknown));
  EXPECT_FALSE(IsWorse(HealthCode::kDegraded, HealthCode::kDegraded));
  std::vector<HealthCode> codes = {HealthCode::kSuspended, HealthCode::kMissing,
                                   HealthCode::kProgressing};
  EXPECT_EQ(Worst(codes), HealthCode::kMissing);
  EXPECT_EQ(Worst({}), HealthCode::kHealthy);
  for (std::string_view name :
       {"Healthy", "Suspended", "Progressing", "Missing", "Degraded", "Unknown"}) {
    EXPECT_EQ(HealthCodeName(*ParseHealthCode(name)), name);
  }
  EXPECT_EQ(ParseHealthCode("healthy"), std::nullopt);
  EXPECT_EQ(ParseHealthCode(""), std::nullopt);
}

}  // namespace
}  // namespace kstack::gitops::health
