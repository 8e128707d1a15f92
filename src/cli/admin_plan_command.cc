// kstack admin plan --desired PATH --live PATH [--sync-option X]... [--prune]: reads desired and
// live objects from manifest files or folders and prints the sync plan, one task a line, in the
// format of the sync planning golden files (tests/gitops/sync/testdata).

#include <fmt/core.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/commands.h"
#include "core/json.h"
#include "core/manifests.h"
#include "gitops/sync/deletion.h"
#include "gitops/sync/plan.h"

namespace kstack::cli {
namespace {

namespace fs = std::filesystem;

struct PlanCommandOptions {
  std::vector<std::string> desired;
  std::vector<std::string> live;
  std::vector<std::string> sync_options;
  bool prune = false;
  bool force = false;
  bool skip_hooks = false;
  bool deletion = false;
  std::string namespace_;
  std::string revision;
  int64_t started_at = 0;
};

Result<std::string> ReadText(const std::string& path) {
  std::ostringstream ss;
  if (path == "-") {
    ss << std::cin.rdbuf();
    return ss.str();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFoundError(path + ": cannot read the file");
  ss << in.rdbuf();
  return ss.str();
}

// The objects of a manifest file ("-" is stdin), or of the *.yaml, *.yml and *.json files of a
// folder (not its subfolders), files in name order.
Status ReadObjects(const std::string& path, std::vector<Json>* out) {
  std::vector<std::string> files;
  std::error_code ec;
  if (path != "-" && fs::is_directory(path, ec)) {
    for (const auto& entry : fs::directory_iterator(path, ec)) {
      std::string ext = entry.path().extension().string();
      if (entry.is_regular_file() && (ext == ".yaml" || ext == ".yml" || ext == ".json")) {
        files.push_back(entry.path().string());
      }
    }
    if (ec) return UnavailableError(path + ": " + ec.message());
    std::sort(files.begin(), files.end());
  } else {
    files.push_back(path);
  }
  for (const std::string& file : files) {
    KSTACK_ASSIGN_OR_RETURN(std::string text, ReadText(file));
    KSTACK_ASSIGN_OR_RETURN(std::vector<Json> objects,
                            ReadManifests(text, file == "-" ? "<stdin>" : file));
    for (Json& object : objects) out->push_back(std::move(object));
  }
  return Status::Ok();
}

int Run(const PlanCommandOptions& o) {
  std::vector<Json> desired, live;
  for (const std::string& path : o.desired) {
    if (Status s = ReadObjects(path, &desired); !s.ok()) {
      fmt::print(stderr, "error: {}\n", s.message());
      return 1;
    }
  }
  for (const std::string& path : o.live) {
    if (Status s = ReadObjects(path, &live); !s.ok()) {
      fmt::print(stderr, "error: {}\n", s.message());
      return 1;
    }
  }
  Result<std::vector<gitops::sync::Task>> tasks = [&]() -> Result<std::vector<gitops::sync::Task>> {
    if (o.deletion) {
      return gitops::sync::PlanDeletion(
          live, gitops::sync::DeletionOptions{.sync_options = o.sync_options});
    }
    KSTACK_ASSIGN_OR_RETURN(
        gitops::sync::Plan plan,
        gitops::sync::PlanSync(desired, live,
                               gitops::sync::PlanOptions{.namespace_ = o.namespace_,
                                                         .sync_options = o.sync_options,
                                                         .prune = o.prune,
                                                         .force = o.force,
                                                         .skip_hooks = o.skip_hooks,
                                                         .revision = o.revision,
                                                         .started_at = o.started_at}));
    return std::move(plan.tasks);
  }();
  if (!tasks.ok()) {
    fmt::print(stderr, "error: {}\n", tasks.status().message());
    return 1;
  }
  std::string out = gitops::sync::FormatTasks(*tasks);
  fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}

}  // namespace

void AddAdminPlanCommand(CLI::App& admin, int* exit_code) {
  auto* cmd = admin.add_subcommand(
      "plan", "Print the ordered tasks of a sync of the desired objects over the live ones");
  cmd->footer(
      "Each line: PHASE WAVE KIND [NAMESPACE/]NAME ACTION, then hook=POLICIES for hooks and the\n"
      "sync options in force that differ from the defaults.");
  auto* o = new PlanCommandOptions();
  cmd->add_option("--desired", o->desired,
                  "Desired objects: a manifest file, a folder of them, or - for stdin");
  cmd->add_option("--live", o->live,
                  "Live objects the application manages: a manifest file or a folder of them");
  cmd->add_option("--sync-option", o->sync_options,
                  "An application sync option, e.g. PruneLast=true (repeatable)");
  cmd->add_flag("--prune", o->prune, "Prune live objects that are not desired");
  cmd->add_flag("--force", o->force, "The sync's force flag (replace with delete and create)");
  cmd->add_flag("--skip-hooks", o->skip_hooks, "Plan without hooks (an apply-strategy sync)");
  cmd->add_option("-n,--namespace", o->namespace_,
                  "The destination namespace, for namespaced objects without one");
  cmd->add_option("--revision", o->revision, "The revision synced (names generateName hooks)");
  cmd->add_option("--started-at", o->started_at,
                  "When the sync started, Unix seconds (names generateName hooks)");
  cmd->add_flag("--deletion", o->deletion,
                "Plan the application's deletion instead: the --live objects, highest wave first");
  cmd->callback([o, exit_code] {
    if (o->desired.empty() && o->live.empty()) {
      fmt::print(stderr, "error: give --desired, --live or both\n");
      *exit_code = 1;
      return;
    }
    *exit_code = Run(*o);
  });
}

}  // namespace kstack::cli
