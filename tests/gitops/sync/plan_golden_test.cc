// Sync plans as a table of cases: every folder of tests/gitops/sync/testdata holds the desired
// objects, the live objects and the options of one sync, and the tasks it must plan, one a
// line (testdata/README.md says how to add one). Each case is also planned from its inputs in
// reverse order, which must not change the plan: the order comes from the sort key alone.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <sstream>

#include "core/manifests.h"
#include "core/yaml.h"
#include "gitops/sync/deletion.h"
#include "gitops/sync/plan.h"
#include "tests/core/golden.h"

namespace kstack::gitops::sync {
namespace {

namespace fs = std::filesystem;
using kstack::testing::ReadFile;

fs::path CasesDir() { return kstack::testing::SourceDir() / "tests/gitops/sync/testdata"; }

// The manifests of a file, or of every *.yaml, *.yml and *.json file of a folder (sorted).
Result<std::vector<Json>> ReadObjects(const fs::path& path) {
  std::vector<fs::path> files;
  if (fs::is_directory(path)) {
    for (const auto& entry : fs::directory_iterator(path)) {
      std::string ext = entry.path().extension().string();
      if (entry.is_regular_file() && (ext == ".yaml" || ext == ".yml" || ext == ".json")) {
        files.push_back(entry.path());
      }
    }
    std::sort(files.begin(), files.end());
  } else if (fs::exists(path)) {
    files.push_back(path);
  } else {
    return NotFoundError(path.string() + ": no such file or folder");
  }
  std::vector<Json> objects;
  for (const fs::path& file : files) {
    KSTACK_ASSIGN_OR_RETURN(std::vector<Json> docs, ReadManifests(ReadFile(file), file.string()));
    for (Json& doc : docs) objects.push_back(std::move(doc));
  }
  return objects;
}

// Lines of a text file without blank lines and `#` comments.
std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    lines.push_back(line);
  }
  return lines;
}

std::string Join(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& line : lines) out += line + "\n";
  return out;
}

struct CaseOptions {
  PlanOptions plan;
  bool deletion = false;  // plan the application's deletion instead of a sync
  DeletionOptions deletion_options;
  std::set<std::string> namespaced;      // "group/kind"
  std::set<std::string> cluster_scoped;  // "group/kind"
};

std::string String(const Json& value, std::string_view field) {
  if (!value.is_string()) {
    ADD_FAILURE() << "options.yaml: " << field << " must be a string";
    return "";
  }
  return std::string(value.get_string());
}

ResourceKey KeyFrom(const Json& value) {
  return ResourceKey{
      std::string(FindString(value, "group")), std::string(FindString(value, "kind")),
      std::string(FindString(value, "namespace")), std::string(FindString(value, "name"))};
}

CaseOptions ReadOptions(const fs::path& file) {
  CaseOptions out;
  if (!fs::exists(file)) return out;
  Result<Json> parsed = ParseYaml(ReadFile(file), file.string());
  EXPECT_TRUE(parsed.ok()) << parsed.status().message();
  if (!parsed.ok() || parsed->is_null()) return out;
  EXPECT_TRUE(parsed->is_object()) << file << ": not a mapping";
  if (!parsed->is_object()) return out;
  for (const auto& kv : parsed->get_object()) {
    std::string_view key = kv.key();
    const Json& value = kv.value();
    if (key == "namespace") {
      out.plan.namespace_ = String(value, key);
    } else if (key == "syncOptions") {
      EXPECT_TRUE(value.is_array()) << "syncOptions must be a list";
      if (!value.is_array()) continue;
      for (const Json& item : value.get_array()) {
        out.plan.sync_options.push_back(String(item, key));
      }
      out.deletion_options.sync_options = out.plan.sync_options;
    } else if (key == "prune") {
      out.plan.prune = value.is_bool() && value.get_bool();
    } else if (key == "force") {
      out.plan.force = value.is_bool() && value.get_bool();
    } else if (key == "skipHooks") {
      out.plan.skip_hooks = value.is_bool() && value.get_bool();
    } else if (key == "revision") {
      out.plan.revision = String(value, key);
    } else if (key == "startedAt") {
      EXPECT_TRUE(value.is_int64()) << "startedAt must be an integer";
      if (value.is_int64()) out.plan.started_at = value.get_int64();
    } else if (key == "syncStatus") {
      EXPECT_TRUE(value.is_array()) << "syncStatus must be a list";
      if (!value.is_array()) continue;
      for (const Json& item : value.get_array()) {
        std::string_view status = FindString(item, "status");
        EXPECT_TRUE(status == "Synced" || status == "OutOfSync") << "status: " << status;
        out.plan.sync_status[KeyFrom(item)] =
            status == "Synced" ? SyncStatus::kSynced : SyncStatus::kOutOfSync;
      }
    } else if (key == "managedNamespaceMetadata") {
      out.plan.managed_namespace_metadata = value;
    } else if (key == "clusterScoped" || key == "namespaced") {
      // What the cluster's discovery would say of kinds kstack's built-in table lacks.
      EXPECT_TRUE(value.is_array()) << key << " must be a list of group/kind";
      if (!value.is_array()) continue;
      for (const Json& item : value.get_array()) {
        (key == "namespaced" ? out.namespaced : out.cluster_scoped).insert(String(item, key));
      }
    } else if (key == "plan") {
      std::string plan = String(value, key);
      EXPECT_TRUE(plan == "sync" || plan == "deletion") << "plan: sync or deletion";
      out.deletion = plan == "deletion";
    } else if (key == "application") {
      out.deletion_options.application = KeyFrom(value);
    } else {
      ADD_FAILURE() << file << ": unknown key " << key;
    }
  }
  return out;
}

