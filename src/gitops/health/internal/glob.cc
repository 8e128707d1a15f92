#include "gitops/health/internal/glob.h"

#include <string>

namespace kstack::gitops::health::internal {
namespace {

// Length of the `{...}` group starting at `open` (the brace included), npos when unclosed.
size_t GroupEnd(std::string_view p, size_t open) {
  int depth = 0;
  for (size_t i = open; i < p.size(); ++i) {
    if (p[i] == '\\') {
      ++i;
    } else if (p[i] == '{') {
      ++depth;
    } else if (p[i] == '}' && --depth == 0) {
      return i;
    }
  }
  return std::string_view::npos;
}

// Matches the set starting at p[i] == '['; sets *next past the `]`. False when unclosed.
bool MatchSet(std::string_view p, size_t i, char c, size_t* next, bool* matched) {
  ++i;
  bool negate = i < p.size() && (p[i] == '!' || p[i] == '^');
  if (negate) ++i;
  bool hit = false;
  bool first = true;
  while (i < p.size() && (p[i] != ']' || first)) {
    first = false;
    char lo = p[i];
    if (lo == '\\' && i + 1 < p.size()) lo = p[++i];
    char hi = lo;
    if (i + 2 < p.size() && p[i + 1] == '-' && p[i + 2] != ']') {
      hi = p[i + 2];
      if (hi == '\\' && i + 3 < p.size()) {
        hi = p[i + 3];
        ++i;
      }
      i += 2;
    }
    if (lo <= c && c <= hi) hit = true;
    ++i;
  }
  if (i >= p.size()) return false;
  *next = i + 1;
  *matched = hit != negate;
  return true;
}

bool Match(std::string_view p, std::string_view t, bool sep) {
  size_t i = 0;
  while (i < p.size()) {
    char c = p[i];
    if (c == '*') {
      while (i < p.size() && p[i] == '*') ++i;
      std::string_view rest = p.substr(i);
      for (size_t k = 0; k <= t.size(); ++k) {
        if (Match(rest, t.substr(k), sep)) return true;
        if (k < t.size() && sep && t[k] == '/') return false;
      }
      return false;
    }
    if (c == '{') {
      size_t end = GroupEnd(p, i);
      if (end != std::string_view::npos) {
        std::string_view rest = p.substr(end + 1);
        size_t start = i + 1;
        int depth = 0;
        for (size_t k = i + 1; k <= end; ++k) {
          if (p[k] == '\\') {
            ++k;
            continue;
          }
          if (p[k] == '{') ++depth;
          if (p[k] == '}' && depth > 0) {
            --depth;
            continue;
          }
          if ((p[k] == ',' && depth == 0) || k == end) {
            std::string alternative(p.substr(start, k - start));
            alternative += rest;
            if (Match(alternative, t, sep)) return true;
            start = k + 1;
          }
        }
        return false;
      }
    }
    if (t.empty()) return false;
    if (c == '?') {
      if (sep && t[0] == '/') return false;
    } else if (c == '[') {
      size_t next = 0;
      bool matched = false;
      if (MatchSet(p, i, t[0], &next, &matched)) {
        if (!matched || (sep && t[0] == '/')) return false;
        i = next;
        t.remove_prefix(1);
        continue;
      }
      if (t[0] != '[') return false;
    } else {
      if (c == '\\' && i + 1 < p.size()) c = p[++i];
      if (t[0] != c) return false;
    }
    ++i;
    t.remove_prefix(1);
  }
  return t.empty();
}

}  // namespace

bool GlobMatch(std::string_view pattern, std::string_view text, bool slash_is_separator) {
  return Match(pattern, text, slash_is_separator);
}

bool IsGlob(std::string_view pattern) {
  return pattern.find_first_of("*?[{\\") != std::string_view::npos;
}

}  // namespace kstack::gitops::health::internal
