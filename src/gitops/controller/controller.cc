#include "gitops/controller/controller.h"

#include <fmt/format.h>

#include <algorithm>
#include <random>
#include <set>

#include "core/log.h"
#include "gitops/app/auto_sync.h"
#include "gitops/app/crds.h"
#include "gitops/app/project.h"
#include "gitops/app/status.h"
#include "gitops/controller/internal/json_access.h"
#include "gitops/controller/manifests.h"
#include "gitops/controller/sync_operation.h"
#include "gitops/diff/compare_app.h"
#include "gitops/diff/settings.h"
#include "gitops/diff/tracking.h"
#include "gitops/health/app_health.h"
#include "kube/discovery.h"

namespace kstack::gitops::controller {
namespace {

using internal::Member;
using std::chrono::milliseconds;

const kube::ResourceRef kAppProjects{
    .group = "argoproj.io", .version = "v1alpha1", .resource = "appprojects"};
const kube::ResourceRef kCrds{
    .group = "apiextensions.k8s.io", .version = "v1", .resource = "customresourcedefinitions"};

kube::ResourceRef In(kube::ResourceRef ref, std::string ns, std::string name = "") {
  ref.namespace_name = std::move(ns);
  ref.name = std::move(name);
  return ref;
}

}  // namespace

Result<std::unique_ptr<Controller>> Controller::Create(std::unique_ptr<kube::HttpClient> client,
                                                       ControllerOptions options) {
  if (options.repo_cache_dir.empty()) {
    return InvalidError("controller: a directory for the Git repository cache is required");
  }
  KSTACK_ASSIGN_OR_RETURN(std::unique_ptr<git::RepositoryCache> repos,
                          git::RepositoryCache::Open(options.repo_cache_dir));
  return std::unique_ptr<Controller>(
      new Controller(std::move(client), std::move(options), std::move(repos)));
}

Controller::Controller(std::unique_ptr<kube::HttpClient> client, ControllerOptions options,
                       std::unique_ptr<git::RepositoryCache> repos)
    : client_(std::move(client)), options_(std::move(options)), repos_(std::move(repos)) {}

Controller::~Controller() { Stop(); }

Status Controller::Install() {
  for (const Json& crd : app::ArgoCdCrds()) {
    std::string name(FindString(crd.at("metadata"), "name"));
    Result<Json> live = client_->Get(In(kCrds, "", name));
    if (live.ok()) {
      Json update = crd;
      update.at("metadata").as_object()["resourceVersion"] =
          live->at("metadata").at("resourceVersion");
      KSTACK_RETURN_IF_ERROR(client_->Update(In(kCrds, "", name), update)
                                 .status()
                                 .WithContext("upgrading CRD " + name));
    } else if (live.status().reason() == Reason::kNotFound) {
      KSTACK_RETURN_IF_ERROR(
          client_->Create(kCrds, crd).status().WithContext("installing CRD " + name));
    } else {
      return live.status().WithContext("reading CRD " + name);
    }
  }
  // The types are served once established.
  for (int i = 0;; ++i) {
    Status refreshed = client_->discovery().Refresh();
    if (refreshed.ok() &&
        client_->discovery().ForKind("argoproj.io", "v1alpha1", "Application").ok() &&
        client_->discovery().ForKind("argoproj.io", "v1alpha1", "AppProject").ok()) {
      break;
    }
    if (i == 300) return TimeoutError("the Application and AppProject CRDs were not established");
    std::this_thread::sleep_for(milliseconds(100));
  }
  const kube::ResourceRef namespaces{.version = "v1", .resource = "namespaces"};
  Result<Json> ns = client_->Get(In(namespaces, "", options_.namespace_));
  if (!ns.ok() && ns.status().reason() == Reason::kNotFound) {
    Json object = JsonObject{{"apiVersion", "v1"},
                             {"kind", "Namespace"},
                             {"metadata", JsonObject{{"name", options_.namespace_}}}};
    Result<Json> created = client_->Create(namespaces, object);
    if (!created.ok() && created.status().reason() != Reason::kAlreadyExists) {
      return created.status().WithContext("creating namespace " + options_.namespace_);
    }
  }
  Result<Json> project = client_->Create(In(kAppProjects, options_.namespace_),
                                         app::DefaultAppProject(options_.namespace_));
  if (!project.ok() && project.status().reason() != Reason::kAlreadyExists) {
    return project.status().WithContext("creating the default AppProject");
  }
  Result<Json> cm = client_->Get({.version = "v1",
                                  .resource = "configmaps",
                                  .namespace_name = options_.namespace_,
                                  .name = "argocd-cm"});
  if (cm.ok()) {
    KSTACK_ASSIGN_OR_RETURN(settings_, app::ParseControllerSettings(&*cm));
    Result<diff::CompareSettings> compare = diff::ParseArgoCdConfigMap(*cm, "argocd-cm");
    if (!compare.ok()) return compare.status();
    compare_ = std::make_shared<diff::CompareSettings>(std::move(*compare));
    Result<health::LuaHealthChecks> lua = health::LuaHealthChecks::FromConfigMap(*cm);
    if (!lua.ok()) return lua.status().WithContext("argocd-cm");
    lua_ = std::make_shared<health::LuaHealthChecks>(std::move(*lua));
  } else if (cm.status().reason() != Reason::kNotFound) {
    return cm.status().WithContext("reading argocd-cm");
  } else {
    compare_ = std::make_shared<diff::CompareSettings>();
  }
  if (options_.resync) {
    // A period given on the command line keeps its jitter within half of it.
    settings_.reconciliation = *options_.resync;
    settings_.reconciliation_jitter =
        std::min(settings_.reconciliation_jitter, *options_.resync / 2);
  }
  // Argo CD's default: Applications have no health unless a Lua check gives them one.
  assess_ = {.lua = lua_.get(), .applications = false};
  return Status::Ok();
}

Status Controller::Start() {
  KSTACK_RETURN_IF_ERROR(Install());
  live_ = std::make_unique<LiveCache>(client_.get(), &client_->discovery(),
                                      [this](const Json& o) { OnLiveChange(o); });
  kube::InformerHandlers handlers{
      .on_add =
          [this](const Json& a) { queue_.Add(std::string(FindString(a.at("metadata"), "name"))); },
      .on_update = [this](const Json& o, const Json& n) { OnAppUpdate(o, n); },
      .on_delete =
          [this](const Json& a) {
            std::lock_guard<std::mutex> hold(mu_);
            cache_.erase(std::string(FindString(a.at("metadata"), "name")));
          }};
  apps_ = std::make_unique<kube::Informer>(
      client_.get(), kube::InformerOptions{.type = internal::Applications(options_.namespace_)},
      std::move(handlers));
  apps_->Start();
  if (!apps_->WaitForSync(std::chrono::seconds(30))) {
    return TimeoutError("listing Applications: " + apps_->last_error().ToString());
  }
  for (int i = 0; i < std::max(1, options_.workers); ++i)
    threads_.emplace_back([this] { Worker(); });
  threads_.emplace_back([this] { Resync(); });
  log::Info("controller: reconciling Applications in namespace {}", options_.namespace_);
  return Status::Ok();
}

void Controller::Stop() {
  if (stopping_.exchange(true)) return;
  queue_.ShutDown();
  {
    std::lock_guard<std::mutex> hold(mu_);
    resync_cv_.notify_all();
  }
  for (std::thread& t : threads_) t.join();
  threads_.clear();
  if (apps_) apps_->Stop();
  if (live_) live_->Stop();
}

void Controller::Resync() {
  std::mt19937_64 random(std::random_device{}());
  while (!stopping_) {
    auto period = settings_.reconciliation;
    if (period.count() <= 0) period = std::chrono::hours(24 * 365);
    auto jitter = settings_.reconciliation_jitter.count() > 0
                      ? std::chrono::nanoseconds(random() % settings_.reconciliation_jitter.count())
                      : std::chrono::nanoseconds(0);
    std::unique_lock<std::mutex> lock(mu_);
    if (resync_cv_.wait_for(lock, period + jitter, [this] { return stopping_.load(); })) return;
    for (auto& [name, cache] : cache_) cache->stale = true;
    lock.unlock();
    for (const kube::ObjectPtr& a : apps_->List()) {
      queue_.Add(std::string(FindString(a->at("metadata"), "name")));
    }
  }
}

size_t Controller::RefreshRepository(const std::vector<std::string>& urls,
                                     const std::vector<std::string>& revisions,
                                     bool default_branch) {
  if (apps_ == nullptr) return 0;
  std::set<std::string> pushed;
  for (const std::string& url : urls) pushed.insert(app::NormalizeGitUrl(url));
  size_t refreshed = 0;
  for (const kube::ObjectPtr& a : apps_->List()) {
    const Json* source = Member(Member(a.get(), "spec"), "source");
    if (source == nullptr ||
        pushed.count(app::NormalizeGitUrl(FindString(*source, "repoURL"))) == 0) {
      continue;
    }
    std::string_view target = FindString(*source, "targetRevision");
    bool follows = (target.empty() || target == "HEAD")
                       ? default_branch
                       : std::find(revisions.begin(), revisions.end(), target) != revisions.end();
    if (!follows) continue;
    std::string name(FindString(a->at("metadata"), "name"));
    {
      std::lock_guard<std::mutex> hold(mu_);
      if (auto it = cache_.find(name); it != cache_.end()) it->second->stale = true;
    }
    queue_.Add(name);
    ++refreshed;
  }
  return refreshed;
}

void Controller::OnAppUpdate(const Json& old_app, const Json& new_app) {
  // Status written by the controller itself is no reason to reconcile again.
  auto relevant = [](const Json& a) {
    JsonObject o = a.as_object();
    o.erase("status");
    if (o.contains("metadata") && o["metadata"].is_object()) {
      JsonObject& m = o["metadata"].as_object();
      m.erase("resourceVersion");
      m.erase("managedFields");
      m.erase("generation");
    }
    return Json(std::move(o));
  };
  if (relevant(old_app) != relevant(new_app)) {
    queue_.Add(std::string(FindString(new_app.at("metadata"), "name")));
  }
}

void Controller::OnLiveChange(const Json& object) {
  const Json* metadata = Member(&object, "metadata");
  const Json* annotations = Member(metadata, "annotations");
  std::string_view id = annotations ? FindString(*annotations, diff::kTrackingIdAnnotation) : "";
  std::string app;
  if (!id.empty()) {
    app = std::string(id.substr(0, id.find(':')));
  } else if (const Json* labels = Member(metadata, "labels")) {
    app = std::string(FindString(*labels, compare_ ? compare_->instance_label_key
                                                   : std::string(diff::kDefaultInstanceLabelKey)));
  }
  // Apps of the controller's own namespace are tracked by their name.
  if (!app.empty()) queue_.Add(app);
}

void Controller::Worker() {
  while (std::optional<std::string> name = queue_.Get()) {
    Reconcile(*name);
    queue_.Done(*name);
  }
}

}  // namespace kstack::gitops::controller
