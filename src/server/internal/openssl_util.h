#pragma once

// Small owners of OpenSSL objects and the conversions between them and PEM text, so that the
// certificate code reads as a sequence of steps rather than a ladder of frees.

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"

namespace kstack::server::internal {

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct X509Free {
  void operator()(X509* p) const { X509_free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using X509Ptr = std::unique_ptr<X509, X509Free>;

// The queued OpenSSL errors as one line (and clears the queue); "unknown error" when empty.
std::string OpenSslErrors();

// A new ECDSA P-256 key: quick to generate (start-up stays fast), and accepted by Go's TLS
// stack, which kubectl uses. Errors: kInternal.
Result<PkeyPtr> GenerateKey();

// PEM text of a certificate, and of a private key in PKCS#8 form ("PRIVATE KEY").
Result<std::string> CertificateToPem(X509* cert);
Result<std::string> KeyToPem(EVP_PKEY* key);

// The first certificate / private key in PEM text. `source` names the text in errors (kInvalid).
Result<X509Ptr> CertificateFromPem(std::string_view pem, std::string_view source);
Result<PkeyPtr> KeyFromPem(std::string_view pem, std::string_view source);

}  // namespace kstack::server::internal
