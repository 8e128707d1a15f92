#include "gitops/app/project.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "render/glob.h"

namespace kstack::gitops::app {
namespace {

bool IsDeny(std::string_view pattern) { return pattern.starts_with("!"); }

// Argo CD's glob match: a pattern that does not compile matches nothing; a deny pattern
// matches what its glob does not.
bool GlobMatch(std::string_view pattern, std::string_view text) {
  bool deny = IsDeny(pattern);
  if (deny) pattern.remove_prefix(1);
  Result<render::Glob> glob = render::Glob::Compile(pattern);
  bool matched = glob.ok() && glob->Match(text);
  return deny ? !matched : matched;
}

bool InList(const std::vector<GroupKindPattern>& list, std::string_view group,
            std::string_view kind) {
  return std::any_of(list.begin(), list.end(), [&](const GroupKindPattern& p) {
    return GlobMatch(p.group, group) && GlobMatch(p.kind, kind);
  });
}

Result<std::vector<std::string>> Strings(const Json& spec, std::string_view key) {
  std::vector<std::string> out;
  const Json* list = FindMember(spec, key);
  if (list == nullptr || list->is_null()) return out;
  if (!list->is_array()) return InvalidError(fmt::format("spec.{}: must be a list", key));
  for (size_t i = 0; i < list->get_array().size(); ++i) {
    const Json& item = list->get_array()[i];
    if (!item.is_string()) {
      return InvalidError(fmt::format("spec.{}[{}]: must be a string", key, i));
    }
    out.emplace_back(item.get_string());
  }
  return out;
}

Result<std::vector<Json>> Objects(const Json& spec, std::string_view key) {
  std::vector<Json> out;
  const Json* list = FindMember(spec, key);
  if (list == nullptr || list->is_null()) return out;
  if (!list->is_array()) return InvalidError(fmt::format("spec.{}: must be a list", key));
  for (size_t i = 0; i < list->get_array().size(); ++i) {
    const Json& item = list->get_array()[i];
    if (!item.is_object()) {
      return InvalidError(fmt::format("spec.{}[{}]: must be an object", key, i));
    }
    out.push_back(item);
  }
  return out;
}

Result<std::vector<GroupKindPattern>> GroupKinds(const Json& spec, std::string_view key) {
  KSTACK_ASSIGN_OR_RETURN(std::vector<Json> items, Objects(spec, key));
  std::vector<GroupKindPattern> out;
  for (const Json& item : items) {
    out.push_back({std::string(FindString(item, "group")), std::string(FindString(item, "kind"))});
  }
  return out;
}

}  // namespace

std::string NormalizeGitUrl(std::string_view url) {
  std::string repo(url);
  repo.erase(0, repo.find_first_not_of(" \t\n"));
  repo.erase(repo.find_last_not_of(" \t\n") + 1);
  std::transform(repo.begin(), repo.end(), repo.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  // scp-like SSH ("git@host:org/repo") reads as "git@host/org/repo".
  bool has_scheme = repo.find("://") != std::string::npos;
  size_t at = repo.find('@'), colon = repo.find(':');
  if (!has_scheme && at != std::string::npos && colon != std::string::npos && at < colon) {
    repo[colon] = '/';
  }
  if (repo.starts_with("ssh://")) repo.erase(0, 6);
  if (repo.ends_with(".git")) repo.resize(repo.size() - 4);
  return repo;
}

bool Project::IsSourcePermitted(std::string_view repo_url) const {
  std::string source = NormalizeGitUrl(repo_url);
  bool any = false;
  for (const std::string& pattern : source_repos) {
    std::string normal =
        IsDeny(pattern) ? "!" + NormalizeGitUrl(pattern.substr(1)) : NormalizeGitUrl(pattern);
    if (GlobMatch(normal, source)) {
      any = true;
    } else if (IsDeny(normal)) {
      return false;
    }
  }
  return any;
}

bool Project::IsDestinationPermitted(std::string_view server, std::string_view name,
                                     std::string_view ns) const {
  bool any = false, denied = false;
  for (const DestinationPattern& d : destinations) {
    bool name_matched = !name.empty() && GlobMatch(d.name, name);
    bool server_matched = !server.empty() && GlobMatch(d.server, server);
    bool ns_matched = GlobMatch(d.ns, ns);
    if ((server_matched || name_matched) && ns_matched) {
      any = true;
    } else if ((!name_matched && IsDeny(d.name)) || (!server_matched && IsDeny(d.server)) ||
               (!ns_matched && IsDeny(d.ns))) {
      denied = true;
    }
  }
  return any && !denied;
}

bool Project::IsGroupKindPermitted(std::string_view group, std::string_view kind,
                                   bool namespaced) const {
  if (namespaced) {
    bool white = namespace_whitelist.empty() || InList(namespace_whitelist, group, kind);
    return white && !InList(namespace_blacklist, group, kind);
  }
  return InList(cluster_whitelist, group, kind) && !InList(cluster_blacklist, group, kind);
}

std::vector<std::string> Project::CheckApplication(const Json& spec) const {
  std::vector<std::string> out;
  std::vector<const Json*> sources;
  if (const JsonArray* list = FindArray(spec, "sources"); list != nullptr && !list->empty()) {
    for (const Json& s : *list) sources.push_back(&s);
  } else if (const Json* s = FindMember(spec, "source"); s != nullptr && s->is_object()) {
    sources.push_back(s);
  }
  for (const Json* source : sources) {
    std::string_view repo = FindString(*source, "repoURL");
    if (!IsSourcePermitted(repo)) {
      out.push_back(
          fmt::format("application repo {} is not permitted in project '{}'", repo, name));
    }
  }
  const Json* destination = FindMember(spec, "destination");
  if (destination != nullptr && destination->is_object()) {
    std::string_view server = FindString(*destination, "server");
    std::string_view cluster = FindString(*destination, "name");
    std::string_view ns = FindString(*destination, "namespace");
    if (!IsDestinationPermitted(server, cluster, ns)) {
      out.push_back(fmt::format(
          "application destination server '{}' and namespace '{}' do not match any of the "
          "allowed destinations in project '{}'",
          server, ns, name));
    }
  }
  return out;
}

std::optional<std::string> Project::CheckResource(std::string_view group, std::string_view kind,
                                                  bool namespaced, std::string_view ns,
                                                  std::string_view server,
                                                  std::string_view cluster) const {
  if (!IsGroupKindPermitted(group, kind, namespaced)) {
    return fmt::format("resource {}:{} is not permitted in project {}", group, kind, name);
  }
  if (namespaced && !IsDestinationPermitted(server, cluster, ns)) {
    return fmt::format("namespace {} is not permitted in project '{}'", ns, name);
  }
  return std::nullopt;
}

Result<Project> ParseProject(const Json& app_project) {
  if (!app_project.is_object()) return InvalidError("AppProject: not an object");
  Project out;
  if (const Json* metadata = FindMember(app_project, "metadata");
      metadata && metadata->is_object()) {
    out.name = std::string(FindString(*metadata, "name"));
  }
  const Json* spec = FindMember(app_project, "spec");
  if (spec == nullptr || spec->is_null()) return out;
  if (!spec->is_object()) return InvalidError("spec: must be an object");
  KSTACK_ASSIGN_OR_RETURN(out.source_repos, Strings(*spec, "sourceRepos"));
  KSTACK_ASSIGN_OR_RETURN(std::vector<Json> destinations, Objects(*spec, "destinations"));
  for (const Json& d : destinations) {
    out.destinations.push_back({std::string(FindString(d, "server")),
                                std::string(FindString(d, "name")),
                                std::string(FindString(d, "namespace"))});
  }
  KSTACK_ASSIGN_OR_RETURN(out.cluster_whitelist, GroupKinds(*spec, "clusterResourceWhitelist"));
  KSTACK_ASSIGN_OR_RETURN(out.cluster_blacklist, GroupKinds(*spec, "clusterResourceBlacklist"));
  KSTACK_ASSIGN_OR_RETURN(out.namespace_whitelist, GroupKinds(*spec, "namespaceResourceWhitelist"));
  KSTACK_ASSIGN_OR_RETURN(out.namespace_blacklist, GroupKinds(*spec, "namespaceResourceBlacklist"));
  return out;
}

}  // namespace kstack::gitops::app
