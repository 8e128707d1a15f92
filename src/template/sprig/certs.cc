// Sprig's key and certificate generators (crypto.go) on OpenSSL: genPrivateKey, genCA,
// genCAWithKey, genSelfSignedCert(WithKey), genSignedCert(WithKey), buildCustomCert. Keys and
// certificates are PEM text; a certificate value has the fields Cert and Key, as Sprig's
// certificate struct. Keys of the generated certificates are RSA 2048 bits, as Sprig makes them.

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

#include "core/base64.h"
#include "template/sprig/util.h"

namespace kstack::tmpl::sprig {
namespace {

struct KeyDeleter { void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); } };
struct CertDeleter { void operator()(X509* c) const { X509_free(c); } };
struct BioDeleter { void operator()(BIO* b) const { BIO_free(b); } };
using KeyPtr = std::unique_ptr<EVP_PKEY, KeyDeleter>;
using CertPtr = std::unique_ptr<X509, CertDeleter>;
using BioPtr = std::unique_ptr<BIO, BioDeleter>;

class Certificate : public Object {
 public:
  Certificate(std::string cert, std::string key) : cert_(std::move(cert)), key_(std::move(key)) {}
  std::string_view TypeName() const override { return "sprig.certificate"; }
  std::string_view KindName() const override { return "struct"; }
  std::string String() const override { return "{" + cert_ + " " + key_ + "}"; }
  bool HasMember(std::string_view n) const override { return n == "Cert" || n == "Key"; }
  Result<Value> Member(std::string_view n, std::span<const Value> args) const override {
    if (!args.empty()) return BadRequestError(std::string(n) + " is not a method but has arguments");
    return Str(n == "Cert" ? cert_ : key_);
  }
  const std::string& cert() const { return cert_; }
  const std::string& key() const { return key_; }

 private:
  std::string cert_, key_;
};

std::string BioText(BIO* bio) {
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(n));
}

KeyPtr Generate(const std::string& type) {
  EVP_PKEY* key = nullptr;
  if (type == "rsa") key = EVP_RSA_gen(4096);
  else if (type == "rsa2048") key = EVP_RSA_gen(2048);
  else if (type == "ecdsa") key = EVP_EC_gen("P-256");
  else if (type == "ed25519") key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  else if (type == "dsa") {
    EVP_PKEY_CTX* pctx = EVP_PKEY_CTX_new_from_name(nullptr, "DSA", nullptr);
    EVP_PKEY* params = nullptr;
    if (pctx && EVP_PKEY_paramgen_init(pctx) > 0 &&
        EVP_PKEY_CTX_set_dsa_paramgen_bits(pctx, 2048) > 0 &&
        EVP_PKEY_paramgen(pctx, &params) > 0) {
      EVP_PKEY_CTX* kctx = EVP_PKEY_CTX_new(params, nullptr);
      if (kctx && EVP_PKEY_keygen_init(kctx) > 0) EVP_PKEY_keygen(kctx, &key);
      EVP_PKEY_CTX_free(kctx);
    }
    EVP_PKEY_free(params);
    EVP_PKEY_CTX_free(pctx);
  }
  return KeyPtr(key);
}

// PEM as Go's Sprig writes each key type: PKCS#1 for RSA, SEC 1 for ECDSA, PKCS#8 otherwise.
std::string KeyPem(EVP_PKEY* key) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  int id = EVP_PKEY_get_base_id(key);
  if (id == EVP_PKEY_RSA || id == EVP_PKEY_EC || id == EVP_PKEY_DSA) {
    PEM_write_bio_PrivateKey_traditional(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
  } else {
    PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
  }
  return BioText(bio.get());
}

Result<KeyPtr> ParseKey(const std::string& pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr);
  if (!key) return BadRequestError("error decoding key: no PEM data found");
  return KeyPtr(key);
}

void AddExt(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  if (ext) {
    X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
  }
}

struct CertSpec {
  std::string cn;
  std::vector<std::string> ips, dns;
  int64_t days = 365;
  bool is_ca = false;
};

Result<std::string> Sign(const CertSpec& spec, EVP_PKEY* key, X509* issuer, EVP_PKEY* issuer_key) {
  CertPtr cert(X509_new());
  X509_set_version(cert.get(), 2);
  unsigned char serial[16];
  RAND_bytes(serial, sizeof(serial));
  serial[0] &= 0x7F;
  BIGNUM* bn = BN_bin2bn(serial, sizeof(serial), nullptr);
  BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()));
  BN_free(bn);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), 0);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), static_cast<long>(spec.days) * 24 * 3600);
  X509_set_pubkey(cert.get(), key);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>(spec.cn.c_str()), -1, -1, 0);
  X509* signer = issuer ? issuer : cert.get();
  X509_set_issuer_name(cert.get(), X509_get_subject_name(signer));
  if (spec.is_ca) {
    AddExt(cert.get(), signer, NID_key_usage, "critical,digitalSignature,keyEncipherment,keyCertSign");
    AddExt(cert.get(), signer, NID_basic_constraints, "critical,CA:TRUE");
  } else {
    AddExt(cert.get(), signer, NID_key_usage, "critical,digitalSignature,keyEncipherment");
    AddExt(cert.get(), signer, NID_basic_constraints, "critical,CA:FALSE");
  }
  AddExt(cert.get(), signer, NID_ext_key_usage, "serverAuth,clientAuth");
  std::string san;
  for (const std::string& d : spec.dns) san += (san.empty() ? "" : ",") + ("DNS:" + d);
  for (const std::string& ip : spec.ips) san += (san.empty() ? "" : ",") + ("IP:" + ip);
  if (!san.empty()) AddExt(cert.get(), signer, NID_subject_alt_name, san);
  if (X509_sign(cert.get(), issuer_key ? issuer_key : key, EVP_sha256()) <= 0) {
    return BadRequestError("error creating certificate");
  }
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509(bio.get(), cert.get());
  return BioText(bio.get());
}

