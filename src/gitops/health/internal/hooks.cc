#include "gitops/health/internal/hooks.h"

#include <algorithm>
#include <array>
#include <string>
#include <vector>

namespace kstack::gitops::health::internal {
namespace {

constexpr std::string_view kHookAnnotation = "argocd.argoproj.io/hook";
constexpr std::string_view kHelmHookAnnotation = "helm.sh/hook";

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

// The distinct, non-empty, comma-separated names of an annotation.
std::vector<std::string_view> Names(std::string_view value) {
  std::vector<std::string_view> names;
  while (true) {
    size_t comma = value.find(',');
    std::string_view name = Trim(value.substr(0, comma));
    if (!name.empty() && std::find(names.begin(), names.end(), name) == names.end()) {
      names.push_back(name);
    }
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return names;
}

bool IsArgoHookType(std::string_view name) {
  static constexpr std::array<std::string_view, 5> kTypes = {"PreSync", "Sync", "PostSync",
                                                             "SyncFail", "Skip"};
  return std::find(kTypes.begin(), kTypes.end(), name) != kTypes.end();
}

bool IsHelmHookType(std::string_view name) {
  return name == "pre-install" || name == "pre-upgrade" || name == "post-upgrade" ||
         name == "post-install";
}

// The hook types of `object`: Argo CD's names, else (when it names none) Helm's that map to a
// phase. `skip` tells whether Skip is among them.
size_t HookTypes(const Json& object, bool* skip) {
  *skip = false;
  size_t count = 0;
  for (std::string_view name : Names(Annotation(object, kHookAnnotation))) {
    if (!IsArgoHookType(name)) continue;
    ++count;
    if (name == "Skip") *skip = true;
  }
  if (count > 0) return count;
  for (std::string_view name : Names(Annotation(object, kHelmHookAnnotation))) {
    if (IsHelmHookType(name)) ++count;
  }
  return count;
}

}  // namespace

std::string_view Annotation(const Json& object, std::string_view key) {
  const Json* metadata = FindMember(object, "metadata");
  if (metadata == nullptr) return {};
  const Json* annotations = FindMember(*metadata, "annotations");
  if (annotations == nullptr) return {};
  return FindString(*annotations, key);
}

bool IsSkipHook(const Json& object) {
  bool skip = false;
  size_t count = HookTypes(object, &skip);
  return skip && count == 1;
}

bool IsHook(const Json& object) {
  const Json* metadata = FindMember(object, "metadata");
  const Json* annotations = metadata ? FindMember(*metadata, "annotations") : nullptr;
  if (annotations == nullptr || !annotations->is_object()) return false;
  const JsonObject& map = annotations->get_object();
  if (map.contains(kHookAnnotation)) return !IsSkipHook(object);
  const Json* helm = map.if_contains(kHelmHookAnnotation);
  if (helm == nullptr) return false;
  return !(helm->is_string() && helm->get_string() == "crd-install");
}

bool HasHookFinalizer(const Json& object) {
  const Json* metadata = FindMember(object, "metadata");
  const JsonArray* finalizers = metadata ? FindArray(*metadata, "finalizers") : nullptr;
  if (finalizers == nullptr) return false;
  for (const Json& f : *finalizers) {
    if (f.is_string() && f.get_string() == kHookFinalizer) return true;
  }
  return false;
}

}  // namespace kstack::gitops::health::internal
