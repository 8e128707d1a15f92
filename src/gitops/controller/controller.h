#pragma once

// kstack's GitOps controller: reconciles argoproj.io/v1alpha1 Applications of one namespace
// with Argo CD's field meanings, through the public Kubernetes API only (kube::Client), so it
// drives a kstack server, K3s or a cloud cluster alike.
//
// On Start it installs or upgrades the Application and AppProject CRDs and the default
// AppProject, reads argocd-cm, and watches Applications. Each Application is reconciled by a
// worker when it changes (spec, operation, the refresh annotation), when an object it tracks
// changes (drift reaches it within milliseconds through the live cache), and every
// timeout.reconciliation (plus jitter), when its source is read from Git again:
//   1. the project permits the source and destination (else InvalidSpecError);
//   2. the source is rendered at its revision (else ComparisonError; nothing is deleted);
//   3. the desired objects are compared with the live ones it tracks, health is assessed, and
//      status is written in Argo CD's shape (only when it changed);
//   4. automated sync decides whether to start an operation (app/auto_sync.h);
//   5. an operation runs step by step (sync_operation.h) until it ends, then status.history
//      records it and `operation` is cleared.
//
// Thread safety: Start and Stop from one thread; the rest runs on the controller's threads.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "core/json.h"
#include "git/repository_cache.h"
#include "gitops/app/controller_settings.h"
#include "gitops/controller/live_cache.h"
#include "gitops/controller/manifests.h"
#include "gitops/controller/work_queue.h"
#include "gitops/diff/settings.h"
#include "gitops/diff/tracking.h"
#include "gitops/health/assess.h"
#include "kube/http_client.h"
#include "kube/informer.h"

namespace kstack::gitops::controller {

struct ControllerOptions {
  std::string namespace_ = "argocd";
  // Overrides timeout.reconciliation when set (the jitter then stays within half of it).
  std::optional<std::chrono::nanoseconds> resync;
  // Where Git repositories are cached.
  std::string repo_cache_dir;
  int workers = 4;
  std::string field_manager = "argocd-controller";
  const Clock* clock = &SystemClock();
};

class Controller {
 public:
  // `client` is the cluster the controller runs against (Applications and the in-cluster
  // destination, https://kubernetes.default.svc).
  static Result<std::unique_ptr<Controller>> Create(std::unique_ptr<kube::HttpClient> client,
                                                    ControllerOptions options);
  ~Controller();

  // Installs what the controller needs and starts its threads.
  // Errors: the cluster's, naming what could not be installed or read.
  Status Start();
  // Stops at a safe point: steps in flight finish and record their state; a restart resumes.
  void Stop();

  // A push to a Git repository (a webhook): the Applications whose source is one of `urls`
  // (any spelling of it) and follows one of `revisions` (a branch or tag name), or HEAD when
  // `default_branch` moved, read Git again at once. Returns how many were refreshed.
  size_t RefreshRepository(const std::vector<std::string>& urls,
                           const std::vector<std::string>& revisions, bool default_branch);

 private:
  Controller(std::unique_ptr<kube::HttpClient> client, ControllerOptions options,
             std::unique_ptr<git::RepositoryCache> repos);

  // What the last reconcile of an app rendered, so that a reconcile for drift reads no Git.
  struct AppCache {
    Json source;  // the spec.source it was rendered from
    Manifests manifests;
    Status error;
    Clock::MonoTime rendered_at;
    bool stale = true;  // read Git again at the next reconcile
  };

  Status Install();
  void Worker();
  void Resync();
  void OnLiveChange(const Json& object);
  void OnAppUpdate(const Json& old_app, const Json& new_app);
  // Reconciles the Application `name`; when `refresh_git`, reads its source again.
  void Reconcile(const std::string& name);
  // The desired objects of `app` (from the cache unless stale or `revision` differs).
  std::shared_ptr<AppCache> Render(const Json& app, const std::string& revision);
  // The live objects `app` tracks or desires, of every kind involved; errors of kinds the
  // cluster does not serve go to `problems`.
  std::vector<Json> LiveObjects(const Json& app, const std::vector<Json>& desired,
                                const diff::Tracking& tracking, std::vector<std::string>* problems);
  // Deletes what a deleted app with the resources finalizer tracks; true once it is all gone.
  bool Cascade(const Json& app, const diff::Tracking& tracking);
  diff::Tracking TrackingOf(const Json& app) const;
  void WriteStatus(const Json& app, Json status);
  // A Kubernetes Event on the Application, as Argo CD records sync starts and ends.
  void RecordEvent(const Json& app, std::string_view reason, std::string_view type,
                   std::string message);

  std::unique_ptr<kube::HttpClient> client_;
  ControllerOptions options_;
  std::unique_ptr<git::RepositoryCache> repos_;
  app::ControllerSettings settings_;
  std::shared_ptr<diff::CompareSettings> compare_;
  std::shared_ptr<health::LuaHealthChecks> lua_;  // resource.customizations.health.*
  health::AssessOptions assess_;
  std::unique_ptr<LiveCache> live_;
  std::unique_ptr<kube::Informer> apps_;
  WorkQueue queue_;
  std::mutex mu_;
  std::condition_variable resync_cv_;
  std::map<std::string, std::shared_ptr<AppCache>> cache_;  // by app name
  std::atomic<bool> stopping_{false};
  std::vector<std::thread> threads_;
};

}  // namespace kstack::gitops::controller
