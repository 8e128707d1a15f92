// kstack admin diff --desired A.yaml --live B.yaml [--ignore-differences FILE]: compares desired
// objects (as rendered from Git) with live ones (as `kubectl get -o yaml` prints them) the way
// the GitOps controller does, and prints the differences as unified diffs, one per resource:
//
//   ===== apps/Deployment default/web ======
//   --- live
//   +++ desired
//   @@ -25,7 +25,7 @@
//   ...
//
// Objects are matched by group, kind, namespace and name; a desired object without a namespace
// takes --namespace. A live object that is not desired is shown as removed (with --app, only
// those the Application tracks). --ignore-differences reads YAML documents, each one of: an
// argoproj.io Application (its spec.ignoreDifferences), an argocd-cm ConfigMap (its
// resource.customizations.ignoreDifferences.* and resource.compareoptions), a list of
// ignoreDifferences entries, or a mapping with an ignoreDifferences list.
//
// Exit code: 0 when everything is in sync, 1 when something differs, 2 on a bad file or option.

#include <fmt/core.h>

#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/commands.h"
#include "core/json.h"
#include "core/manifests.h"
#include "core/yaml.h"
#include "gitops/diff/compare_app.h"
#include "gitops/diff/ignore_rules.h"
#include "gitops/diff/settings.h"

