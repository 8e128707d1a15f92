#include "server/internal/certificate_issuer.h"

#include <openssl/bn.h>
#include <openssl/x509v3.h>

#include <boost/asio/ip/address.hpp>

namespace kstack::server::internal {
namespace {

// Clients tolerate this much clock skew against a freshly issued certificate.
constexpr std::chrono::minutes kBackdate{5};

bool IsIpLiteral(const std::string& host) {
  boost::system::error_code ec;
  boost::asio::ip::make_address(host, ec);
  return !ec;
}

Status AddExtension(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  if (ext == nullptr) {
    return InternalError("cannot make certificate extension " + std::string(OBJ_nid2sn(nid)) + "=" +
                         value + ": " + OpenSslErrors());
  }
  int added = X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
  if (added != 1) {
    return InternalError("cannot add certificate extension: " + OpenSslErrors());
  }
  return Status::Ok();
}

// A random positive 127-bit serial: unique without a counter kept on disk, and positive because
// Go's x509 parser rejects negative serials.
Status SetRandomSerial(X509* cert) {
  BIGNUM* bn = BN_new();
  bool ok = bn != nullptr && BN_rand(bn, 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) == 1 &&
            BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert)) != nullptr;
  BN_free(bn);
  return ok ? Status::Ok() : InternalError("cannot set a certificate serial: " + OpenSslErrors());
}

Status SetSubject(X509* cert, const CertificateSpec& spec) {
  X509_NAME* name = X509_get_subject_name(cert);
  auto add = [name](const char* field, const std::string& value) {
    return X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8,
                                      reinterpret_cast<const unsigned char*>(value.c_str()), -1, -1,
                                      0) == 1;
  };
  for (const std::string& org : spec.organizations) {
    if (!add("O", org)) return InternalError("cannot set subject O: " + OpenSslErrors());
  }
  if (!add("CN", spec.common_name)) {
    return InternalError("cannot set subject CN: " + OpenSslErrors());
  }
  return Status::Ok();
}

Status SetValidity(X509* cert, const CertificateSpec& spec) {
  time_t start = Clock::WallTime::clock::to_time_t(spec.now - kBackdate);
  time_t end = Clock::WallTime::clock::to_time_t(spec.now + spec.validity);
  if (X509_time_adj_ex(X509_getm_notBefore(cert), 0, 0, &start) == nullptr ||
      X509_time_adj_ex(X509_getm_notAfter(cert), 0, 0, &end) == nullptr) {
    return InternalError("cannot set certificate validity: " + OpenSslErrors());
  }
  return Status::Ok();
}

Status AddExtensions(X509* cert, X509* issuer, const CertificateSpec& spec) {
  if (spec.is_ca) {
    KSTACK_RETURN_IF_ERROR(AddExtension(cert, issuer, NID_basic_constraints, "critical,CA:TRUE"));
    KSTACK_RETURN_IF_ERROR(
        AddExtension(cert, issuer, NID_key_usage, "critical,digitalSignature,keyCertSign,cRLSign"));
  } else {
    KSTACK_RETURN_IF_ERROR(AddExtension(cert, issuer, NID_basic_constraints, "critical,CA:FALSE"));
    KSTACK_RETURN_IF_ERROR(AddExtension(cert, issuer, NID_key_usage, "critical,digitalSignature"));
    KSTACK_RETURN_IF_ERROR(AddExtension(cert, issuer, NID_ext_key_usage, spec.extended_key_usage));
  }
  KSTACK_RETURN_IF_ERROR(AddExtension(cert, issuer, NID_subject_key_identifier, "hash"));
  if (!spec.is_ca) {
    KSTACK_RETURN_IF_ERROR(
        AddExtension(cert, issuer, NID_authority_key_identifier, "keyid:always"));
  }
  if (!spec.hosts.empty()) {
    std::string sans;
    for (const std::string& host : spec.hosts) {
      if (!sans.empty()) sans += ",";
      sans += (IsIpLiteral(host) ? "IP:" : "DNS:") + host;
    }
    KSTACK_RETURN_IF_ERROR(AddExtension(cert, issuer, NID_subject_alt_name, sans));
  }
  return Status::Ok();
}

}  // namespace

Result<KeyAndCertificate> IssueCertificate(const CertificateSpec& spec,
                                           const KeyAndCertificate* issuer) {
  KSTACK_ASSIGN_OR_RETURN(PkeyPtr key, GenerateKey());
  X509Ptr cert(X509_new());
  if (!cert || X509_set_version(cert.get(), X509_VERSION_3) != 1 ||
      X509_set_pubkey(cert.get(), key.get()) != 1) {
    return InternalError("cannot create a certificate: " + OpenSslErrors());
  }
  KSTACK_RETURN_IF_ERROR(SetRandomSerial(cert.get()));
  KSTACK_RETURN_IF_ERROR(SetSubject(cert.get(), spec));
  X509* issuer_cert = issuer != nullptr ? issuer->cert.get() : cert.get();
  EVP_PKEY* issuer_key = issuer != nullptr ? issuer->key.get() : key.get();
  if (X509_set_issuer_name(cert.get(), X509_get_subject_name(issuer_cert)) != 1) {
    return InternalError("cannot set the certificate issuer: " + OpenSslErrors());
  }
  KSTACK_RETURN_IF_ERROR(SetValidity(cert.get(), spec));
  KSTACK_RETURN_IF_ERROR(AddExtensions(cert.get(), issuer_cert, spec));
  if (X509_sign(cert.get(), issuer_key, EVP_sha256()) <= 0) {
    return InternalError("cannot sign the certificate: " + OpenSslErrors());
  }
  return KeyAndCertificate{std::move(key), std::move(cert)};
}

}  // namespace kstack::server::internal
