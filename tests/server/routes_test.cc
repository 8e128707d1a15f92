#include "server/internal/routes.h"

#include <gtest/gtest.h>

#include "core/build_info.h"

namespace kstack::server::internal {
namespace {

Request Get(std::string target, bool authenticated) {
  Request r{.method = "GET", .target = std::move(target)};
  if (authenticated) {
    r.identity = {.authenticated = true, .user = "kstack-admin", .groups = {"system:masters"}};
  }
  return r;
}

Json BodyJson(const Response& r) {
  Result<Json> body = ParseJson(r.body);
  EXPECT_TRUE(body.ok()) << r.body;
  return body.ok() ? *body : Json();
}

TEST(RoutesTest, HealthEndpointsAnswerOkToAnyone) {
  for (const char* path : {"/livez", "/readyz", "/healthz", "/readyz?verbose=false"}) {
    for (bool authenticated : {false, true}) {
      Response r = Route(Get(path, authenticated));
      EXPECT_EQ(r.code, 200) << path;
      EXPECT_EQ(r.body, "ok") << path;
      EXPECT_EQ(r.content_type, "text/plain; charset=utf-8");
    }
  }
}

TEST(RoutesTest, AnonymousRequestsElsewhereGetUnauthorizedStatus) {
  for (const char* path : {"/version", "/api", "/nowhere"}) {
    Response r = Route(Get(path, false));
    EXPECT_EQ(r.code, 401) << path;
    EXPECT_EQ(r.content_type, "application/json");
    EXPECT_EQ(r.body, R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",)"
                      R"("message":"Unauthorized","reason":"Unauthorized","code":401})");
  }
}

TEST(RoutesTest, VersionIsKubernetesVersionInfo) {
  Response r = Route(Get("/version?timeout=32s", true));
  EXPECT_EQ(r.code, 200);
  EXPECT_EQ(r.content_type, "application/json");
  Json v = BodyJson(r);
  EXPECT_EQ(FindString(v, "gitVersion"), kKubernetesVersion);
  EXPECT_EQ(FindString(v, "gitVersion"), "v1.32.0");
  EXPECT_EQ(FindString(v, "major"), "1");
  EXPECT_EQ(FindString(v, "minor"), "32");
  EXPECT_EQ(FindString(v, "platform").substr(0, 6), "linux/");
  for (const char* key : {"gitCommit", "gitTreeState", "buildDate", "goVersion", "compiler"}) {
    EXPECT_NE(FindMember(v, key), nullptr) << key;
  }
}

TEST(RoutesTest, UnknownPathIsNotFoundStatusAsKubernetesWritesIt) {
  Response r = Route(Get("/no/such/path", true));
  EXPECT_EQ(r.code, 404);
  EXPECT_EQ(r.body,
            R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",)"
            R"("message":"the server could not find the requested resource","reason":"NotFound",)"
            R"("details":{},"code":404})");
}

TEST(RoutesTest, WritesToReadOnlyEndpointsAreMethodNotAllowed) {
  Request post = Get("/version", true);
  post.method = "POST";
  EXPECT_EQ(Route(post).code, 405);
  post.target = "/readyz";
  EXPECT_EQ(Route(post).code, 405);
  Request head = Get("/healthz", false);
  head.method = "HEAD";
  EXPECT_EQ(Route(head).code, 200);
}

}  // namespace
}  // namespace kstack::server::internal