std::vector<std::string> Strings(const Value& v) {
  std::vector<std::string> out;
  if (v.kind() == Kind::kList && v.list()) {
    for (const Value& item : *v.list()) out.push_back(StrVal(item));
  }
  return out;
}

FuncResult Make(const CertSpec& spec, const std::string* key_pem, const Certificate* ca) {
  KeyPtr key;
  if (key_pem) {
    KSTACK_ASSIGN_OR_RETURN(key, ParseKey(*key_pem));
  } else {
    key = Generate("rsa2048");
    if (!key) return BadRequestError("error generating key");
  }
  CertPtr issuer;
  KeyPtr issuer_key;
  if (ca) {
    BioPtr bio(BIO_new_mem_buf(ca->cert().data(), static_cast<int>(ca->cert().size())));
    issuer.reset(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    if (!issuer) return BadRequestError("error decoding CA certificate: no PEM data found");
    KSTACK_ASSIGN_OR_RETURN(issuer_key, ParseKey(ca->key()));
  }
  KSTACK_ASSIGN_OR_RETURN(std::string cert, Sign(spec, key.get(), issuer.get(), issuer_key.get()));
  return Value::MakeObject(std::make_shared<Certificate>(std::move(cert), KeyPem(key.get())));
}

Result<const Certificate*> AsCert(const Value& v) {
  const Certificate* c = v.kind() == Kind::kObject ? dynamic_cast<const Certificate*>(v.object().get()) : nullptr;
  if (!c) {
    return BadRequestError("wrong type for value; expected sprig.certificate; got " +
                           std::string(v.TypeName()));
  }
  return c;
}

}  // namespace

void AddCerts(FuncMap* m) {
  m->Add("genPrivateKey", Fn({P::kString}, [](CallContext&, Args a) -> FuncResult {
    const std::string& type = a[0].string_value();
    if (type != "rsa" && type != "dsa" && type != "ecdsa" && type != "ed25519") {
      return Str("Unknown type " + type);
    }
    KeyPtr key = Generate(type);
    if (!key) return Str("failed to generate private key");
    return Str(KeyPem(key.get()));
  }));
  m->Add("genCA", Fn({P::kString, P::kInt}, [](CallContext&, Args a) -> FuncResult {
    return Make({.cn = a[0].string_value(), .days = a[1].int_value(), .is_ca = true}, nullptr,
                nullptr);
  }));
  m->Add("genCAWithKey", Fn({P::kString, P::kInt, P::kString}, [](CallContext&, Args a) -> FuncResult {
    return Make({.cn = a[0].string_value(), .days = a[1].int_value(), .is_ca = true},
                &a[2].string_value(), nullptr);
  }));
  m->Add("genSelfSignedCert", Fn({P::kString, P::kList, P::kList, P::kInt},
                                 [](CallContext&, Args a) -> FuncResult {
    return Make({a[0].string_value(), Strings(a[1]), Strings(a[2]), a[3].int_value()}, nullptr,
                nullptr);
  }));
  m->Add("genSelfSignedCertWithKey", Fn({P::kString, P::kList, P::kList, P::kInt, P::kString},
                                        [](CallContext&, Args a) -> FuncResult {
    return Make({a[0].string_value(), Strings(a[1]), Strings(a[2]), a[3].int_value()},
                &a[4].string_value(), nullptr);
  }));
  m->Add("genSignedCert", Fn({P::kString, P::kList, P::kList, P::kInt, P::kAny},
                             [](CallContext&, Args a) -> FuncResult {
    KSTACK_ASSIGN_OR_RETURN(const Certificate* ca, AsCert(a[4]));
    return Make({a[0].string_value(), Strings(a[1]), Strings(a[2]), a[3].int_value()}, nullptr, ca);
  }));
  m->Add("genSignedCertWithKey", Fn({P::kString, P::kList, P::kList, P::kInt, P::kAny, P::kString},
                                    [](CallContext&, Args a) -> FuncResult {
    KSTACK_ASSIGN_OR_RETURN(const Certificate* ca, AsCert(a[4]));
    return Make({a[0].string_value(), Strings(a[1]), Strings(a[2]), a[3].int_value()},
                &a[5].string_value(), ca);
  }));
  m->Add("buildCustomCert", Fn({P::kString, P::kString}, [](CallContext&, Args a) -> FuncResult {
    std::optional<std::string> cert = DecodeBase64(a[0].string_value());
    std::optional<std::string> key = DecodeBase64(a[1].string_value());
    if (!cert || !key) return BadRequestError("unable to decode base64 certificate or key");
    BioPtr bio(BIO_new_mem_buf(cert->data(), static_cast<int>(cert->size())));
    CertPtr parsed(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    if (!parsed) return BadRequestError("error parsing certificate: decoded PEM is blank");
    KSTACK_ASSIGN_OR_RETURN(KeyPtr k, ParseKey(*key));
    return Value::MakeObject(std::make_shared<Certificate>(*cert, *key));
  }));
}

}  // namespace kstack::tmpl::sprig
