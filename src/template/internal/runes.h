#pragma once

// UTF-8 runes as Go's unicode/utf8 reads them: an invalid byte decodes to U+FFFD and advances
// one byte. Used where Go counts or walks runes (fmt widths, substr-like Sprig functions).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kstack::tmpl::internal {

// Decodes the rune at s[*i] and advances *i. REQUIRES: *i < s.size().
char32_t DecodeRune(std::string_view s, size_t* i);
void AppendRune(std::string* out, char32_t r);
size_t RuneCount(std::string_view s);
std::vector<char32_t> Runes(std::string_view s);
std::string FromRunes(const std::vector<char32_t>& runes, size_t begin, size_t end);

// unicode.IsSpace, IsUpper, IsLower, IsLetter, IsDigit for ASCII and Latin-1; other runes are
// classified by the general rules of Unicode's letter blocks where it matters for Sprig.
bool IsSpaceRune(char32_t r);
bool IsUpperRune(char32_t r);
bool IsLowerRune(char32_t r);
bool IsLetterRune(char32_t r);
bool IsDigitRune(char32_t r);
char32_t ToUpperRune(char32_t r);
char32_t ToLowerRune(char32_t r);
// unicode.IsPrint, approximated as: not a control character, not U+FFFD from a bad byte.
bool IsPrintRune(char32_t r);

}  // namespace kstack::tmpl::internal
