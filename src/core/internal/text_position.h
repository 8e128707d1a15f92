#pragma once

#include <cstddef>
#include <string_view>

namespace kstack {

// A 1-based line and column (counted in bytes) of a place in a text.
struct TextPosition {
  int line = 1;
  int column = 1;
};

// The position of byte `offset` of `text`; offsets past the end give the end's position.
inline TextPosition PositionAt(std::string_view text, size_t offset) {
  TextPosition pos;
  if (offset > text.size()) offset = text.size();
  size_t line_start = 0;
  for (size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++pos.line;
      line_start = i + 1;
    }
  }
  pos.column = static_cast<int>(offset - line_start) + 1;
  return pos;
}

}  // namespace kstack
