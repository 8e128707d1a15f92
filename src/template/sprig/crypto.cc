// Sprig's crypto.go digests, AES and random functions on OpenSSL. Not done: bcrypt,
// htpasswd, derivePassword and the key and certificate generators.

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <cstdio>

#include "core/base64.h"
#include "template/sprig/util.h"

namespace kstack::tmpl::sprig {
namespace {

std::string Hex(const unsigned char* data, size_t n) {
  static const char* kDigits = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    out += kDigits[data[i] >> 4];
    out += kDigits[data[i] & 15];
  }
  return out;
}

std::string Digest(const EVP_MD* md, const std::string& s) {
  unsigned char buf[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(s.data(), s.size(), buf, &n, md, nullptr);
  return Hex(buf, n);
}

std::string RandomBytes(size_t n) {
  std::string out(n, '\0');
  RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n));
  return out;
}

// Random runes from `alphabet`, as goutils' CryptoRandom picks them.
std::string RandomFrom(int64_t count, std::string_view alphabet) {
  std::string out;
  if (count <= 0) return out;
  std::string bytes = RandomBytes(static_cast<size_t>(count) * 4);
  for (int64_t i = 0; i < count; ++i) {
    uint32_t r = 0;
    for (int k = 0; k < 4; ++k) r = (r << 8) | static_cast<unsigned char>(bytes[i * 4 + k]);
    out += alphabet[r % alphabet.size()];
  }
  return out;
}

Result<std::string> Aes(const std::string& password, const std::string& in, bool encrypt) {
  unsigned char key[32] = {0};
  std::memcpy(key, password.data(), std::min<size_t>(32, password.size()));
  std::string iv;
  std::string data;
  if (encrypt) {
    iv = RandomBytes(16);
    size_t pad = 16 - in.size() % 16;
    data = in + std::string(pad, static_cast<char>(pad));
  } else {
    std::optional<std::string> raw = DecodeBase64(in);
    if (!raw) return BadRequestError("illegal base64 data at input byte 0");
    if (raw->size() < 16) return BadRequestError("ciphertext too short");
    iv = raw->substr(0, 16);
    data = raw->substr(16);
    if (data.size() % 16 != 0) return BadRequestError("ciphertext is not a multiple of the block size");
  }
  std::string out(data.size(), '\0');
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  int len = 0;
  EVP_CipherInit_ex(ctx, EVP_aes_256_cbc(), nullptr, key,
                    reinterpret_cast<const unsigned char*>(iv.data()), encrypt ? 1 : 0);
  EVP_CIPHER_CTX_set_padding(ctx, 0);
  EVP_CipherUpdate(ctx, reinterpret_cast<unsigned char*>(out.data()), &len,
                   reinterpret_cast<const unsigned char*>(data.data()), static_cast<int>(data.size()));
  EVP_CIPHER_CTX_free(ctx);
  if (encrypt) return EncodeBase64(iv + out);
  if (out.empty()) return out;
  size_t pad = static_cast<unsigned char>(out.back());
  if (pad > out.size()) return BadRequestError("invalid padding");
  return out.substr(0, out.size() - pad);
}

}  // namespace

void AddCrypto(FuncMap* m) {
  m->Add("sha1sum", Fn({P::kString}, [](CallContext&, Args a) -> FuncResult {
    return Str(Digest(EVP_sha1(), a[0].string_value()));
  }));
  m->Add("sha256sum", Fn({P::kString}, [](CallContext&, Args a) -> FuncResult {
    return Str(Digest(EVP_sha256(), a[0].string_value()));
  }));
  m->Add("sha512sum", Fn({P::kString}, [](CallContext&, Args a) -> FuncResult {
    return Str(Digest(EVP_sha512(), a[0].string_value()));
  }));
  m->Add("adler32sum", Fn({P::kString}, [](CallContext&, Args a) -> FuncResult {
    uint32_t s1 = 1, s2 = 0;
    for (unsigned char c : a[0].string_value()) {
      s1 = (s1 + c) % 65521;
      s2 = (s2 + s1) % 65521;
    }
    return Str(std::to_string((s2 << 16) | s1));
  }));
  m->Add("encryptAES", Fn({P::kString, P::kString}, [](CallContext&, Args a) -> FuncResult {
    KSTACK_ASSIGN_OR_RETURN(std::string s, Aes(a[0].string_value(), a[1].string_value(), true));
    return Str(std::move(s));
  }));
  m->Add("decryptAES", Fn({P::kString, P::kString}, [](CallContext&, Args a) -> FuncResult {
    KSTACK_ASSIGN_OR_RETURN(std::string s, Aes(a[0].string_value(), a[1].string_value(), false));
    return Str(std::move(s));
  }));
  m->Add("uuidv4", Fn({}, [](CallContext&, Args) -> FuncResult {
    std::string b = RandomBytes(16);
    b[6] = static_cast<char>((b[6] & 0x0F) | 0x40);
    b[8] = static_cast<char>((b[8] & 0x3F) | 0x80);
    std::string h = Hex(reinterpret_cast<const unsigned char*>(b.data()), 16);
    return Str(h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" +
               h.substr(16, 4) + "-" + h.substr(20));
  }));
  m->Add("randBytes", Fn({P::kInt}, [](CallContext&, Args a) -> FuncResult {
    if (a[0].int_value() < 0) return BadRequestError("count must be non-negative");
    return Str(EncodeBase64(RandomBytes(static_cast<size_t>(a[0].int_value()))));
  }));
  constexpr std::string_view kAlpha = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  constexpr std::string_view kNum = "0123456789";
  m->Add("randAlpha", Fn({P::kInt}, [=](CallContext&, Args a) -> FuncResult {
    return Str(RandomFrom(a[0].int_value(), kAlpha));
  }));
  m->Add("randNumeric", Fn({P::kInt}, [=](CallContext&, Args a) -> FuncResult {
    return Str(RandomFrom(a[0].int_value(), kNum));
  }));
  m->Add("randAlphaNum", Fn({P::kInt}, [=](CallContext&, Args a) -> FuncResult {
    return Str(RandomFrom(a[0].int_value(), std::string(kAlpha) + std::string(kNum)));
  }));
  m->Add("randAscii", Fn({P::kInt}, [](CallContext&, Args a) -> FuncResult {
    std::string ascii;
    for (char c = 32; c < 127; ++c) ascii += c;
    return Str(RandomFrom(a[0].int_value(), ascii));
  }));
  m->Add("shuffle", Fn({P::kString}, [](CallContext&, Args a) -> FuncResult {
    std::string s = a[0].string_value();
    std::string r = RandomBytes(s.size() * 4 + 4);
    for (size_t i = s.size(); i > 1; --i) {
      uint32_t x = 0;
      for (int k = 0; k < 4; ++k) x = (x << 8) | static_cast<unsigned char>(r[i * 4 + k - 4]);
      std::swap(s[i - 1], s[x % i]);
    }
    return Str(s);
  }));
}

}  // namespace kstack::tmpl::sprig
