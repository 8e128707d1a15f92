#include "store/internal/continue_token.h"

#include <gtest/gtest.h>

namespace kstack::store::internal {
namespace {

TEST(ContinueTokenTest, RoundTripsKeysWithColons) {
  std::string text = EncodeContinueToken({.revision = 42, .last_key = "/a:b/c"});
  auto token = DecodeContinueToken(text);
  ASSERT_TRUE(token.ok());
  EXPECT_EQ(token->revision, 42);
  EXPECT_EQ(token->last_key, "/a:b/c");
}

TEST(ContinueTokenTest, RejectsMalformedTokens) {
  for (const char* bad : {"", ":", "x:/a", "12", "12:", "-3:/a", "0:/a", "1 2:/a"}) {
    EXPECT_EQ(DecodeContinueToken(bad).status().reason(), Reason::kBadRequest) << bad;
  }
}

}  // namespace
}  // namespace kstack::store::internal
