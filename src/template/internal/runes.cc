#include "template/internal/runes.h"

namespace kstack::tmpl::internal {

char32_t DecodeRune(std::string_view s, size_t* i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(s[*i + k]); };
  unsigned char c = byte(0);
  if (c < 0x80) {
    ++*i;
    return c;
  }
  size_t len = (c >= 0xC2 && c < 0xE0) ? 2 : (c >= 0xE0 && c < 0xF0) ? 3
             : (c >= 0xF0 && c <= 0xF4) ? 4 : 0;
  if (len == 0 || *i + len > s.size()) {
    ++*i;
    return 0xFFFD;
  }
  for (size_t k = 1; k < len; ++k) {
    if ((byte(k) & 0xC0) != 0x80) {
      ++*i;
      return 0xFFFD;
    }
  }
  if ((len == 3 && ((c == 0xE0 && byte(1) < 0xA0) || (c == 0xED && byte(1) >= 0xA0))) ||
      (len == 4 && ((c == 0xF0 && byte(1) < 0x90) || (c == 0xF4 && byte(1) >= 0x90)))) {
    ++*i;
    return 0xFFFD;
  }
  char32_t r = len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
  for (size_t k = 1; k < len; ++k) r = (r << 6) | (byte(k) & 0x3F);
  *i += len;
  return r;
}

void AppendRune(std::string* out, char32_t r) {
  if (r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF)) r = 0xFFFD;
  if (r < 0x80) {
    out->push_back(static_cast<char>(r));
  } else if (r < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (r >> 6)));
    out->push_back(static_cast<char>(0x80 | (r & 0x3F)));
  } else if (r < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (r >> 12)));
    out->push_back(static_cast<char>(0x80 | ((r >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (r & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (r >> 18)));
    out->push_back(static_cast<char>(0x80 | ((r >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((r >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (r & 0x3F)));
  }
}

size_t RuneCount(std::string_view s) {
  size_t n = 0;
  for (size_t i = 0; i < s.size(); ++n) DecodeRune(s, &i);
  return n;
}

std::vector<char32_t> Runes(std::string_view s) {
  std::vector<char32_t> out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) out.push_back(DecodeRune(s, &i));
  return out;
}

std::string FromRunes(const std::vector<char32_t>& runes, size_t begin, size_t end) {
  std::string out;
  for (size_t i = begin; i < end && i < runes.size(); ++i) AppendRune(&out, runes[i]);
  return out;
}

bool IsSpaceRune(char32_t r) {
  return r == ' ' || (r >= '\t' && r <= '\r') || r == 0x85 || r == 0xA0 || r == 0x1680 ||
         (r >= 0x2000 && r <= 0x200A) || r == 0x2028 || r == 0x2029 || r == 0x202F ||
         r == 0x205F || r == 0x3000;
}

bool IsUpperRune(char32_t r) {
  if (r < 0x80) return r >= 'A' && r <= 'Z';
  if (r >= 0xC0 && r <= 0xDE && r != 0xD7) return true;
  if (r >= 0x100 && r < 0x180) return r % 2 == 0;
  if (r >= 0x391 && r <= 0x3AB) return true;
  if (r >= 0x410 && r <= 0x42F) return true;
  return false;
}

bool IsLowerRune(char32_t r) {
  if (r < 0x80) return r >= 'a' && r <= 'z';
  if (r >= 0xDF && r <= 0xFF && r != 0xF7) return true;
  if (r >= 0x100 && r < 0x180) return r % 2 == 1;
  if (r >= 0x3B1 && r <= 0x3CB) return true;
  if (r >= 0x430 && r <= 0x44F) return true;
  return false;
}

bool IsLetterRune(char32_t r) {
  if (r < 0x80) return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z');
  if (r == 0xAA || r == 0xB5 || r == 0xBA) return true;
  if (r >= 0xC0 && r <= 0x24F && r != 0xD7 && r != 0xF7) return true;
  if (r >= 0x370 && r <= 0x3FF) return true;
  if (r >= 0x400 && r <= 0x52F) return true;
  if (r >= 0x4E00 && r <= 0x9FFF) return true;
  return false;
}

bool IsDigitRune(char32_t r) { return r >= '0' && r <= '9'; }

char32_t ToUpperRune(char32_t r) {
  if (r >= 'a' && r <= 'z') return r - 32;
  if ((r >= 0xE0 && r <= 0xFE && r != 0xF7)) return r - 32;
  if (r >= 0x100 && r < 0x180 && r % 2 == 1) return r - 1;
  if (r >= 0x3B1 && r <= 0x3CB && r != 0x3C2) return r - 32;
  if (r >= 0x430 && r <= 0x44F) return r - 32;
  return r;
}

char32_t ToLowerRune(char32_t r) {
  if (r >= 'A' && r <= 'Z') return r + 32;
  if ((r >= 0xC0 && r <= 0xDE && r != 0xD7)) return r + 32;
  if (r >= 0x100 && r < 0x180 && r % 2 == 0) return r + 1;
  if (r >= 0x391 && r <= 0x3AB) return r + 32;
  if (r >= 0x410 && r <= 0x42F) return r + 32;
  return r;
}

bool IsPrintRune(char32_t r) {
  if (r < 0x20 || r == 0x7F) return false;
  if (r >= 0x80 && r < 0xA0) return false;
  if (r == 0xAD) return false;
  if (r >= 0xD800 && r <= 0xDFFF) return false;
  if (r == 0xFEFF || r == 0xFFFD + 1 || r > 0x10FFFF) return false;
  return true;
}

}  // namespace kstack::tmpl::internal
