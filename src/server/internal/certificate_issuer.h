#pragma once

// Issues X.509 certificates: the cluster CA (self-signed) and leaf certificates signed by it.

#include <chrono>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "server/internal/openssl_util.h"

namespace kstack::server::internal {

struct CertificateSpec {
  std::string common_name;
  // Subject O= entries; Kubernetes reads them as the user's groups.
  std::vector<std::string> organizations{};
  bool is_ca = false;
  // "serverAuth" or "clientAuth" for a leaf; ignored for a CA.
  std::string extended_key_usage{};
  // Subject alternative names; each entry is an IP literal or a DNS name.
  std::vector<std::string> hosts{};
  Clock::WallTime now{};
  std::chrono::hours validity{24 * 365};
};

struct KeyAndCertificate {
  PkeyPtr key;
  X509Ptr cert;
};

// A new key and a certificate for it per `spec`, signed by `issuer` (self-signed when null).
// The certificate starts a few minutes before `spec.now` so that a client whose clock is
// slightly behind still accepts it. Errors: kInternal (OpenSSL failures).
Result<KeyAndCertificate> IssueCertificate(const CertificateSpec& spec,
                                           const KeyAndCertificate* issuer);

}  // namespace kstack::server::internal
