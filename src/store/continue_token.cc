#include "store/internal/continue_token.h"

#include <charconv>

namespace kstack::store::internal {

std::string EncodeContinueToken(const ContinueToken& token) {
  return std::to_string(token.revision) + ":" + token.last_key;
}

Result<ContinueToken> DecodeContinueToken(std::string_view text) {
  size_t colon = text.find(':');
  ContinueToken token;
  if (colon == std::string_view::npos || colon == 0) {
    return BadRequestError("malformed continue token");
  }
  auto [end, ec] = std::from_chars(text.data(), text.data() + colon, token.revision);
  if (ec != std::errc() || end != text.data() + colon || token.revision <= 0 ||
      colon + 1 == text.size()) {
    return BadRequestError("malformed continue token");
  }
  token.last_key = std::string(text.substr(colon + 1));
  return token;
}

}  // namespace kstack::store::internal
