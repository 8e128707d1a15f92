#include "gitops/diff/internal/json_paths.h"

#include <algorithm>

namespace kstack::gitops::diff::internal {
namespace {

// jq's order of path components: numbers before strings.
bool StepLess(const PathStep& a, const PathStep& b) {
  if (a.index() != b.index()) return a.index() == 1;
  return a < b;
}

bool PathLess(const Path& a, const Path& b) {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(), StepLess);
}

Json* Step(Json& v, const PathStep& step) {
  if (const std::string* key = std::get_if<std::string>(&step)) {
    return v.is_object() ? v.get_object().if_contains(*key) : nullptr;
  }
  int64_t index = std::get<int64_t>(step);
  if (!v.is_array()) return nullptr;
  JsonArray& a = v.get_array();
  if (index < 0) index += static_cast<int64_t>(a.size());
  if (index < 0 || index >= static_cast<int64_t>(a.size())) return nullptr;
  return &a[static_cast<size_t>(index)];
}

bool RemoveOne(Json& doc, const Path& path) {
  if (path.empty()) return false;
  Json* parent = &doc;
  for (size_t i = 0; i + 1 < path.size() && parent != nullptr; ++i) {
    parent = Step(*parent, path[i]);
  }
  if (parent == nullptr) return false;
  const PathStep& last = path.back();
  if (const std::string* key = std::get_if<std::string>(&last)) {
    return parent->is_object() && parent->get_object().erase(*key) > 0;
  }
  if (!parent->is_array()) return false;
  JsonArray& a = parent->get_array();
  int64_t index = std::get<int64_t>(last);
  if (index < 0) index += static_cast<int64_t>(a.size());
  if (index < 0 || index >= static_cast<int64_t>(a.size())) return false;
  a.erase(a.begin() + index);
  return true;
}

}  // namespace

bool RemovePaths(Json& doc, std::vector<Path> paths) {
  // From the last path to the first, so that removing an element does not move the ones the
  // remaining paths name.
  std::sort(paths.begin(), paths.end(), PathLess);
  paths.erase(std::unique(paths.begin(), paths.end()), paths.end());
  bool removed = false;
  for (auto it = paths.rbegin(); it != paths.rend(); ++it) removed = RemoveOne(doc, *it) || removed;
  return removed;
}

const Json* ValueAt(const Json& doc, const Path& path) {
  const Json* v = &doc;
  for (const PathStep& step : path) {
    v = Step(const_cast<Json&>(*v), step);
    if (v == nullptr) return nullptr;
  }
  return v;
}

}  // namespace kstack::gitops::diff::internal
