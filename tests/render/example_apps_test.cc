// Argo CD's example applications (../shared/testdata/argocd-example-apps) rendered as
// directory sources, as Argo CD renders them: guestbook (plain manifests), jsonnet-guestbook
// (Jsonnet with a params.libsonnet) and jsonnet-guestbook-tla (top-level arguments).

#include <gtest/gtest.h>

#include "core/manifests.h"
#include "core/yaml.h"
#include "render/directory.h"
#include "render/disk_tree.h"
#include "tests/core/golden.h"

namespace kstack::render {
namespace {

namespace fs = std::filesystem;

class ExampleApps : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = kstack::testing::SharedDir() / "testdata/argocd-example-apps";
    ASSERT_TRUE(fs::exists(root_)) << "no " << root_;
    auto tree = DiskTree::Open(root_);
    ASSERT_TRUE(tree.ok()) << tree.status().message();
    tree_ = std::move(*tree);
  }

  std::vector<RenderedObject> Render(std::string_view path, const DirectoryOptions& options) {
    auto got = RenderDirectory(*tree_, path, options);
    EXPECT_TRUE(got.ok()) << got.status().ToString();
    return got.ok() ? std::move(*got) : std::vector<RenderedObject>();
  }

  fs::path root_;
  std::unique_ptr<DiskTree> tree_;
};

std::string_view Get(const Json& object, std::string_view pointer) {
  boost::system::error_code ec;
  const Json* v = object.find_pointer(pointer, ec);
  return v != nullptr && v->is_string() ? std::string_view(v->get_string()) : "";
}

int64_t GetInt(const Json& object, std::string_view pointer) {
  boost::system::error_code ec;
  const Json* v = object.find_pointer(pointer, ec);
  return v != nullptr && v->is_int64() ? v->get_int64() : -1;
}

TEST_F(ExampleApps, GuestbookIsItsTwoFilesInOrder) {
  std::vector<RenderedObject> got = Render("guestbook", {});
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].file, "guestbook/guestbook-ui-deployment.yaml");
  EXPECT_EQ(got[1].file, "guestbook/guestbook-ui-svc.yaml");
  for (const RenderedObject& o : got) {
    // Each object is exactly what kubectl reads from its file.
    auto want = ReadManifests(kstack::testing::ReadFile(root_ / o.file), o.file);
    ASSERT_TRUE(want.ok());
    ASSERT_EQ(want->size(), 1u);
    EXPECT_EQ(o.object, (*want)[0]);
  }
  EXPECT_EQ(Get(got[0].object, "/kind"), "Deployment");
  EXPECT_EQ(Get(got[0].object, "/metadata/name"), "guestbook-ui");
  EXPECT_EQ(Get(got[0].object, "/spec/template/spec/containers/0/image"),
            "gcr.io/google-samples/gb-frontend:v5");
  EXPECT_EQ(Get(got[1].object, "/kind"), "Service");
  EXPECT_EQ(GetInt(got[1].object, "/spec/ports/0/port"), 80);
}

void ExpectJsonnetGuestbook(const std::vector<RenderedObject>& got, std::string_view file,
                            std::string_view name, int64_t replicas, std::string_view type) {
  ASSERT_EQ(got.size(), 2u);
  const Json& svc = got[0].object;
  const Json& deploy = got[1].object;
  EXPECT_EQ(got[0].file, file);
  EXPECT_EQ(got[1].file, file);
  EXPECT_EQ(Get(svc, "/apiVersion"), "v1");
  EXPECT_EQ(Get(svc, "/kind"), "Service");
  EXPECT_EQ(Get(svc, "/metadata/name"), name);
  EXPECT_EQ(Get(svc, "/spec/type"), type);
  EXPECT_EQ(GetInt(svc, "/spec/ports/0/port"), 80);
  EXPECT_EQ(GetInt(svc, "/spec/ports/0/targetPort"), 80);
  EXPECT_EQ(Get(svc, "/spec/selector/app"), name);
  EXPECT_EQ(Get(deploy, "/apiVersion"), "apps/v1");
  EXPECT_EQ(Get(deploy, "/kind"), "Deployment");
  EXPECT_EQ(Get(deploy, "/metadata/name"), name);
  EXPECT_EQ(GetInt(deploy, "/spec/replicas"), replicas);
  EXPECT_EQ(GetInt(deploy, "/spec/revisionHistoryLimit"), 3);
  EXPECT_EQ(Get(deploy, "/spec/selector/matchLabels/app"), name);
  EXPECT_EQ(Get(deploy, "/spec/template/metadata/labels/app"), name);
  EXPECT_EQ(Get(deploy, "/spec/template/spec/containers/0/image"),
            "gcr.io/google-samples/gb-frontend:v5");
  EXPECT_EQ(Get(deploy, "/spec/template/spec/containers/0/name"), name);
  EXPECT_EQ(GetInt(deploy, "/spec/template/spec/containers/0/ports/0/containerPort"), 80);
}

TEST_F(ExampleApps, JsonnetGuestbookEvaluatesWithItsParams) {
  // params.libsonnet is imported, never rendered on its own.
  std::vector<RenderedObject> got = Render("jsonnet-guestbook", {});
  ExpectJsonnetGuestbook(got, "jsonnet-guestbook/guestbook-ui.jsonnet", "jsonnet-guestbook-ui", 1,
                         "LoadBalancer");
}

TEST_F(ExampleApps, JsonnetGuestbookTlaUsesItsDefaults) {
  std::vector<RenderedObject> got = Render("jsonnet-guestbook-tla", {});
  ExpectJsonnetGuestbook(got, "jsonnet-guestbook-tla/guestbook-ui.jsonnet", "jsonnet-guestbook-ui",
                         1, "LoadBalancer");
  // Both apps declare the same objects.
  std::vector<RenderedObject> plain = Render("jsonnet-guestbook", {});
  ASSERT_EQ(plain.size(), got.size());
  for (size_t i = 0; i < got.size(); ++i) EXPECT_EQ(got[i].object, plain[i].object);
}

TEST_F(ExampleApps, JsonnetGuestbookTlaTakesTopLevelArguments) {
  DirectoryOptions options{.jsonnet = {.tlas = {{.name = "name", .value = "$ARGOCD_APP_NAME"},
                                                {.name = "replicas", .value = "3", .code = true},
                                                {.name = "type", .value = "ClusterIP"}}},
                           .env = {{"ARGOCD_APP_NAME", "tla-guestbook"}}};
  std::vector<RenderedObject> got = Render("jsonnet-guestbook-tla", options);
  ExpectJsonnetGuestbook(got, "jsonnet-guestbook-tla/guestbook-ui.jsonnet", "tla-guestbook", 3,
                         "ClusterIP");
}

TEST_F(ExampleApps, SyncWavesIsOneMultiDocumentFile) {
  std::vector<RenderedObject> got = Render("sync-waves", {});
  auto want = ReadManifests(kstack::testing::ReadFile(root_ / "sync-waves/manifests.yaml"),
                            "sync-waves/manifests.yaml");
  ASSERT_TRUE(want.ok());
  ASSERT_EQ(got.size(), want->size());
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].object, (*want)[i]);
    EXPECT_EQ(got[i].file, "sync-waves/manifests.yaml");
  }
}

}  // namespace
}  // namespace kstack::render
