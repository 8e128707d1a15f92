#pragma once

// The cluster's certificates: a CA, the serving certificate of the API server and the admin
// client certificate, kept as PEM files in a directory and reused across starts.

#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"

namespace kstack::server {

// The admin user of the kubeconfig; O=system:masters is the group Kubernetes grants everything.
inline constexpr std::string_view kAdminUser = "kstack-admin";
inline constexpr std::string_view kAdminGroup = "system:masters";

struct PemPair {
  std::string cert;
  std::string key;
};

struct ClusterCertificates {
  PemPair ca;
  PemPair serving;
  PemPair admin;
};

struct CertificateOptions {
  // Where the PEM files live (ca.crt/.key, server.crt/.key, admin.crt/.key); created with mode
  // 0700 when absent. Keys are written with mode 0600.
  std::string dir;
  // The names and IP literals the serving certificate must cover (ServingHosts()).
  std::vector<std::string> serving_hosts;
  // Validity is measured against this clock; SystemClock() when null. Not owned.
  Clock* clock = nullptr;
};

// localhost, 127.0.0.1 and `bind_address` (unless it is a wildcard such as 0.0.0.0 or ::, which
// no client dials), without duplicates.
std::vector<std::string> ServingHosts(std::string_view bind_address);

// Loads the certificates from `options.dir`, issuing what is missing or unusable: everything
// when the CA is absent; the serving certificate when it does not cover every serving host, is
// not signed by the CA, or expires within 30 days; the admin certificate likewise. A usable file
// is never rewritten, so a second start changes nothing on disk.
// Errors: kInvalid when the CA files are unreadable as PEM, do not match each other or the CA
// has expired (the message says to remove the directory); kInternal on I/O or OpenSSL failures.
// Not thread-safe with another call on the same directory (the store's lock on the data
// directory serialises servers).
Result<ClusterCertificates> LoadOrCreateCertificates(const CertificateOptions& options);

}  // namespace kstack::server
