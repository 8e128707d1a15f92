#include "core/base64.h"

#include <gtest/gtest.h>

namespace kstack {
namespace {

TEST(Base64Test, EncodesWithPadding) {
  EXPECT_EQ(EncodeBase64(""), "");
  EXPECT_EQ(EncodeBase64("f"), "Zg==");
  EXPECT_EQ(EncodeBase64("fo"), "Zm8=");
  EXPECT_EQ(EncodeBase64("foo"), "Zm9v");
  EXPECT_EQ(EncodeBase64(std::string("\xff\x00\xfe", 3)), "/wD+");
}

TEST(Base64Test, DecodesAsGoDoes) {
  EXPECT_EQ(DecodeBase64("Zm9vYmFy"), std::optional<std::string>("foobar"));
  EXPECT_EQ(DecodeBase64("Zm9v\r\nYmE="), std::optional<std::string>("fooba"));
  EXPECT_EQ(DecodeBase64("/wD+"), std::optional<std::string>(std::string("\xff\x00\xfe", 3)));
  EXPECT_EQ(DecodeBase64("Zm9"), std::nullopt);     // not a multiple of four
  EXPECT_EQ(DecodeBase64("Zm=v"), std::nullopt);    // padding inside
  EXPECT_EQ(DecodeBase64("Zm9v!A=="), std::nullopt);  // outside the alphabet
}

}  // namespace
}  // namespace kstack
