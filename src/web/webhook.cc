#include "web/webhook.h"

#include <fmt/format.h>

#include "core/json.h"

namespace kstack::web {
namespace {

const Json* Path(const Json& root, std::initializer_list<std::string_view> keys) {
  const Json* at = &root;
  for (std::string_view key : keys) {
    if (!at->is_object()) return nullptr;
    at = FindMember(*at, key);
    if (at == nullptr || at->is_null()) return nullptr;
  }
  return at;
}

std::string String(const Json& root, std::initializer_list<std::string_view> keys) {
  const Json* v = Path(root, keys);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : "";
}

std::string Header(const std::map<std::string, std::string>& headers, const std::string& name) {
  auto it = headers.find(name);
  return it == headers.end() ? "" : it->second;
}

std::string RefName(std::string ref) {
  for (std::string_view prefix : {"refs/heads/", "refs/tags/"}) {
    if (ref.starts_with(prefix)) return ref.substr(prefix.size());
  }
  return ref;
}

// GitHub, GitLab and Gitea: one ref, the repository under `repo_key`.
Result<Push> RefPush(const Json& body, std::string_view sender, std::string_view repo_key,
                     std::initializer_list<std::string_view> url_keys) {
  Push push;
  for (std::string_view key : url_keys) {
    std::string url = String(body, {repo_key, key});
    if (!url.empty()) push.repository_urls.push_back(std::move(url));
  }
  if (push.repository_urls.empty()) {
    return BadRequestError(
        fmt::format("webhook: {} push: no {}.{}", sender, repo_key, *url_keys.begin()));
  }
  std::string ref = String(body, {"ref"});
  if (ref.empty()) return BadRequestError(fmt::format("webhook: {} push: no ref", sender));
  push.revisions.push_back(RefName(ref));
  std::string default_branch = String(body, {repo_key, "default_branch"});
  push.default_branch = !default_branch.empty() && ref == "refs/heads/" + default_branch;
  return push;
}

Result<Push> BitbucketPush(const Json& body) {
  Push push;
  std::string url = String(body, {"repository", "links", "html", "href"});
  if (url.empty()) return BadRequestError("webhook: Bitbucket push: no repository.links.html.href");
  push.repository_urls.push_back(url);
  const Json* changes = Path(body, {"push", "changes"});
  if (changes != nullptr && changes->is_array()) {
    for (const Json& change : changes->get_array()) {
      std::string name = String(change, {"new", "name"});
      if (!name.empty()) push.revisions.push_back(name);
    }
  }
  // A Bitbucket push does not say which branch is the default one: apps on HEAD refresh too.
  push.default_branch = true;
  return push;
}

}  // namespace

Result<std::optional<Push>> ParseWebhook(const std::map<std::string, std::string>& headers,
                                         const std::string& body) {
  std::string github = Header(headers, "x-github-event");
  std::string gitlab = Header(headers, "x-gitlab-event");
  std::string gitea = Header(headers, "x-gitea-event");
  std::string bitbucket = Header(headers, "x-event-key");
  std::string sender = !github.empty()      ? "GitHub"
                       : !gitlab.empty()    ? "GitLab"
                       : !gitea.empty()     ? "Gitea"
                       : !bitbucket.empty() ? "Bitbucket"
                                            : "";
  bool is_push = github == "push" || gitea == "push" || gitlab == "Push Hook" ||
                 gitlab == "Tag Push Hook" || bitbucket == "repo:push";
  if (!is_push) return std::optional<Push>();
  Result<Json> parsed = ParseJson(body, "webhook body");
  if (!parsed.ok()) {
    return BadRequestError(
        fmt::format("webhook: {} push: body is not JSON: {}", sender, parsed.status().message()));
  }
  Result<Push> push =
      !gitlab.empty()
          ? RefPush(*parsed, sender, "project", {"web_url", "git_http_url", "git_ssh_url"})
      : !bitbucket.empty()
          ? BitbucketPush(*parsed)
          : RefPush(*parsed, sender, "repository", {"html_url", "clone_url", "ssh_url"});
  if (!push.ok()) return push.status();
  return std::optional<Push>(std::move(*push));
}

}  // namespace kstack::web
