#include "template/internal/literals.h"

#include <charconv>
#include <cstdlib>

#include "template/internal/runes.h"

namespace kstack::tmpl::internal {
namespace {

std::string StripUnderscores(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c != '_') out.push_back(c);
  }
  return out;
}

// strconv.ParseUint(s, 0, 64) on the magnitude (no sign).
bool ParseMagnitude(std::string_view s, uint64_t* out) {
  int base = 10;
  if (s.size() > 1 && s[0] == '0') {
    char p = s[1];
    if (p == 'x' || p == 'X') { base = 16; s.remove_prefix(2); }
    else if (p == 'o' || p == 'O') { base = 8; s.remove_prefix(2); }
    else if (p == 'b' || p == 'B') { base = 2; s.remove_prefix(2); }
    else { base = 8; s.remove_prefix(1); }
    // Go allows one underscore between the base prefix and the first digit.
    if (s.size() > 1 && s[0] == '_' && s[1] != '_') s.remove_prefix(1);
  }
  if (s.empty() || s.front() == '_' || s.back() == '_' ||
      s.find("__") != std::string_view::npos) {
    return false;
  }
  std::string digits = StripUnderscores(s);
  auto r = std::from_chars(digits.data(), digits.data() + digits.size(), *out, base);
  return r.ec == std::errc() && r.ptr == digits.data() + digits.size();
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

bool ParseGoInt(std::string_view s, int64_t* out) {
  bool neg = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  uint64_t u = 0;
  if (!ParseMagnitude(s, &u)) return false;
  if (neg) {
    if (u > static_cast<uint64_t>(INT64_MAX) + 1) return false;
    *out = static_cast<int64_t>(0 - u);
    return true;
  }
  if (u > static_cast<uint64_t>(INT64_MAX)) return false;
  *out = static_cast<int64_t>(u);
  return true;
}

bool ParseGoUint(std::string_view s, uint64_t* out) {
  if (!s.empty() && s[0] == '+') s.remove_prefix(1);
  if (!s.empty() && s[0] == '-') return false;
  return ParseMagnitude(s, out);
}

bool ParseGoFloat(std::string_view s, double* out) {
  if (s.empty() || s.back() == '_' || s.find("__") != std::string_view::npos) return false;
  std::string t = StripUnderscores(s);
  bool hex = t.find("0x") != std::string::npos || t.find("0X") != std::string::npos;
  if (hex && t.find_first_of("pP") == std::string::npos) return false;
  char* end = nullptr;
  *out = std::strtod(t.c_str(), &end);
  return end == t.c_str() + t.size() && !t.empty();
}

bool UnquoteGo(std::string_view lit, std::string* out) {
  out->clear();
  if (lit.size() < 2) return false;
  char q = lit.front();
  if (lit.back() != q) return false;
  std::string_view body = lit.substr(1, lit.size() - 2);
  if (q == '`') {
    for (char c : body) {
      if (c != '\r') out->push_back(c);
    }
    return body.find('`') == std::string_view::npos;
  }
  if (q != '"' && q != '\'') return false;
  for (size_t i = 0; i < body.size();) {
    char c = body[i];
    if (c == q || c == '\n') return false;
    if (c != '\\') {
      out->push_back(c);
      ++i;
      continue;
    }
    if (++i >= body.size()) return false;
    char e = body[i++];
    switch (e) {
      case 'a': out->push_back('\a'); break;
      case 'b': out->push_back('\b'); break;
      case 'f': out->push_back('\f'); break;
      case 'n': out->push_back('\n'); break;
      case 'r': out->push_back('\r'); break;
      case 't': out->push_back('\t'); break;
      case 'v': out->push_back('\v'); break;
      case '\\': out->push_back('\\'); break;
      case '\'': if (q != '\'') return false; out->push_back('\''); break;
      case '"': if (q != '"') return false; out->push_back('"'); break;
      case 'x': case 'u': case 'U': {
        int n = e == 'x' ? 2 : e == 'u' ? 4 : 8;
        if (i + n > body.size()) return false;
        uint32_t v = 0;
        for (int k = 0; k < n; ++k) {
          int h = HexValue(body[i + k]);
          if (h < 0) return false;
          v = v * 16 + h;
        }
        i += n;
        if (e == 'x') {
          out->push_back(static_cast<char>(v));
        } else {
          if (v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return false;
          internal::AppendRune(out, v);
        }
        break;
      }
      default:
        if (e >= '0' && e <= '7') {
          if (i + 2 > body.size()) return false;
          int v = e - '0';
          for (int k = 0; k < 2; ++k) {
            char d = body[i + k];
            if (d < '0' || d > '7') return false;
            v = v * 8 + (d - '0');
          }
          if (v > 255) return false;
          i += 2;
          out->push_back(static_cast<char>(v));
          break;
        }
        return false;
    }
  }
  return true;
}

}  // namespace kstack::tmpl::internal
