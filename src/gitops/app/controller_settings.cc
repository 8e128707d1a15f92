#include "gitops/app/controller_settings.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "core/yaml.h"
#include "gitops/app/duration.h"
#include "render/glob.h"

namespace kstack::gitops::app {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return out;
}

// Any pattern of `patterns` matches `text`; an empty list matches everything. Kinds compare
// without case, as Argo CD compares them.
bool AnyMatch(const std::vector<std::string>& patterns, std::string_view text, bool fold_case) {
  if (patterns.empty()) return true;
  std::string subject = fold_case ? Lower(text) : std::string(text);
  for (const std::string& p : patterns) {
    Result<render::Glob> glob = render::Glob::Compile(fold_case ? Lower(p) : p);
    if (glob.ok() && glob->Match(subject)) return true;
  }
  return false;
}

Result<std::vector<std::string>> StringList(const Json& item, std::string_view key,
                                            const std::string& where) {
  std::vector<std::string> out;
  const Json* list = FindMember(item, key);
  if (list == nullptr || list->is_null()) return out;
  if (!list->is_array()) return InvalidError(fmt::format("{}.{}: must be a list", where, key));
  for (const Json& v : list->get_array()) {
    if (!v.is_string()) {
      return InvalidError(fmt::format("{}.{}: must be a list of strings", where, key));
    }
    out.emplace_back(v.get_string());
  }
  return out;
}

Result<std::vector<ResourceFilter>> Filters(const Json& data, std::string_view key,
                                            std::string_view source) {
  std::vector<ResourceFilter> out;
  std::string_view text = FindString(data, key);
  if (text.empty()) return out;
  std::string where = fmt::format("{}: {}", source, key);
  Result<Json> list = ParseYaml(text, where);
  if (!list.ok()) return InvalidError(list.status().message());
  if (list->is_null()) return out;
  if (!list->is_array()) return InvalidError(where + ": must be a list");
  for (size_t i = 0; i < list->get_array().size(); ++i) {
    const Json& item = list->get_array()[i];
    std::string at = fmt::format("{}[{}]", where, i);
    if (!item.is_object()) return InvalidError(at + ": must be an object");
    ResourceFilter f;
    KSTACK_ASSIGN_OR_RETURN(f.api_groups, StringList(item, "apiGroups", at));
    KSTACK_ASSIGN_OR_RETURN(f.kinds, StringList(item, "kinds", at));
    KSTACK_ASSIGN_OR_RETURN(f.clusters, StringList(item, "clusters", at));
    out.push_back(std::move(f));
  }
  return out;
}

const std::vector<ResourceFilter>& AlwaysExcluded() {
  static const auto* filters = new std::vector<ResourceFilter>{
      {.api_groups = {"events.k8s.io", "metrics.k8s.io"}},
      {.api_groups = {""}, .kinds = {"Event"}},
  };
  return *filters;
}

}  // namespace

bool ResourceFilter::Match(std::string_view group, std::string_view kind,
                           std::string_view cluster) const {
  return AnyMatch(api_groups, group, false) && AnyMatch(kinds, kind, true) &&
         AnyMatch(clusters, cluster, false);
}

bool ControllerSettings::IsExcluded(std::string_view group, std::string_view kind,
                                    std::string_view cluster) const {
  for (const ResourceFilter& f : AlwaysExcluded()) {
    if (f.Match(group, kind, cluster)) return true;
  }
  for (const ResourceFilter& f : exclusions) {
    if (f.Match(group, kind, cluster)) return true;
  }
  if (inclusions.empty()) return false;
  return std::none_of(inclusions.begin(), inclusions.end(),
                      [&](const ResourceFilter& f) { return f.Match(group, kind, cluster); });
}

Result<ControllerSettings> ParseControllerSettings(const Json* config_map,
                                                   std::string_view source) {
  ControllerSettings out;
  if (config_map == nullptr || config_map->is_null()) return out;
  const Json* data = FindMember(*config_map, "data");
  if (data == nullptr) data = config_map;
  if (data->is_null()) return out;
  if (!data->is_object()) return InvalidError(fmt::format("{}: data must be a map", source));
  for (auto [key, field] :
       {std::pair{"timeout.reconciliation", &out.reconciliation},
        std::pair{"timeout.reconciliation.jitter", &out.reconciliation_jitter}}) {
    std::string_view text = FindString(*data, key);
    if (text.empty()) continue;
    KSTACK_ASSIGN_OR_RETURN(*field, ParseDuration(text, fmt::format("{}: {}", source, key)));
  }
  KSTACK_ASSIGN_OR_RETURN(out.exclusions, Filters(*data, "resource.exclusions", source));
  KSTACK_ASSIGN_OR_RETURN(out.inclusions, Filters(*data, "resource.inclusions", source));
  return out;
}

}  // namespace kstack::gitops::app
