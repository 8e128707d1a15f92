// Sprig's bcrypt and htpasswd on libcrypt (libxcrypt's bcrypt, cost 10 as Go's DefaultCost,
// "$2a$" as Go writes it), derivePassword (the Master Password algorithm: scrypt and HMAC-SHA256
// on OpenSSL), and getHostByName on the system resolver.

#include <crypt.h>
#include <netdb.h>
#include <arpa/inet.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <openssl/rand.h>

#include "core/base64.h"
#include "template/sprig/util.h"

namespace kstack::tmpl::sprig {
namespace {

std::string Bcrypt(const std::string& input) {
  char entropy[16];
  RAND_bytes(reinterpret_cast<unsigned char*>(entropy), sizeof(entropy));
  char salt[CRYPT_GENSALT_OUTPUT_SIZE];
  if (!crypt_gensalt_rn("$2a$", 10, entropy, sizeof(entropy), salt, sizeof(salt))) {
    return "failed to encrypt string with bcrypt: no salt";
  }
  struct crypt_data data {};
  const char* hash = crypt_r(input.c_str(), salt, &data);
  if (!hash || hash[0] == '*') return "failed to encrypt string with bcrypt";
  return hash;
}

constexpr std::string_view kSeed = "com.lyndir.masterpassword";

// The password templates of each type, and what each template letter may become.
const std::vector<std::string_view>* Templates(std::string_view type) {
  static const std::vector<std::pair<std::string_view, std::vector<std::string_view>>> kTypes = {
      {"maximum", {"anoxxxxxxxxxxxxxxxxx", "axxxxxxxxxxxxxxxxxno"}},
      {"long", {"CvcvnoCvcvCvcv", "CvcvCvcvnoCvcv", "CvcvCvcvCvcvno", "CvccnoCvcvCvcv",
                "CvccCvcvnoCvcv", "CvccCvcvCvcvno", "CvcvnoCvccCvcv", "CvcvCvccnoCvcv",
                "CvcvCvccCvcvno", "CvcvnoCvcvCvcc", "CvcvCvcvnoCvcc", "CvcvCvcvCvccno",
                "CvccnoCvccCvcv", "CvccCvccnoCvcv", "CvccCvccCvcvno", "CvcvnoCvccCvcc",
                "CvcvCvccnoCvcc", "CvcvCvccCvccno", "CvccnoCvcvCvcc", "CvccCvcvnoCvcc",
                "CvccCvcvCvccno"}},
      {"medium", {"CvcnoCvc", "CvcCvcno"}},
      {"short", {"Cvcn"}},
      {"basic", {"aaanaaan", "aannaaan", "aaannaaa"}},
      {"pin", {"nnnn"}},
  };
  for (const auto& [name, list] : kTypes) {
    if (name == type) return &list;
  }
  return nullptr;
}

std::string_view TemplateChars(char c) {
  switch (c) {
    case 'V': return "AEIOU";
    case 'C': return "BCDFGHJKLMNPQRSTVWXYZ";
    case 'v': return "aeiou";
    case 'c': return "bcdfghjklmnpqrstvwxyz";
    case 'A': return "AEIOUBCDFGHJKLMNPQRSTVWXYZ";
    case 'a': return "AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz";
    case 'n': return "0123456789";
    case 'o': return "@&%?,=[]_:-+*$#!'^~;()/.";
    case 'x': return "AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()";
    default: return "";
  }
}

void AppendBigEndian32(std::string* out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out->push_back(static_cast<char>((v >> shift) & 0xFF));
}

std::string DerivePassword(uint32_t counter, const std::string& type, const std::string& password,
                           const std::string& user, const std::string& site) {
  const std::vector<std::string_view>* templates = Templates(type);
  if (!templates) return "cannot find password template " + type;
  std::string salt(kSeed);
  AppendBigEndian32(&salt, static_cast<uint32_t>(user.size()));
  salt += user;
  unsigned char key[64];
  if (EVP_PBE_scrypt(password.data(), password.size(),
                     reinterpret_cast<const unsigned char*>(salt.data()), salt.size(), 32768, 8, 2,
                     64 * 1024 * 1024, key, sizeof(key)) != 1) {
    return "failed to derive password";
  }
  std::string message(kSeed);
  AppendBigEndian32(&message, static_cast<uint32_t>(site.size()));
  message += site;
  AppendBigEndian32(&message, counter);
  unsigned char seed[EVP_MAX_MD_SIZE];
  unsigned int seed_len = 0;
  HMAC(EVP_sha256(), key, sizeof(key), reinterpret_cast<const unsigned char*>(message.data()),
       message.size(), seed, &seed_len);
  std::string_view tmpl = (*templates)[seed[0] % templates->size()];
  std::string out;
  for (size_t i = 0; i < tmpl.size(); ++i) {
    std::string_view chars = TemplateChars(tmpl[i]);
    out += chars[seed[i + 1] % chars.size()];
  }
  return out;
}

}  // namespace

void AddPasswords(FuncMap* m) {
  m->Add("derivePassword", Fn({P::kUint32, P::kString, P::kString, P::kString, P::kString},
                              [](CallContext&, Args a) -> FuncResult {
    return Str(DerivePassword(static_cast<uint32_t>(a[0].uint_value()), a[1].string_value(),
                              a[2].string_value(), a[3].string_value(), a[4].string_value()));
  }));
  m->Add("bcrypt", Fn({P::kString}, [](CallContext&, Args a) -> FuncResult {
    return Str(Bcrypt(a[0].string_value()));
  }));
  m->Add("htpasswd", VarFn({P::kString, P::kString}, P::kString,
                           [](CallContext&, Args a) -> FuncResult {
    const std::string& user = a[0].string_value();
    if (user.find(':') != std::string::npos) return Str("invalid username: " + user);
    std::string algo = a.size() > 2 ? a[2].string_value() : "bcrypt";
    if (algo == "sha") {
      unsigned char digest[EVP_MAX_MD_SIZE];
      unsigned int n = 0;
      const std::string& pw = a[1].string_value();
      EVP_Digest(pw.data(), pw.size(), digest, &n, EVP_sha1(), nullptr);
      return Str(user + ":{SHA}" + EncodeBase64(std::string(reinterpret_cast<char*>(digest), n)));
    }
    return Str(user + ":" + Bcrypt(a[1].string_value()));
  }));
  m->Add("getHostByName", Fn({P::kString}, [](CallContext&, Args a) -> FuncResult {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    addrinfo* res = nullptr;
    if (getaddrinfo(a[0].string_value().c_str(), nullptr, &hints, &res) != 0 || !res) {
      return Str("");
    }
    char buf[INET6_ADDRSTRLEN] = {0};
    if (res->ai_family == AF_INET) {
      inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(res->ai_addr)->sin_addr, buf, sizeof(buf));
    } else {
      inet_ntop(AF_INET6, &reinterpret_cast<sockaddr_in6*>(res->ai_addr)->sin6_addr, buf, sizeof(buf));
    }
    freeaddrinfo(res);
    return Str(buf);
  }));
}

}  // namespace kstack::tmpl::sprig
