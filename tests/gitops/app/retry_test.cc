#include "gitops/app/retry.h"

#include <gtest/gtest.h>

#include "core/yaml.h"
#include "gitops/app/auto_sync.h"
#include "gitops/app/duration.h"

namespace kstack::gitops::app {
namespace {

using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

TEST(ParseDuration, GoSyntaxAndBareSeconds) {
  EXPECT_EQ(ParseDuration("5s", "f").value(), seconds(5));
  EXPECT_EQ(ParseDuration("1m30s", "f").value(), seconds(90));
  EXPECT_EQ(ParseDuration("300ms", "f").value(), milliseconds(300));
  EXPECT_EQ(ParseDuration("1.5h", "f").value(), minutes(90));
  EXPECT_EQ(ParseDuration("30", "f").value(), seconds(30));
  EXPECT_EQ(ParseDuration("0", "f").value(), seconds(0));
  EXPECT_EQ(ParseDuration("-2s", "f").value(), seconds(-2));
  for (std::string_view bad : {"", "5x", "s", "1.2.3s", "5 s", "m5"}) {
    Result<std::chrono::nanoseconds> got = ParseDuration(bad, "retry.backoff.duration");
    ASSERT_FALSE(got.ok()) << bad;
    EXPECT_EQ(got.status().reason(), Reason::kInvalid);
    EXPECT_EQ(got.status().message(),
              "retry.backoff.duration: invalid duration \"" + std::string(bad) + "\"");
  }
}

TEST(RetryStrategy, ArgoCdDefaultsAndFormula) {
  RetryStrategy defaults = ParseRetryStrategy(nullptr, "retry").value();
  EXPECT_EQ(defaults.limit, 0);
  EXPECT_FALSE(defaults.ShouldRetry(0));
  Json block = ParseYaml("{limit: 3, backoff: {duration: 5s}}").value();
  RetryStrategy r = ParseRetryStrategy(&block, "retry").value();
  EXPECT_TRUE(r.ShouldRetry(2));
  EXPECT_FALSE(r.ShouldRetry(3));
  // 5 s, factor 2, at most 3 min.
  EXPECT_EQ(r.Delay(0), seconds(5));
  EXPECT_EQ(r.Delay(1), seconds(10));
  EXPECT_EQ(r.Delay(4), seconds(80));
  EXPECT_EQ(r.Delay(6), minutes(3));
  Json forever =
      ParseYaml("{limit: -1, backoff: {duration: '1', factor: 3, maxDuration: 1m}}").value();
  RetryStrategy f = ParseRetryStrategy(&forever, "retry").value();
  EXPECT_TRUE(f.ShouldRetry(1000));
  EXPECT_EQ(f.Delay(2), seconds(9));
  EXPECT_EQ(f.Delay(10), minutes(1));
}

TEST(RetryStrategy, NamesTheFieldAtFault) {
  Json bad = ParseYaml("{limit: 2, backoff: {factor: two}}").value();
  Result<RetryStrategy> got = ParseRetryStrategy(&bad, "spec.syncPolicy.retry");
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().message(), "spec.syncPolicy.retry.backoff.factor: must be an integer");
  bad = ParseYaml("{backoff: {duration: 5y}}").value();
  got = ParseRetryStrategy(&bad, "spec.syncPolicy.retry");
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().message(),
            "spec.syncPolicy.retry.backoff.duration: invalid duration \"5y\"");
}

TEST(SelfHealBackoff, ArgoCdThreesSteps) {
  SelfHealBackoff b;
  EXPECT_EQ(b.Delay(0), seconds(0));
  EXPECT_EQ(b.Delay(1), seconds(2));
  EXPECT_EQ(b.Delay(2), seconds(6));
  EXPECT_EQ(b.Delay(3), seconds(18));
  EXPECT_EQ(b.Delay(6), seconds(300));  // 486 s capped at 5 min
  EXPECT_EQ(b.Delay(20), seconds(300));
}

}  // namespace
}  // namespace kstack::gitops::app
