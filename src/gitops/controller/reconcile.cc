// Controller::Reconcile and what it is made of: one pass over one Application (see
// controller.h for the order of the steps).

#include <fmt/format.h>

#include <set>

#include "core/log.h"
#include "gitops/app/auto_sync.h"
#include "gitops/app/project.h"
#include "gitops/app/status.h"
#include "gitops/controller/controller.h"
#include "gitops/controller/internal/json_access.h"
#include "gitops/controller/manifests.h"
#include "gitops/controller/sync_operation.h"
#include "gitops/diff/compare_app.h"
#include "gitops/diff/ignore_rules.h"
#include "gitops/diff/tracking.h"
#include "gitops/health/app_health.h"

namespace kstack::gitops::controller {
namespace {

using internal::GroupOf;
using internal::Member;
using internal::VersionOf;
using std::chrono::milliseconds;

constexpr std::string_view kRefreshAnnotation = "argocd.argoproj.io/refresh";
constexpr std::string_view kResourcesFinalizer = "resources-finalizer.argocd.argoproj.io";
constexpr int kDefaultHistoryLimit = 10;
constexpr std::string_view kInCluster = "https://kubernetes.default.svc";

Json WithoutReconciledAt(Json status) {
  if (status.is_object()) status.as_object().erase("reconciledAt");
  return status;
}

std::string Name(const Json& app) { return std::string(FindString(app.at("metadata"), "name")); }

bool HasResourcesFinalizer(const Json& app) {
  const JsonArray* list = FindArray(app.at("metadata"), "finalizers");
  if (list == nullptr) return false;
  for (const Json& f : *list) {
    if (f.is_string() && f.get_string().starts_with(kResourcesFinalizer)) return true;
  }
  return false;
}

}  // namespace

diff::Tracking Controller::TrackingOf(const Json& app) const {
  const Json* destination = Member(Member(&app, "spec"), "destination");
  return {.app = Name(app),
          .method = compare_->tracking_method,
          .label_key = compare_->instance_label_key,
          .destination_namespace =
              destination ? std::string(FindString(*destination, "namespace")) : ""};
}

std::shared_ptr<Controller::AppCache> Controller::Render(const Json& app,
                                                         const std::string& revision) {
  std::string name = Name(app);
  const Json* source = Member(Member(&app, "spec"), "source");
  Json wanted = source ? *source : Json();
  std::shared_ptr<AppCache> cached;
  {
    std::lock_guard<std::mutex> hold(mu_);
    auto it = cache_.find(name);
    if (it != cache_.end()) cached = it->second;
  }
  bool fresh = cached && !cached->stale && cached->source == wanted &&
               (revision.empty() || revision == cached->manifests.revision);
  if (fresh) return cached;
  auto rendered = std::make_shared<AppCache>();
  rendered->source = wanted;
  rendered->rendered_at = options_.clock->Monotonic();
  rendered->stale = false;
  if (source == nullptr) {
    rendered->error =
        InvalidError("spec.source: required (multiple sources are not supported yet)");
  } else {
    Result<Manifests> manifests = GenerateManifests(*repos_, *source, {}, revision);
    if (manifests.ok()) {
      rendered->manifests = std::move(*manifests);
    } else {
      rendered->error = manifests.status();
    }
  }
  // A sync to another revision does not replace what the app compares with.
  if (revision.empty()) {
    std::lock_guard<std::mutex> hold(mu_);
    cache_[name] = rendered;
  }
  return rendered;
}

std::vector<Json> Controller::LiveObjects(const Json& app, const std::vector<Json>& desired,
                                          const diff::Tracking& tracking,
                                          std::vector<std::string>* problems) {
  // The kinds of what is desired and of what the app had before (which may need pruning).
  std::set<std::tuple<std::string, std::string, std::string>> kinds;
  for (const Json& o : desired) {
    std::string_view api_version = FindString(o, "apiVersion");
    kinds.emplace(GroupOf(api_version), VersionOf(api_version), FindString(o, "kind"));
  }
  if (const Json* resources = Member(Member(&app, "status"), "resources");
      resources && resources->is_array()) {
    for (const Json& r : resources->get_array()) {
      kinds.emplace(FindString(r, "group"), FindString(r, "version"), FindString(r, "kind"));
    }
  }
  std::set<std::tuple<std::string, std::string, std::string>> wanted;
  for (const Json& o : desired) {
    const Json* m = Member(&o, "metadata");
    wanted.emplace(FindString(o, "kind"), m ? FindString(*m, "namespace") : "",
                   m ? FindString(*m, "name") : "");
  }
  std::vector<Json> out;
  std::set<std::pair<std::string, std::string>> seen;
  for (const auto& [group, version, kind] : kinds) {
    if (!seen.emplace(group, kind).second) continue;
    Result<kube::ApiResource> watched = live_->Watch(group, version, kind);
    if (!watched.ok()) {
      problems->push_back(fmt::format("{}/{}: {}", group, kind, watched.status().message()));
      continue;
    }
    for (const kube::ObjectPtr& o : live_->Objects(group, kind)) {
      const Json* m = Member(o.get(), "metadata");
      std::string ns(m ? FindString(*m, "namespace") : "");
      std::string name(m ? FindString(*m, "name") : "");
      bool desired_here = wanted.count({kind, ns, name}) > 0 ||
                          (ns == tracking.destination_namespace && wanted.count({kind, "", name}));
      if (desired_here || diff::IsTracked(*o, tracking)) out.push_back(*o);
    }
  }
  return out;
}

bool Controller::Cascade(const Json& app, const diff::Tracking& tracking) {
  std::vector<std::string> problems;
  std::vector<Json> live = LiveObjects(app, {}, tracking, &problems);
  bool gone = true;
  for (const Json& o : live) {
    if (!diff::IsTracked(o, tracking)) continue;
    gone = false;
    const Json& m = o.at("metadata");
    if (Member(&m, "deletionTimestamp") != nullptr) continue;
    std::string_view api_version = FindString(o, "apiVersion");
    client_
        ->Delete({.group = std::string(GroupOf(api_version)),
                  .version = std::string(VersionOf(api_version)),
                  .kind = std::string(FindString(o, "kind")),
                  .namespace_name = std::string(FindString(m, "namespace")),
                  .name = std::string(FindString(m, "name"))},
                 {.propagation_policy = "Foreground"})
        .status()
        .IgnoreError();
  }
  return gone;
}

void Controller::WriteStatus(const Json& app, Json status) {
  const Json* old = Member(&app, "status");
  if (old != nullptr && WithoutReconciledAt(*old) == WithoutReconciledAt(status)) return;
  Json patch =
      JsonArray{JsonObject{{"op", "add"}, {"path", "/status"}, {"value", std::move(status)}}};
  Result<Json> written = client_->Patch(internal::Applications(options_.namespace_, Name(app)),
                                        kube::PatchType::kJson, patch);
  if (!written.ok())
    log::Warn("application {}: writing status: {}", Name(app), written.status().ToString());
}

void Controller::RecordEvent(const Json& app, std::string_view reason, std::string_view type,
                             std::string message) {
  const Json& metadata = app.at("metadata");
  std::string now = FormatRfc3339(options_.clock->Now());
  Json event = JsonObject{
      {"apiVersion", "v1"},
      {"kind", "Event"},
      {"metadata",
       JsonObject{{"generateName", Name(app) + "."}, {"namespace", options_.namespace_}}},
      {"involvedObject", JsonObject{{"apiVersion", "argoproj.io/v1alpha1"},
                                    {"kind", "Application"},
                                    {"name", Name(app)},
                                    {"namespace", options_.namespace_},
                                    {"uid", FindString(metadata, "uid")},
                                    {"resourceVersion", FindString(metadata, "resourceVersion")}}},
      {"reason", reason},
      {"message", std::move(message)},
      {"type", type},
      {"source", JsonObject{{"component", "argocd-application-controller"}}},
      {"reportingComponent", "argocd-application-controller"},
      {"firstTimestamp", now},
      {"lastTimestamp", now},
      {"count", 1}};
  Result<Json> created = client_->Create(
      {.version = "v1", .resource = "events", .namespace_name = options_.namespace_}, event);
  if (!created.ok()) {
    log::Warn("application {}: recording an event: {}", Name(app), created.status().ToString());
  }
}

void Controller::Reconcile(const std::string& name) {
  // Read from the API, not the informer: the informer may not have seen this controller's
  // last write yet, and a step taken on an older operationState would redo or undo work.
  const kube::ResourceRef ref = internal::Applications(options_.namespace_, name);
  Result<Json> current = client_->Get(ref);
  if (!current.ok()) {
    if (current.status().reason() != Reason::kNotFound) {
      log::Warn("application {}: {}", name, current.status().ToString());
      queue_.AddAfter(name, std::chrono::seconds(1));
    }
    return;
  }
  Json app = std::move(*current);
  if (!app.is_object()) return;
  // Room for the status and operation this pass may add: pointers into `app` taken below must
  // survive those insertions.
  app.as_object().reserve(app.as_object().size() + 2);
  const Json& metadata = app.at("metadata");
  diff::Tracking tracking = TrackingOf(app);
  Clock::WallTime now = options_.clock->Now();

  if (Member(&metadata, "deletionTimestamp") != nullptr) {
    if (!HasResourcesFinalizer(app)) return;
    if (!Cascade(app, tracking)) {
      queue_.AddAfter(name, milliseconds(500));
      return;
    }
    JsonArray kept;
    for (const Json& f : *FindArray(metadata, "finalizers")) {
      if (!(f.is_string() && f.get_string().starts_with(kResourcesFinalizer))) kept.push_back(f);
    }
    client_
        ->Patch(ref, kube::PatchType::kMerge,
                JsonObject{{"metadata", JsonObject{{"finalizers", std::move(kept)}}}})
        .status()
        .IgnoreError();
    return;
  }

  // The refresh annotation asks for Git to be read again; it is removed once seen.
  if (const Json* annotations = Member(&metadata, "annotations");
      annotations && !FindString(*annotations, kRefreshAnnotation).empty()) {
    {
      std::lock_guard<std::mutex> hold(mu_);
      if (auto it = cache_.find(name); it != cache_.end()) it->second->stale = true;
    }
    Json remove = JsonObject{
        {"metadata", JsonObject{{"annotations", JsonObject{{kRefreshAnnotation, nullptr}}}}}};
    client_->Patch(ref, kube::PatchType::kMerge, remove).status().IgnoreError();
  }

  const Json* spec = Member(&app, "spec");
  std::vector<app::Condition> conditions;
  auto unknown = [&](std::vector<app::Condition> why) {
    Json status = app::BuildStatus({.app = &app, .conditions = std::move(why), .now = now});
    if (const Json* old = Member(&app, "status")) {
      for (std::string_view keep : {"operationState", "history", "resources", "summary"}) {
        if (const Json* v = Member(old, keep)) status.as_object()[keep] = *v;
      }
    }
    WriteStatus(app, std::move(status));
  };

  // 1. The project.
  std::string project_name(spec ? FindString(*spec, "project") : "");
  Result<Json> project_object = client_->Get({.group = "argoproj.io",
                                              .version = "v1alpha1",
                                              .resource = "appprojects",
                                              .namespace_name = options_.namespace_,
                                              .name = project_name});
  if (!project_object.ok()) {
    unknown(
        {{"InvalidSpecError",
          project_object.status().reason() == Reason::kNotFound
              ? fmt::format("Application referencing project {} which does not exist", project_name)
              : project_object.status().message()}});
    return;
  }
  Result<app::Project> project = app::ParseProject(*project_object);
  if (!project.ok()) {
    unknown({{"InvalidSpecError", project.status().message()}});
    return;
  }
  std::vector<app::Condition> invalid;
  for (std::string& m : project->CheckApplication(spec ? *spec : Json(JsonObject()))) {
    invalid.push_back({"InvalidSpecError", std::move(m)});
  }
  if (!invalid.empty()) {
    unknown(std::move(invalid));
    return;
  }

  // 2. The desired objects.
  std::shared_ptr<AppCache> rendered = Render(app, "");
  if (!rendered->error.ok()) {
    unknown({{"ComparisonError",
              "Failed to load target state: failed to generate manifest for source 1 of 1: " +
                  rendered->error.message()}});
    return;
  }
  // Resources argocd-cm excludes are neither managed nor compared.
  auto included = [this](const std::vector<Json>& objects) {
    std::vector<Json> out;
    out.reserve(objects.size());
    for (const Json& o : objects) {
      std::string_view api_version = FindString(o, "apiVersion");
      if (!settings_.IsExcluded(GroupOf(api_version), FindString(o, "kind"), kInCluster)) {
        out.push_back(o);
      }
    }
    return out;
  };
  std::vector<Json> desired = included(rendered->manifests.objects);

  // 3. Compare, assess, build the status.
  std::vector<std::string> problems;
  std::vector<Json> live = LiveObjects(app, desired, tracking, &problems);
  for (std::string& p : problems) conditions.push_back({"ComparisonError", std::move(p)});
  Result<std::vector<diff::ResourceIgnoreDifferences>> app_ignores = diff::ParseIgnoreDifferences(
      Member(spec, "ignoreDifferences") ? *Member(spec, "ignoreDifferences") : Json(),
      "spec.ignoreDifferences");
  std::vector<diff::ResourceIgnoreDifferences> ignores = compare_->ignore_differences;
  if (app_ignores.ok()) {
    ignores.insert(ignores.end(), app_ignores->begin(), app_ignores->end());
  } else {
    conditions.push_back({"InvalidSpecError", app_ignores.status().message()});
  }
  Result<diff::IgnoreRules> rules = diff::IgnoreRules::Compile(ignores);
  if (!rules.ok()) conditions.push_back({"InvalidSpecError", rules.status().message()});
  diff::AppCompareOptions compare_options;
  compare_options.tracking = tracking;
  compare_options.namespaced = [this](std::string_view g, std::string_view k) {
    return live_->Namespaced(g, k);
  };
  compare_options.diff.ignore_rules = rules.ok() ? &*rules : nullptr;
  compare_options.diff.ignore_status_field = compare_->ignore_status_field;
  compare_options.diff.ignore_aggregated_roles = compare_->ignore_aggregated_roles;
  compare_options.diff.apply_manager = options_.field_manager;
  compare_options.diff.render_text = false;
  Result<diff::AppComparison> comparison = diff::CompareApp(desired, live, compare_options);
  if (!comparison.ok()) {
    unknown({{"ComparisonError", comparison.status().message()}});
    return;
  }
  std::map<diff::ResourceKey, const Json*> live_by_key;
  for (const Json& o : live) live_by_key[diff::ResourceKey::Of(o)] = &o;
  std::vector<health::ManagedResource> managed;
  for (const diff::ResourceComparison& r : comparison->resources) {
    auto it = live_by_key.find(r.key);
    managed.push_back({.group = r.key.group,
                       .kind = r.key.kind,
                       .namespace_name = r.key.ns,
                       .name = r.key.name,
                       .live = it == live_by_key.end() ? nullptr : it->second,
                       .target = r.diff.desired.is_null() ? nullptr : &r.diff.desired});
  }
  health::AppHealth health =
      health::AssessAppHealth(managed, {.assess = assess_,
                                        .self = {.namespace_name = options_.namespace_,
                                                 .name = name,
                                                 .uid = FindString(metadata, "uid")}});

  // 4. Automated sync.
  app::Comparison summary{
      .status = comparison->status == diff::SyncStatus::kSynced ? "Synced" : "OutOfSync",
      .revisions = {rendered->manifests.revision}};
  for (const diff::ResourceComparison& r : comparison->resources) {
    if (!r.Counts()) continue;
    summary.resources.push_back(
        {.group = r.key.group,
         .kind = r.key.kind,
         .ns = r.key.ns,
         .name = r.key.name,
         .synced = r.status == diff::ResourceStatus::kSynced,
         .requires_pruning = r.status == diff::ResourceStatus::kExtraneous});
  }
  app::AutoSyncDecision decision = app::DecideAutoSync(app, summary, now);
  if (decision.sync_error) conditions.push_back({"SyncError", *decision.sync_error});

  Json status = app::BuildStatus({.app = &app,
                                  .comparison = &*comparison,
                                  .health = &health,
                                  .revisions = {rendered->manifests.revision},
                                  .source_type = rendered->manifests.source_type,
                                  .conditions = conditions,
                                  .now = now});
  if (const Json* old = Member(&app, "status")) {
    for (std::string_view keep : {"operationState", "history"}) {
      if (const Json* v = Member(old, keep)) status.as_object()[keep] = *v;
    }
  }
  WriteStatus(app, status);
  app.as_object()["status"] = status;

  if (decision.action == app::AutoSyncDecision::Action::kSync) {
    log::Info("application {}: {}", name, decision.message);
    RecordEvent(app, "OperationStarted", "Normal", decision.message);
    Result<Json> set =
        client_->Patch(ref, kube::PatchType::kMerge, JsonObject{{"operation", decision.operation}});
    if (!set.ok()) {
      log::Warn("application {}: setting the operation: {}", name, set.status().ToString());
      return;
    }
    app.as_object()["operation"] = decision.operation;
  } else if (decision.action == app::AutoSyncDecision::Action::kWait) {
    queue_.AddAfter(name, decision.retry_after);
  }

  // 5. The operation, one step.
  const Json* operation = Member(&app, "operation");
  if (operation == nullptr) return;
  std::string revision(FindString(
      Member(operation, "sync") ? *Member(operation, "sync") : Json(JsonObject()), "revision"));
  std::shared_ptr<AppCache> at = revision.empty() || revision == rendered->manifests.revision
                                     ? rendered
                                     : Render(app, revision);
  StepResult step;
  if (!at->error.ok()) {
    step.done = true;
    step.operation_state = JsonObject{{"operation", *operation},
                                      {"phase", "Error"},
                                      {"message", at->error.message()},
                                      {"startedAt", FormatRfc3339(now)},
                                      {"finishedAt", FormatRfc3339(now)}};
  } else {
    step = StepOperation(app, at == rendered ? desired : included(at->manifests.objects),
                         at->manifests.revision, live,
                         {.client = client_.get(),
                          .live = live_.get(),
                          .tracking = tracking,
                          .field_manager = options_.field_manager,
                          .assess = assess_,
                          .now = now});
  }
  Json next = status;
  next.as_object()["operationState"] = step.operation_state;
  if (step.done && FindString(step.operation_state, "phase") == "Succeeded") {
    JsonArray history;
    if (const Json* h = Member(&status, "history"); h && h->is_array()) history = h->get_array();
    int64_t id = 0;
    for (const Json& e : history) {
      if (const Json* i = Member(&e, "id"); i && i->is_int64()) id = std::max(id, i->get_int64());
    }
    const Json* result = Member(&step.operation_state, "syncResult");
    JsonObject entry{{"revision", result ? FindString(*result, "revision") : ""},
                     {"deployedAt", FindString(step.operation_state, "finishedAt")},
                     {"deployStartedAt", FindString(step.operation_state, "startedAt")},
                     {"id", id + 1}};
    if (const Json* source = result ? Member(result, "source") : nullptr) entry["source"] = *source;
    if (const Json* by = Member(operation, "initiatedBy")) entry["initiatedBy"] = *by;
    history.push_back(std::move(entry));
    int64_t limit = kDefaultHistoryLimit;
    if (const Json* l = Member(spec, "revisionHistoryLimit"); l && l->is_int64())
      limit = l->get_int64();
    while (static_cast<int64_t>(history.size()) > std::max<int64_t>(1, limit)) {
      history.erase(history.begin());
    }
    next.as_object()["history"] = std::move(history);
  }
  WriteStatus(app, std::move(next));
  if (step.done) {
    log::Info("application {}: sync {}: {}", name, FindString(step.operation_state, "phase"),
              FindString(step.operation_state, "message"));
    // Argo CD's words: "Sync operation to <sha> succeeded", "Partial sync operation to <sha>
    // failed: <message>".
    const Json* sync_op = Member(operation, "sync");
    const Json* only = sync_op ? Member(sync_op, "resources") : nullptr;
    bool partial = only != nullptr && only->is_array() && !only->get_array().empty();
    const Json* result = Member(&step.operation_state, "syncResult");
    std::string text = partial ? "Partial sync operation" : "Sync operation";
    if (result != nullptr) text += " to " + std::string(FindString(*result, "revision"));
    bool succeeded = FindString(step.operation_state, "phase") == "Succeeded";
    text += succeeded ? " succeeded"
                      : " failed: " + std::string(FindString(step.operation_state, "message"));
    RecordEvent(app, "OperationCompleted", succeeded ? "Normal" : "Warning", std::move(text));
    client_->Patch(ref, kube::PatchType::kMerge, JsonObject{{"operation", nullptr}})
        .status()
        .IgnoreError();
    queue_.Add(name);
  } else {
    queue_.AddAfter(name, step.requeue_after);
  }
}

}  // namespace kstack::gitops::controller
