#include "render/internal/envsubst.h"

namespace kstack::render::internal {
namespace {

// One-character names of the shell: $1, $#, $$...
bool IsSpecial(char c) {
  return (c >= '0' && c <= '9') || c == '*' || c == '#' || c == '$' || c == '@' || c == '!' ||
         c == '?' || c == '-';
}

bool IsNameChar(char c) {
  return c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// The name after a '$' at the start of `rest`, and how many characters it spans. An empty name
// with a non-zero width is malformed and dropped; with width 0 the '$' is kept.
std::pair<std::string_view, size_t> NameAt(std::string_view rest) {
  if (rest[0] == '{') {
    if (rest.size() > 2 && IsSpecial(rest[1]) && rest[2] == '}') return {rest.substr(1, 1), 3};
    size_t close = rest.find('}', 1);
    if (close == std::string_view::npos) return {{}, 1};
    if (close == 1) return {{}, 2};
    return {rest.substr(1, close - 1), close + 1};
  }
  if (IsSpecial(rest[0])) return {rest.substr(0, 1), 1};
  size_t n = 0;
  while (n < rest.size() && IsNameChar(rest[n])) ++n;
  return {rest.substr(0, n), n};
}

}  // namespace

std::string ExpandEnv(std::string_view text, const std::map<std::string, std::string>& env) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] != '$' || i + 1 == text.size()) {
      out += text[i++];
      continue;
    }
    auto [name, width] = NameAt(text.substr(i + 1));
    if (name.empty()) {
      if (width == 0) out += '$';
    } else if (name == "$") {
      out += '$';
    } else if (auto it = env.find(std::string(name)); it != env.end()) {
      out += it->second;
    }
    i += 1 + width;
  }
  return out;
}

}  // namespace kstack::render::internal
