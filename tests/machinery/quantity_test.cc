#include "machinery/quantity.h"

#include <gtest/gtest.h>

namespace kstack::machinery {
namespace {

struct Case {
  std::string_view text;
  std::string_view canonical;  // "" when the text is not a quantity
};

TEST(CanonicalQuantity, TakesKubernetesCanonicalText) {
  const Case kCases[] = {
      {"0", "0"},
      {"0m", "0"},
      {"1", "1"},
      {"1000m", "1"},
      {"100m", "100m"},
      {"0.1", "100m"},
      {"1.5", "1500m"},
      {"1.0", "1"},
      {"01", "1"},
      {"+1", "1"},
      {"1000", "1k"},
      {"1500", "1500"},
      {"1k", "1k"},
      {"1000k", "1M"},
      {"2000000", "2M"},
      {"1G", "1G"},
      {"12E", "12E"},
      {"5n", "5n"},
      {"0.5m", "500u"},
      {"0.0000000001", "1n"},
      {"1.0000000001", "1000000001n"},
      {"-1500m", "-1500m"},
      {"-0", "0"},
      {"1024Mi", "1Gi"},
      {"1536Mi", "1536Mi"},
      {"1.5Gi", "1536Mi"},
      {"0.5Gi", "512Mi"},
      {"1.5Ki", "1536"},
      {"512Ki", "512Ki"},
      {"1Ki", "1Ki"},
      {"1024Ki", "1Mi"},
      {"1Ei", "1Ei"},
      {"0.5Ki", "512"},
      {"1e3", "1e3"},
      {"1000e0", "1e3"},
      {"1.5e3", "1500"},
      {"1e-3", "1e-3"},
      {"12e6", "12e6"},
      {"1E3", "1e3"},
      {"abc", ""},
      {"", ""},
      {"1.2.3", ""},
      {"Mi", ""},
      {"1Xi", ""},
      {"1 Mi", ""},
      {".", ""},
      {"1e", ""},
      {"--1", ""},
  };
  for (const Case& c : kCases) {
    std::optional<std::string> got = CanonicalQuantity(c.text);
    if (c.canonical.empty()) {
      EXPECT_FALSE(got.has_value()) << c.text << " read as " << *got;
    } else {
      ASSERT_TRUE(got.has_value()) << c.text;
      EXPECT_EQ(*got, c.canonical) << c.text;
    }
  }
}

TEST(CanonicalQuantity, ReadsJsonNumbers) {
  EXPECT_EQ(CanonicalQuantityOf(Json(0.5)), "500m");
  EXPECT_EQ(CanonicalQuantityOf(Json(2)), "2");
  EXPECT_EQ(CanonicalQuantityOf(Json(1000)), "1k");
  EXPECT_EQ(CanonicalQuantityOf(Json(1.5e9)), "1500M");
  EXPECT_EQ(CanonicalQuantityOf(Json("250m")), "250m");
  EXPECT_FALSE(CanonicalQuantityOf(Json(true)).has_value());
  EXPECT_FALSE(CanonicalQuantityOf(Json(nullptr)).has_value());
}

TEST(CanonicalQuantity, KeepsAmountsBeyondItsRange) {
  EXPECT_FALSE(CanonicalQuantity("1" + std::string(40, '0')).has_value());
  EXPECT_EQ(CanonicalQuantity("123456789012345678901234567890"), "123456789012345678901234567890");
}

}  // namespace
}  // namespace kstack::machinery
