// Server-side apply and managed fields through the API handler: the request options Kubernetes
// checks, the status codes and Status bodies kubectl reads, and the managers recorded on writes.

#include <gtest/gtest.h>

#include "server/internal/api_handler.h"
#include "server/object_registry.h"
#include "server/type_catalog.h"
#include "store/open_store.h"
#include "tests/testing/temp_dir.h"

namespace kstack::server::internal {
namespace {

constexpr const char* kConfigMaps = "/api/v1/namespaces/default/configmaps";
constexpr const char* kApply = "application/apply-patch+yaml";

class ServerSideApplyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::OpenStore({.data_dir = dir_.path()});
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    store_ = std::move(*opened);
    registry_ = std::make_unique<ObjectRegistry>(store_.get(), &clock_);
    const ResourceType* namespaces = machinery::FindBuiltinResource("", "v1", "namespaces");
    ASSERT_TRUE(
        registry_->Create(*namespaces, "", *ParseJson(R"({"metadata":{"name":"default"}})")).ok());
    handler_ = std::make_unique<ApiHandler>(registry_.get(), &catalog_, &clock_, "127.0.0.1:1");
  }
  Response Send(std::string method, std::string target, std::string body = "",
                std::string content_type = "application/json", std::string user_agent = "") {
    return handler_->Handle(Request{
        .method = std::move(method),
        .target = std::move(target),
        .body = std::move(body),
        .content_type = std::move(content_type),
        .user_agent = std::move(user_agent),
        .identity = {.authenticated = true, .user = "kstack-admin", .groups = {"system:masters"}}});
  }
  static Json Body(const Response& r) {
    Result<Json> body = ParseJson(r.body);
    EXPECT_TRUE(body.ok()) << r.body;
    return body.ok() ? *body : Json();
  }
  // "manager/operation" of each managedFields entry.
  std::string Managers(const Json& object) {
    std::string out;
    const JsonArray* list = FindArray(object.at("metadata"), "managedFields");
    if (list == nullptr) return out;
    for (const Json& e : *list) {
      out += std::string(FindString(e, "manager")) + "/" + std::string(FindString(e, "operation")) +
             " ";
    }
    return out;
  }

  kstack::testing::TempDir dir_;
  FakeClock clock_;
  TypeCatalog catalog_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<ObjectRegistry> registry_;
  std::unique_ptr<ApiHandler> handler_;
};

constexpr const char* kSettings = R"(apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  mode: fast
)";

TEST_F(ServerSideApplyTest, ApplyWithoutFieldManagerIsInvalidAndStoresNothing) {
  Response r = Send("PATCH", std::string(kConfigMaps) + "/settings", kSettings, kApply);
  EXPECT_EQ(r.code, 422);
  Json body = Body(r);
  EXPECT_EQ(FindString(body, "reason"), "Invalid");
  EXPECT_EQ(FindString(body, "message"),
            "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required "
            "for apply patch");
  EXPECT_EQ(WriteJson(body.at("details").at("causes")),
            R"([{"reason":"FieldValueRequired","message":"Required value: is required for apply )"
            R"(patch","field":"fieldManager"}])");
  EXPECT_EQ(Send("GET", std::string(kConfigMaps) + "/settings").code, 404);
}

TEST_F(ServerSideApplyTest, ApplyCreatesThenUpdates) {
  std::string url = std::string(kConfigMaps) + "/settings?fieldManager=deployer";
  Response created = Send("PATCH", url, kSettings, kApply);
  ASSERT_EQ(created.code, 201) << created.body;
  Json object = Body(created);
  EXPECT_EQ(Managers(object), "deployer/Apply ");
  EXPECT_EQ(WriteJson(object.at("metadata").at("managedFields").at(0).at("fieldsV1")),
            R"({"f:data":{"f:mode":{}}})");
  // JSON is YAML too.
  Response updated = Send(
      "PATCH", url,
      R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"settings"},"data":{"mode":"slow"}})",
      kApply);
  ASSERT_EQ(updated.code, 200) << updated.body;
  EXPECT_EQ(FindString(Body(updated).at("data"), "mode"), "slow");
}

TEST_F(ServerSideApplyTest, ConflictIsStatus409WithACausePerField) {
  ASSERT_EQ(
      Send("PATCH", std::string(kConfigMaps) + "/settings?fieldManager=a", kSettings, kApply).code,
      201);
  std::string changed = R"(apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  mode: slow
)";
  Response r =
      Send("PATCH", std::string(kConfigMaps) + "/settings?fieldManager=b", changed, kApply);
  EXPECT_EQ(r.code, 409);
  Json body = Body(r);
  EXPECT_EQ(FindString(body, "reason"), "Conflict");
  EXPECT_EQ(FindString(body, "message"),
            "Apply failed with 1 conflict: conflict with \"a\": .data.mode");
  EXPECT_EQ(WriteJson(body.at("details").at("causes")),
            R"([{"reason":"FieldManagerConflict","message":"conflict with \"a\"",)"
            R"("field":".data.mode"}])");
  Response forced = Send("PATCH", std::string(kConfigMaps) + "/settings?fieldManager=b&force=true",
                         changed, kApply);
  ASSERT_EQ(forced.code, 200) << forced.body;
  EXPECT_EQ(Managers(Body(forced)), "b/Apply ");  // a owned nothing else: its entry is gone
}

TEST_F(ServerSideApplyTest, WritesRecordTheManagerOfTheRequestOrItsUserAgent) {
  Response created = Send("POST", kConfigMaps,
                          R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"settings"},)"
                          R"("data":{"mode":"fast"}})",
                          "application/json", "kubectl/v1.32.4 (linux/amd64) kubernetes/4cb5f07");
  ASSERT_EQ(created.code, 201) << created.body;
  EXPECT_EQ(Managers(Body(created)), "kubectl/Update ");
  Response patched =
      Send("PATCH", std::string(kConfigMaps) + "/settings?fieldManager=kubectl-patch",
           R"({"data":{"size":"large"}})", "application/merge-patch+json");
  ASSERT_EQ(patched.code, 200) << patched.body;
  EXPECT_EQ(Managers(Body(patched)), "kubectl/Update kubectl-patch/Update ");
  // The manager's fields are the ones it changed.
  EXPECT_EQ(WriteJson(Body(patched).at("metadata").at("managedFields").at(1).at("fieldsV1")),
            R"({"f:data":{"f:size":{}}})");
}

TEST_F(ServerSideApplyTest, ForceIsOnlyForApply) {
  Response r = Send("PATCH", std::string(kConfigMaps) + "/settings?force=true",
                    R"({"data":{"a":"b"}})", "application/merge-patch+json");
  EXPECT_EQ(r.code, 422);
  EXPECT_EQ(FindString(Body(r), "message"),
            "PatchOptions.meta.k8s.io \"\" is invalid: force: Forbidden: may not be specified for "
            "non-apply patch");
}

TEST_F(ServerSideApplyTest, AppliedObjectMustNameTheRequestsObject) {
  Response r = Send("PATCH", std::string(kConfigMaps) + "/other?fieldManager=a", kSettings, kApply);
  EXPECT_EQ(r.code, 400);
  EXPECT_EQ(FindString(Body(r), "message"),
            "the name of the object (settings) does not match the name on the URL (other)");
  Response bad = Send("PATCH", std::string(kConfigMaps) + "/settings?fieldManager=a",
                      "data: [unclosed", kApply);
  EXPECT_EQ(bad.code, 400) << bad.body;
}

}  // namespace
}  // namespace kstack::server::internal
