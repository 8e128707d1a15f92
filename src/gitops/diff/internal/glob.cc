#include "gitops/diff/internal/glob.h"

#include <string>

namespace kstack::gitops::diff::internal {
namespace {

// Expands the first {a,b} group; false when the pattern has an unclosed one.
bool FirstAlternatives(std::string_view pattern, size_t* open, size_t* close) {
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '\\') {
      ++i;
      continue;
    }
    if (pattern[i] == '{') {
      size_t end = pattern.find('}', i);
      if (end == std::string_view::npos) return false;
      *open = i;
      *close = end;
      return true;
    }
  }
  *open = *close = std::string_view::npos;
  return true;
}

// Matches a class at pattern[i] == '['; sets *next past it. False when unclosed.
bool ClassMatches(std::string_view pattern, size_t i, char c, bool* matched, size_t* next) {
  size_t j = i + 1;
  bool negate = j < pattern.size() && (pattern[j] == '!' || pattern[j] == '^');
  if (negate) ++j;
  bool found = false;
  bool first = true;
  while (j < pattern.size() && (pattern[j] != ']' || first)) {
    first = false;
    char lo = pattern[j];
    char hi = lo;
    if (j + 2 < pattern.size() && pattern[j + 1] == '-' && pattern[j + 2] != ']') {
      hi = pattern[j + 2];
      j += 2;
    }
    if (c >= lo && c <= hi) found = true;
    ++j;
  }
  if (j >= pattern.size()) return false;
  *matched = found != negate;
  *next = j + 1;
  return true;
}

// Matches without {} groups; `valid` turns false on an unclosed class.
bool Simple(std::string_view p, std::string_view t, bool* valid) {
  size_t pi = 0, ti = 0;
  size_t star = std::string_view::npos, star_t = 0;
  while (ti < t.size()) {
    if (pi < p.size()) {
      char pc = p[pi];
      if (pc == '*') {
        star = ++pi;
        star_t = ti;
        continue;
      }
      if (pc == '?') {
        ++pi, ++ti;
        continue;
      }
      if (pc == '[') {
        bool matched = false;
        size_t next = 0;
        if (!ClassMatches(p, pi, t[ti], &matched, &next)) {
          *valid = false;
          return false;
        }
        if (matched) {
          pi = next, ++ti;
          continue;
        }
      } else {
        if (pc == '\\' && pi + 1 < p.size()) pc = p[pi + 1];
        if (pc == t[ti]) {
          pi += p[pi] == '\\' && pi + 1 < p.size() ? 2 : 1;
          ++ti;
          continue;
        }
      }
    }
    if (star == std::string_view::npos) return false;
    pi = star;
    ti = ++star_t;
  }
  while (pi < p.size() && p[pi] == '*') ++pi;
  return pi == p.size();
}

bool Match(std::string_view pattern, std::string_view text, bool* valid) {
  size_t open = 0, close = 0;
  if (!FirstAlternatives(pattern, &open, &close)) {
    *valid = false;
    return false;
  }
  if (open == std::string_view::npos) return Simple(pattern, text, valid);
  std::string_view head = pattern.substr(0, open);
  std::string_view tail = pattern.substr(close + 1);
  std::string_view options = pattern.substr(open + 1, close - open - 1);
  size_t start = 0;
  while (true) {
    size_t comma = options.find(',', start);
    std::string_view option = options.substr(
        start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    std::string expanded = std::string(head) + std::string(option) + std::string(tail);
    if (Match(expanded, text, valid)) return true;
    if (!*valid || comma == std::string_view::npos) return false;
    start = comma + 1;
  }
}

}  // namespace

bool GlobMatch(std::string_view pattern, std::string_view text) {
  bool valid = true;
  bool matched = Match(pattern, text, &valid);
  if (!valid) return pattern == text;
  return matched;
}

}  // namespace kstack::gitops::diff::internal
