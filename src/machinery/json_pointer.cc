#include "machinery/json_pointer.h"

#include <fmt/format.h>

namespace kstack::machinery {

Result<std::vector<std::string>> ParseJsonPointer(std::string_view pointer) {
  std::vector<std::string> tokens;
  if (pointer.empty()) return tokens;
  if (pointer.front() != '/') {
    return BadRequestError(fmt::format("JSON pointer \"{}\" must start with \"/\"", pointer));
  }
  std::string token;
  for (size_t i = 1; i <= pointer.size(); ++i) {
    if (i == pointer.size() || pointer[i] == '/') {
      tokens.push_back(std::move(token));
      token.clear();
      continue;
    }
    if (pointer[i] != '~') {
      token.push_back(pointer[i]);
      continue;
    }
    if (i + 1 < pointer.size() && (pointer[i + 1] == '0' || pointer[i + 1] == '1')) {
      token.push_back(pointer[i + 1] == '0' ? '~' : '/');
      ++i;
      continue;
    }
    return BadRequestError(
        fmt::format("JSON pointer \"{}\" has an invalid escape: \"~\" must be \"~0\" or \"~1\"",
                    pointer));
  }
  return tokens;
}

}  // namespace kstack::machinery
