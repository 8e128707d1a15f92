#include "gitops/health/app_health.h"

#include <fmt/core.h>

#include "gitops/health/internal/hooks.h"

namespace kstack::gitops::health {
namespace {

constexpr std::string_view kIgnoreHealthCheckAnnotation = "argocd.argoproj.io/ignore-healthcheck";
constexpr size_t kCausesShown = 3;

bool IsApplication(std::string_view group, std::string_view kind) {
  return group == "argoproj.io" && kind == "Application";
}

bool IsSelf(const ManagedResource& r, const AppIdentity& self) {
  if (!IsApplication(r.group, r.kind) || self.name.empty()) return false;
  const Json* metadata = FindMember(*r.live, "metadata");
  std::string_view uid = metadata ? FindString(*metadata, "uid") : "";
  return uid == self.uid && r.name == self.name && r.namespace_name == self.namespace_name;
}

std::string Causes(std::span<const ManagedResource* const> causes) {
  if (causes.empty()) return "";
  std::string out = "Caused by ";
  for (size_t i = 0; i < causes.size() && i < kCausesShown; ++i) {
    const ManagedResource& c = *causes[i];
    if (i > 0) out += ", ";
    if (!c.group.empty()) {
      out += c.group;
      out += '/';
    }
    out += c.kind;
    out += ':';
    if (!c.namespace_name.empty()) {
      out += c.namespace_name;
      out += '/';
    }
    out += c.name;
  }
  if (causes.size() > kCausesShown)
    out += fmt::format(" and {} more", causes.size() - kCausesShown);
  return out;
}

}  // namespace

HealthCode Worst(std::span<const HealthCode> codes) {
  HealthCode worst = HealthCode::kHealthy;
  for (HealthCode code : codes) {
    if (IsWorse(worst, code)) worst = code;
  }
  return worst;
}

AppHealth AssessAppHealth(std::span<const ManagedResource> resources,
                          const AppHealthOptions& options) {
  AppHealth app;
  app.resources.resize(resources.size());
  std::vector<const ManagedResource*> causes;
  bool any_resource = false;
  bool any_live = false;
  for (size_t i = 0; i < resources.size(); ++i) {
    const ManagedResource& r = resources[i];
    if (r.target != nullptr && internal::IsSkipHook(*r.target)) continue;
    if (r.live != nullptr && internal::IsHook(*r.live)) continue;
    any_resource = true;
    if (r.live != nullptr) any_live = true;
    if (r.live != nullptr &&
        internal::Annotation(*r.live, kIgnoreHealthCheckAnnotation) == "true") {
      continue;
    }
    std::optional<HealthStatus> health;
    if (r.live == nullptr) {
      health = HealthStatus{HealthCode::kMissing, ""};
    } else {
      if (IsSelf(r, options.self)) continue;
      health = Assess(*r.live, options.assess);
    }
    if (!health) continue;
    HealthCode code = health->status;
    app.resources[i] = std::move(health);
    // A missing resource already shows as OutOfSync; it does not make the app unhealthy.
    if (r.live == nullptr) continue;
    // A child app that is gone or cannot tell its health does not speak for its parent.
    if (IsApplication(r.group, r.kind) &&
        (code == HealthCode::kMissing || code == HealthCode::kUnknown)) {
      continue;
    }
    if (IsWorse(app.status, code)) {
      app.status = code;
      causes.assign(1, &r);
    } else if (code == app.status && code != HealthCode::kHealthy) {
      causes.push_back(&r);
    }
  }
  if (any_resource && !any_live && IsWorse(app.status, HealthCode::kMissing)) {
    app.status = HealthCode::kMissing;
    causes.clear();
  }
  app.message = Causes(causes);
  return app;
}

}  // namespace kstack::gitops::health
