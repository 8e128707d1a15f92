#include "server/workloads/objects.h"

#include <gtest/gtest.h>

namespace kstack::server::workloads {
namespace {

Json J(std::string_view text) { return *ParseJson(text); }

TEST(WorkloadObjectsTest, MilliValueReadsQuantities) {
  EXPECT_EQ(MilliValue("100m"), 100);
  EXPECT_EQ(MilliValue("1"), 1000);
  EXPECT_EQ(MilliValue("0.5"), 500);
  EXPECT_EQ(MilliValue("1Ki"), 1024000);
  EXPECT_EQ(MilliValue("1Gi"), 1073741824000);
  EXPECT_EQ(MilliValue("2k"), 2000000);
  EXPECT_EQ(MilliValue("1e3"), 1000000);
  EXPECT_EQ(MilliValue("1n"), 1);  // rounded up, as Quantity.MilliValue does
  EXPECT_EQ(MilliValue("abc"), std::nullopt);
  EXPECT_EQ(MilliValue("1Zi"), std::nullopt);
  EXPECT_EQ(MilliValueOf(J("2")), 2000);
}

TEST(WorkloadObjectsTest, ScaledValueRoundsPercentagesAsDeploymentsDo) {
  Json quarter = "25%";
  EXPECT_EQ(ScaledValue(&quarter, 10, true, 0), 3);
  EXPECT_EQ(ScaledValue(&quarter, 10, false, 0), 2);
  Json two = 2;
  EXPECT_EQ(ScaledValue(&two, 10, true, 0), 2);
  EXPECT_EQ(ScaledValue(nullptr, 10, true, 7), 7);
}

TEST(WorkloadObjectsTest, TemplateHashIsStableAndOrderBlind) {
  Json a = J(
      R"({"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"c","image":"nginx"}]}})");
  Json b = J(
      R"({"spec":{"containers":[{"image":"nginx","name":"c"}]},"metadata":{"labels":{"app":"web"}}})");
  Json c = J(
      R"({"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"c","image":"nginx:2"}]}})");
  EXPECT_EQ(TemplateHash(a), TemplateHash(b));
  EXPECT_NE(TemplateHash(a), TemplateHash(c));
  EXPECT_NE(TemplateHash(a), TemplateHash(a, 1));
  for (char ch : TemplateHash(a)) {
    EXPECT_NE(std::string_view("bcdfghjklmnpqrstvwxz2456789").find(ch), std::string_view::npos);
  }
}

TEST(WorkloadObjectsTest, ConditionsKeepTransitionTimesWhileTheStatusHolds) {
  Json conditions;
  EXPECT_TRUE(SetCondition(conditions, "Ready", "False", "Starting", "", "t1", true));
  EXPECT_FALSE(SetCondition(conditions, "Ready", "False", "Starting", "", "t2", true));
  EXPECT_TRUE(SetCondition(conditions, "Ready", "False", "Waiting", "", "t3", true));
  EXPECT_EQ(FindString(conditions.as_array()[0], "lastTransitionTime"), "t1");
  EXPECT_EQ(FindString(conditions.as_array()[0], "lastUpdateTime"), "t3");
  EXPECT_TRUE(SetCondition(conditions, "Ready", "True", "Up", "", "t4", true));
  EXPECT_EQ(FindString(conditions.as_array()[0], "lastTransitionTime"), "t4");
}

}  // namespace
}  // namespace kstack::server::workloads