struct Inputs {
  std::vector<Json> desired;
  std::vector<Json> live;
};

// desired.yaml, or the files and folders desired-from.txt names (relative to the shared
// testdata folder, ../shared/testdata); live.yaml if present.
Inputs ReadInputs(const fs::path& dir) {
  Inputs in;
  if (fs::exists(dir / "desired-from.txt")) {
    for (const std::string& line : Lines(ReadFile(dir / "desired-from.txt"))) {
      Result<std::vector<Json>> objects =
          ReadObjects(kstack::testing::SharedDir() / "testdata" / line);
      EXPECT_TRUE(objects.ok()) << objects.status().message();
      if (!objects.ok()) continue;
      for (Json& o : *objects) in.desired.push_back(std::move(o));
    }
  } else if (fs::exists(dir / "desired.yaml")) {
    Result<std::vector<Json>> objects = ReadObjects(dir / "desired.yaml");
    EXPECT_TRUE(objects.ok()) << objects.status().message();
    if (objects.ok()) in.desired = std::move(*objects);
  }
  if (fs::exists(dir / "live.yaml")) {
    Result<std::vector<Json>> objects = ReadObjects(dir / "live.yaml");
    EXPECT_TRUE(objects.ok()) << objects.status().message();
    if (objects.ok()) in.live = std::move(*objects);
  }
  return in;
}

Result<std::vector<Task>> PlanCase(const Inputs& in, const CaseOptions& options) {
  if (options.deletion) return PlanDeletion(in.live, options.deletion_options);
  PlanOptions plan_options = options.plan;
  if (!options.namespaced.empty() || !options.cluster_scoped.empty()) {
    plan_options.is_namespaced = [&options](std::string_view group,
                                            std::string_view kind) -> std::optional<bool> {
      std::string key = std::string(group) + "/" + std::string(kind);
      if (options.namespaced.count(key) > 0) return true;
      if (options.cluster_scoped.count(key) > 0) return false;
      return std::nullopt;
    };
  }
  KSTACK_ASSIGN_OR_RETURN(Plan plan, PlanSync(in.desired, in.live, plan_options));
  return std::move(plan.tasks);
}

class PlanGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(PlanGolden, Plans) {
  fs::path dir = CasesDir() / GetParam();
  bool want_error = fs::exists(dir / "want-error.txt");
  ASSERT_TRUE(want_error || fs::exists(dir / "want.txt")) << dir << ": no want.txt";
  ASSERT_TRUE(fs::exists(dir / "desired.yaml") || fs::exists(dir / "desired-from.txt") ||
              fs::exists(dir / "live.yaml"))
      << dir << ": no input";
  CaseOptions options = ReadOptions(dir / "options.yaml");
  Inputs in = ReadInputs(dir);

  Result<std::vector<Task>> got = PlanCase(in, options);
  if (want_error) {
    ASSERT_FALSE(got.ok()) << "planned instead of failing:\n" << FormatTasks(*got);
    EXPECT_EQ(got.status().reason(), Reason::kInvalid) << got.status().ToString();
    for (const std::string& part : Lines(ReadFile(dir / "want-error.txt"))) {
      EXPECT_NE(got.status().message().find(part), std::string::npos)
          << "error: " << got.status().message() << "\nlacks: " << part;
    }
    return;
  }
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  std::string want = Join(Lines(ReadFile(dir / "want.txt")));
  EXPECT_EQ(FormatTasks(*got), want);

  Inputs reversed = in;
  std::reverse(reversed.desired.begin(), reversed.desired.end());
  std::reverse(reversed.live.begin(), reversed.live.end());
  Result<std::vector<Task>> again = PlanCase(reversed, options);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(FormatTasks(*again), want) << "the order depends on the order of the inputs";
}

INSTANTIATE_TEST_SUITE_P(Cases, PlanGolden,
                         ::testing::ValuesIn(kstack::testing::CaseNames(CasesDir())),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return kstack::testing::TestName(info.param);
                         });

TEST(PlanGoldenTable, HasTheExampleApps) {
  std::vector<std::string> names = kstack::testing::CaseNames(CasesDir());
  EXPECT_GE(names.size(), 25u);
  for (const char* app : {"example-sync-waves", "example-pre-post-sync", "example-helm-hooks"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), app), names.end()) << app;
  }
}

}  // namespace
}  // namespace kstack::gitops::sync
