#pragma once

// Git push notifications as GitHub, GitLab, Gitea and Bitbucket Cloud send them to Argo CD's
// `POST /api/webhook`, read into what the controller needs to refresh the matching apps at
// once: the repository's URLs (a push names several: web page, HTTPS clone, SSH clone) and the
// branch or tag pushed.
//
// The sender is told by its header, as Argo CD tells it:
//   X-GitHub-Event: push           repository.{html_url, clone_url, ssh_url}, ref,
//   repository.default_branch X-Gitlab-Event: Push Hook | Tag Push Hook
//                                  project.{web_url, git_http_url, git_ssh_url}, ref,
//                                  project.default_branch
//   X-Gitea-Event: push            repository.{html_url, clone_url, ssh_url}, ref,
//   repository.default_branch X-Event-Key: repo:push         (Bitbucket Cloud)
//   repository.links.html.href, push.changes[].new.{name, type}
// Other events of those senders (a ping, an issue) are no push: nothing to refresh.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"

namespace kstack::web {

struct Push {
  std::vector<std::string> repository_urls;
  // Branches and tags pushed, by name ("main", "v1.2.0"; refs/heads/ and refs/tags/ dropped).
  std::vector<std::string> revisions;
  // Whether the default branch moved (apps that follow HEAD are refreshed).
  bool default_branch = false;
};

// `headers` by lower-case name. nullopt when the request is not a push of a known sender.
// Errors: kBadRequest naming what is missing or malformed ("webhook: GitHub push: body is not
// JSON: ...", "webhook: GitLab push: no project.web_url").
Result<std::optional<Push>> ParseWebhook(const std::map<std::string, std::string>& headers,
                                         const std::string& body);

}  // namespace kstack::web
