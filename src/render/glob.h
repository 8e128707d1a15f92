#pragma once

// The glob patterns of a directory source's `include` and `exclude`, read as Argo CD reads them
// (github.com/gobwas/glob compiled without separators), matched against a file's path relative
// to the application's path ("sub/deploy.yaml"):
//
//   *  and **      any run of characters, '/' included
//   ?              any one character (a UTF-8 code point)
//   [abc] [a-z]    one character of the list or range; [!abc] [!a-z] one character not in it;
//                  a class is either one range or a list of characters, never both
//   {a,b,c}        any of the comma-separated patterns, which may nest
//   \c             the character c itself
//
// Everything else matches itself; ',' and '}' are plain characters outside braces. Where
// gobwas/glob would quietly accept a broken pattern (an unclosed '{', a trailing '\'), this
// reader refuses it, so a typo does not silently select nothing or everything.

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace kstack::render {

class Glob {
 public:
  // Errors: BadRequest "glob \"{a,b\": column 1: '{' is never closed" (columns count bytes
  // from 1).
  static Result<Glob> Compile(std::string_view pattern);

  // True when the whole of `text` matches.
  bool Match(std::string_view text) const;

  const std::string& pattern() const { return pattern_; }

  // One element of a pattern without alternatives.
  struct Token {
    enum Kind { kChar, kStar, kAnyChar, kRange, kList } kind = kChar;
    bool negated = false;
    char32_t lo = 0, hi = 0;  // kChar: lo; kRange: lo..hi
    std::u32string chars;     // kList
  };

 private:
  std::string pattern_;
  // The pattern with its braces expanded: it matches when any of these does.
  std::vector<std::vector<Token>> alternatives_;
};

}  // namespace kstack::render
