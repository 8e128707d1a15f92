#include "kube/resource_ref.h"

#include <gtest/gtest.h>

namespace kstack::kube {
namespace {

TEST(RefOfTest, ReadsGroupVersionKindNamespaceAndName) {
  Result<ResourceRef> ref = RefOf({{"apiVersion", "apps/v1"},
                                   {"kind", "Deployment"},
                                   {"metadata", {{"name", "web"}, {"namespace", "shop"}}}});
  ASSERT_TRUE(ref.ok()) << ref.status().ToString();
  EXPECT_EQ(ref->group, "apps");
  EXPECT_EQ(ref->version, "v1");
  EXPECT_EQ(ref->kind, "Deployment");
  EXPECT_TRUE(ref->resource.empty());
  EXPECT_EQ(ref->namespace_name, "shop");
  EXPECT_EQ(ref->name, "web");
  EXPECT_EQ(GroupVersion(*ref), "apps/v1");

  Result<ResourceRef> core =
      RefOf({{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", "shop"}}}});
  ASSERT_TRUE(core.ok());
  EXPECT_EQ(core->group, "");
  EXPECT_EQ(GroupVersion(*core), "v1");
  EXPECT_EQ(core->namespace_name, "");
}

TEST(RefOfTest, NamesTheBadField) {
  EXPECT_EQ(RefOf({{"kind", "Pod"}}).status().message(), "apiVersion: required");
  EXPECT_EQ(RefOf({{"apiVersion", "v1"}}).status().message(), "kind: required");
  EXPECT_EQ(RefOf({{"apiVersion", "a/b/c"}, {"kind", "X"}}).status().message(),
            "apiVersion: \"a/b/c\" is not group/version");
  EXPECT_EQ(RefOf({{"apiVersion", "/v1"}, {"kind", "X"}}).status().reason(), Reason::kInvalid);
  EXPECT_EQ(RefOf(Json("text")).status().reason(), Reason::kInvalid);
}

}  // namespace
}  // namespace kstack::kube
