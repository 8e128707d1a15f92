// Sprig's base64 and base32 functions. A failed decode gives Go's error text as the result,
// as Sprig does.

#include "core/base64.h"
#include "template/sprig/util.h"

namespace kstack::tmpl::sprig {
namespace {

constexpr char kBase32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

std::string EncodeBase32(std::string_view data) {
  std::string out;
  for (size_t i = 0; i < data.size(); i += 5) {
    uint64_t chunk = 0;
    size_t n = std::min<size_t>(5, data.size() - i);
    for (size_t k = 0; k < 5; ++k) {
      chunk = (chunk << 8) | (k < n ? static_cast<unsigned char>(data[i + k]) : 0);
    }
    static const int kChars[] = {0, 2, 4, 5, 7, 8};
    int chars = kChars[n];
    for (int k = 0; k < 8; ++k) {
      out += k < chars ? kBase32[(chunk >> (35 - 5 * k)) & 31] : '=';
    }
  }
  return out;
}

std::optional<std::string> DecodeBase32(std::string_view text, size_t* bad) {
  std::string out;
  uint64_t buf = 0;
  int bits = 0;
  size_t i = 0;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\r' || c == '\n') continue;
    if (c == '=') break;
    const char* p = std::strchr(kBase32, c);
    if (!p || c == 0) {
      *bad = i;
      return std::nullopt;
    }
    buf = (buf << 5) | static_cast<uint64_t>(p - kBase32);
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buf >> bits) & 0xFF));
    }
  }
  for (; i < text.size(); ++i) {
    if (text[i] != '=') {
      *bad = i;
      return std::nullopt;
    }
  }
  return out;
}

}  // namespace

// The offset encoding/base64's StdEncoding reports for text it cannot decode (its
// CorruptInputError), following its decoder: newlines are skipped, "=" pads a quantum of two or
// three characters, nothing may follow the padding.
size_t Base64ErrorOffset(std::string_view src) {
  auto in_alphabet = [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           c == '+' || c == '/';
  };
  auto skip_newlines = [&](size_t si) {
    while (si < src.size() && (src[si] == '\n' || src[si] == '\r')) ++si;
    return si;
  };
  size_t si = 0;
  while (true) {
    size_t j = 0;
    for (; j < 4; ++j) {
      si = skip_newlines(si);
      if (si == src.size()) return j == 0 ? src.size() : si - j;
      char c = src[si++];
      if (in_alphabet(c)) continue;
      if (c != '=') return si - 1;
      if (j < 2) return si - 1;  // padding too early
      if (j == 2) {
        si = skip_newlines(si);
        if (si == src.size()) return src.size();  // not enough padding
        if (src[si] != '=') return si - 1;
        ++si;
      }
      si = skip_newlines(si);
      return si < src.size() ? si : src.size();  // trailing garbage, or none
    }
  }
}

void AddEncoding(FuncMap* m) {
  m->Add("b64enc", Fn({P::kString}, [](CallContext&, Args a) -> FuncResult {
    return Str(EncodeBase64(a[0].string_value()));
  }));
  m->Add("b64dec", Fn({P::kString}, [](CallContext&, Args a) -> FuncResult {
    std::optional<std::string> d = DecodeBase64(a[0].string_value());
    if (!d) {
      return Str("illegal base64 data at input byte " +
                 std::to_string(Base64ErrorOffset(a[0].string_value())));
    }
    return Str(std::move(*d));
  }));
  m->Add("b32enc", Fn({P::kString}, [](CallContext&, Args a) -> FuncResult {
    return Str(EncodeBase32(a[0].string_value()));
  }));
  m->Add("b32dec", Fn({P::kString}, [](CallContext&, Args a) -> FuncResult {
    size_t bad = 0;
    std::optional<std::string> d = DecodeBase32(a[0].string_value(), &bad);
    if (!d) return Str("illegal base32 data at input byte " + std::to_string(bad));
    return Str(std::move(*d));
  }));
}

}  // namespace kstack::tmpl::sprig
