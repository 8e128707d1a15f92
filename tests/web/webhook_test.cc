#include "web/webhook.h"

#include <gtest/gtest.h>

namespace kstack::web {
namespace {

using Headers = std::map<std::string, std::string>;

TEST(ParseWebhook, GitHubPush) {
  Result<std::optional<Push>> got = ParseWebhook({{"x-github-event", "push"}}, R"({
    "ref": "refs/heads/main",
    "repository": {"html_url": "https://github.com/org/apps",
                   "clone_url": "https://github.com/org/apps.git",
                   "ssh_url": "git@github.com:org/apps.git", "default_branch": "main"}})");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  ASSERT_TRUE(got->has_value());
  const Push& push = **got;
  EXPECT_EQ(push.repository_urls, (std::vector<std::string>{"https://github.com/org/apps",
                                                            "https://github.com/org/apps.git",
                                                            "git@github.com:org/apps.git"}));
  EXPECT_EQ(push.revisions, (std::vector<std::string>{"main"}));
  EXPECT_TRUE(push.default_branch);
}

TEST(ParseWebhook, GitLabTagPushIsNotTheDefaultBranch) {
  Result<std::optional<Push>> got = ParseWebhook({{"x-gitlab-event", "Tag Push Hook"}}, R"({
    "ref": "refs/tags/v1.2.0",
    "project": {"web_url": "https://gitlab.com/org/apps",
                "git_http_url": "https://gitlab.com/org/apps.git", "default_branch": "main"}})");
  ASSERT_TRUE(got.ok() && got->has_value()) << got.status().ToString();
  EXPECT_EQ((*got)->revisions, (std::vector<std::string>{"v1.2.0"}));
  EXPECT_FALSE((*got)->default_branch);
  EXPECT_EQ((*got)->repository_urls.size(), 2u);
}

TEST(ParseWebhook, GiteaAndBitbucketPushes) {
  Result<std::optional<Push>> gitea = ParseWebhook({{"x-gitea-event", "push"}}, R"({
    "ref": "refs/heads/dev",
    "repository": {"clone_url": "https://gitea.example.com/org/apps.git", "default_branch": "main"}})");
  ASSERT_TRUE(gitea.ok() && gitea->has_value()) << gitea.status().ToString();
  EXPECT_EQ((*gitea)->revisions, (std::vector<std::string>{"dev"}));
  EXPECT_FALSE((*gitea)->default_branch);

  Result<std::optional<Push>> bitbucket = ParseWebhook({{"x-event-key", "repo:push"}}, R"({
    "repository": {"links": {"html": {"href": "https://bitbucket.org/org/apps"}}},
    "push": {"changes": [{"new": {"name": "main", "type": "branch"}},
                         {"new": {"name": "v2", "type": "tag"}}]}})");
  ASSERT_TRUE(bitbucket.ok() && bitbucket->has_value()) << bitbucket.status().ToString();
  EXPECT_EQ((*bitbucket)->repository_urls,
            (std::vector<std::string>{"https://bitbucket.org/org/apps"}));
  EXPECT_EQ((*bitbucket)->revisions, (std::vector<std::string>{"main", "v2"}));
}

TEST(ParseWebhook, OtherEventsAreNoPush) {
  Result<std::optional<Push>> ping = ParseWebhook({{"x-github-event", "ping"}}, "{}");
  ASSERT_TRUE(ping.ok());
  EXPECT_FALSE(ping->has_value());
  Result<std::optional<Push>> none = ParseWebhook({}, "{}");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
}

TEST(ParseWebhook, BadPushesNameWhatIsWrong) {
  Result<std::optional<Push>> bad = ParseWebhook({{"x-github-event", "push"}}, "{not json");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().reason(), Reason::kBadRequest);
  EXPECT_EQ(bad.status().message().rfind("webhook: GitHub push: body is not JSON", 0), 0u)
      << bad.status().message();
  bad = ParseWebhook({{"x-gitlab-event", "Push Hook"}}, R"({"ref": "refs/heads/main"})");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "webhook: GitLab push: no project.web_url");
  bad = ParseWebhook({{"x-github-event", "push"}},
                     R"({"repository": {"clone_url": "https://x/y.git"}})");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "webhook: GitHub push: no ref");
}

}  // namespace
}  // namespace kstack::web