namespace kstack::cli {
namespace {

namespace diff = gitops::diff;

constexpr int kInSync = 0;
constexpr int kDiffers = 1;
constexpr int kFailed = 2;

struct AdminDiffOptions {
  std::string desired;
  std::string live;
  std::string ignore_differences;
  std::string ns = "default";
  std::string app;
  std::string tracking_method;
  std::string apply_manager;
  bool hide_secret_data = false;
};

bool ReadText(const std::string& path, std::string* text) {
  std::ostringstream ss;
  if (path == "-") {
    ss << std::cin.rdbuf();
  } else {
    std::ifstream in(path, std::ios::binary);
    if (!in) return false;
    ss << in.rdbuf();
  }
  *text = ss.str();
  return true;
}

Result<std::vector<Json>> ReadObjects(const std::string& path) {
  std::string text;
  if (!ReadText(path, &text)) return BadRequestError(path + ": cannot read the file");
  return ReadManifests(text, path == "-" ? "<stdin>" : path);
}

// What --ignore-differences says: the rules, and argocd-cm's compare options when it has one.
struct IgnoreFile {
  std::vector<diff::ResourceIgnoreDifferences> rules;
  std::optional<diff::CompareSettings> settings;
};

Result<IgnoreFile> ReadIgnoreFile(const std::string& path) {
  IgnoreFile out;
  std::string text;
  if (!ReadText(path, &text)) return BadRequestError(path + ": cannot read the file");
  KSTACK_ASSIGN_OR_RETURN(std::vector<Json> docs, ParseYamlStream(text, path));
  for (size_t i = 0; i < docs.size(); ++i) {
    const Json& doc = docs[i];
    std::string where = fmt::format("{} (document {})", path, i + 1);
    std::vector<diff::ResourceIgnoreDifferences> rules;
    std::string_view kind = FindString(doc, "kind");
    if (kind == "Application") {
      KSTACK_ASSIGN_OR_RETURN(diff::ApplicationSettings app, diff::ParseApplication(doc, where));
      rules = std::move(app.ignore_differences);
    } else if (kind == "ConfigMap") {
      KSTACK_ASSIGN_OR_RETURN(diff::CompareSettings settings,
                              diff::ParseArgoCdConfigMap(doc, where));
      rules = settings.ignore_differences;
      out.settings = std::move(settings);
    } else if (doc.is_array()) {
      KSTACK_ASSIGN_OR_RETURN(rules, diff::ParseIgnoreDifferences(doc, where));
    } else if (const Json* list = FindMember(doc, "ignoreDifferences")) {
      KSTACK_ASSIGN_OR_RETURN(rules, diff::ParseIgnoreDifferences(*list, where));
    } else {
      return InvalidError(where +
                          ": expected an Application, an argocd-cm ConfigMap, a list of "
                          "ignoreDifferences entries or a mapping with ignoreDifferences");
    }
    out.rules.insert(out.rules.end(), rules.begin(), rules.end());
  }
  return out;
}

int Run(const AdminDiffOptions& o) {
  if (o.desired == "-" && o.live == "-") {
    fmt::print(stderr, "error: --desired and --live cannot both read stdin\n");
    return kFailed;
  }
  diff::AppCompareOptions options;
  options.tracking.app = o.app;
  options.tracking.destination_namespace = o.ns;
  IgnoreFile ignore;
  if (!o.ignore_differences.empty()) {
    Result<IgnoreFile> read = ReadIgnoreFile(o.ignore_differences);
    if (!read.ok()) {
      fmt::print(stderr, "error: {}\n", read.status().message());
      return kFailed;
    }
    ignore = std::move(*read);
  }
  if (ignore.settings) {
    options.diff.ignore_status_field = ignore.settings->ignore_status_field;
    options.diff.ignore_aggregated_roles = ignore.settings->ignore_aggregated_roles;
    options.tracking.method = ignore.settings->tracking_method;
    options.tracking.label_key = ignore.settings->instance_label_key;
  }
  if (!o.tracking_method.empty()) {
    Result<diff::TrackingMethod> method = diff::ParseTrackingMethod(o.tracking_method);
    if (!method.ok()) {
      fmt::print(stderr, "error: --tracking-method: {}\n", method.status().message());
      return kFailed;
    }
    options.tracking.method = *method;
  }
  Result<diff::IgnoreRules> rules = diff::IgnoreRules::Compile(ignore.rules);
  if (!rules.ok()) {
    fmt::print(stderr, "error: {}: {}\n", o.ignore_differences, rules.status().message());
    return kFailed;
  }
  options.diff.ignore_rules = &*rules;
  options.diff.apply_manager = o.apply_manager;
  options.diff.hide_secret_data = o.hide_secret_data;

  Result<std::vector<Json>> desired = ReadObjects(o.desired);
  if (!desired.ok()) {
    fmt::print(stderr, "error: {}\n", desired.status().message());
    return kFailed;
  }
  Result<std::vector<Json>> live = ReadObjects(o.live);
  if (!live.ok()) {
    fmt::print(stderr, "error: {}\n", live.status().message());
    return kFailed;
  }
  Result<diff::AppComparison> got = diff::CompareApp(*desired, *live, options);
  if (!got.ok()) {
    fmt::print(stderr, "error: {}\n", got.status().message());
    return kFailed;
  }
  for (const std::string& warning : got->warnings) fmt::print(stderr, "warning: {}\n", warning);
  std::string text = got->DiffText();
  fwrite(text.data(), 1, text.size(), stdout);
  return got->status == diff::SyncStatus::kSynced ? kInSync : kDiffers;
}

}  // namespace

void AddAdminDiffCommand(CLI::App& admin, int* exit_code) {
  auto* cmd = admin.add_subcommand(
      "diff", "Compare desired objects with live ones as the controller does; print the diffs");
  auto* o = new AdminDiffOptions();
  cmd->add_option("--desired", o->desired,
                  "Desired objects: a YAML or JSON manifest file; - reads stdin")
      ->required();
  cmd->add_option("--live", o->live, "Live objects: a YAML or JSON manifest file; - reads stdin")
      ->required();
  cmd->add_option("--ignore-differences", o->ignore_differences,
                  "ignoreDifferences: an Application, an argocd-cm ConfigMap or a list of entries");
  cmd->add_option("-n,--namespace", o->ns,
                  "The namespace of desired objects that name none (the destination namespace)")
      ->capture_default_str();
  cmd->add_option("--app", o->app,
                  "The Application's name: desired objects are marked with its tracking and only "
                  "the live objects it tracks can be extraneous");
  cmd->add_option("--tracking-method", o->tracking_method,
                  "annotation (default), label or annotation+label")
      ->check(CLI::IsMember({"annotation", "label", "annotation+label"}));
  cmd->add_option("--apply-manager", o->apply_manager,
                  "The server-side apply field manager whose fields stand for the last applied "
                  "configuration when there is no last-applied annotation");
  cmd->add_flag("--hide-secret-data", o->hide_secret_data,
                "Show Secret values as runs of +, one length per distinct value");
  cmd->callback([o, exit_code] { *exit_code = Run(*o); });
}

}  // namespace kstack::cli
