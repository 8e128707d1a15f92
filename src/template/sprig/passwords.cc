// Sprig's bcrypt and htpasswd on libcrypt (libxcrypt's bcrypt, cost 10 as Go's DefaultCost,
// "$2a$" as Go writes it), and getHostByName on the system resolver.

#include <crypt.h>
#include <netdb.h>
#include <arpa/inet.h>
#include <openssl/evp.h>
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

}  // namespace

void AddPasswords(FuncMap* m) {
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
