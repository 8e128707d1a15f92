#include "core/log.h"

#include <gtest/gtest.h>

namespace kstack::log {
namespace {

TEST(Log, LevelsFilterAndParse) {
  Level level;
  ASSERT_TRUE(ParseLevel("debug", &level));
  EXPECT_EQ(level, Level::kDebug);
  ASSERT_TRUE(ParseLevel("warn", &level));
  EXPECT_FALSE(ParseLevel("loud", &level));
  EXPECT_EQ(level, Level::kWarn);

  SetLevel(Level::kWarn);
  EXPECT_FALSE(Enabled(Level::kInfo));
  EXPECT_TRUE(Enabled(Level::kWarn));
  EXPECT_TRUE(Enabled(Level::kError));
  SetLevel(Level::kOff);
  EXPECT_FALSE(Enabled(Level::kError));
  SetLevel(Level::kInfo);
  EXPECT_TRUE(Enabled(Level::kInfo));
  EXPECT_FALSE(Enabled(Level::kDebug));
}

TEST(Log, WritesFormattedLinesToStderr) {
  ::testing::internal::CaptureStderr();
  Info("listening on {}:{}", "127.0.0.1", 6443);
  Debug("hidden {}", 1);
  std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_NE(err.find("listening on 127.0.0.1:6443"), std::string::npos) << err;
  EXPECT_EQ(err.find("hidden"), std::string::npos) << err;
}

}  // namespace
}  // namespace kstack::log
