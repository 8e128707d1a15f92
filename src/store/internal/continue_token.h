#pragma once

// The continue token of a paged list: the revision the listing is consistent at and the last
// key returned. Opaque to callers; kept readable to ease debugging.

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace kstack::store::internal {

struct ContinueToken {
  int64_t revision = 0;
  std::string last_key;
};

std::string EncodeContinueToken(const ContinueToken& token);
// Errors: kBadRequest when `text` is not a token made by EncodeContinueToken.
Result<ContinueToken> DecodeContinueToken(std::string_view text);

}  // namespace kstack::store::internal
