#include "server/certificates.h"

#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <boost/asio/ip/address.hpp>
#include <chrono>
#include <filesystem>

#include "core/log.h"
#include "server/internal/certificate_issuer.h"
#include "server/internal/files.h"
#include "server/internal/openssl_util.h"

namespace kstack::server {
namespace {

using internal::KeyAndCertificate;

constexpr std::chrono::hours kCaValidity{24 * 365 * 10};
constexpr std::chrono::hours kLeafValidity{24 * 365};
// A leaf this close to its end is reissued at start, so a running server never serves an
// expired certificate unless it runs for a month without a restart.
constexpr std::chrono::hours kRenewBefore{24 * 30};

struct Files {
  std::string cert;
  std::string key;
};

Files PathsOf(const std::string& dir, std::string_view name) {
  return {dir + "/" + std::string(name) + ".crt", dir + "/" + std::string(name) + ".key"};
}

// The key pair in `files`; kNotFound when either file is absent.
Result<KeyAndCertificate> Load(const Files& files) {
  KSTACK_ASSIGN_OR_RETURN(std::string cert_pem, internal::ReadFileContents(files.cert));
  KSTACK_ASSIGN_OR_RETURN(std::string key_pem, internal::ReadFileContents(files.key));
  KSTACK_ASSIGN_OR_RETURN(internal::X509Ptr cert,
                          internal::CertificateFromPem(cert_pem, files.cert));
  KSTACK_ASSIGN_OR_RETURN(internal::PkeyPtr key, internal::KeyFromPem(key_pem, files.key));
  if (X509_check_private_key(cert.get(), key.get()) != 1) {
    internal::OpenSslErrors();
    return InvalidError(files.key + " is not the key of " + files.cert);
  }
  return KeyAndCertificate{std::move(key), std::move(cert)};
}

Result<PemPair> ToPem(const KeyAndCertificate& pair) {
  KSTACK_ASSIGN_OR_RETURN(std::string cert, internal::CertificateToPem(pair.cert.get()));
  KSTACK_ASSIGN_OR_RETURN(std::string key, internal::KeyToPem(pair.key.get()));
  return PemPair{std::move(cert), std::move(key)};
}

Status Save(const Files& files, const PemPair& pem) {
  // The key first: a crash between the two leaves a certificate without its key, which the
  // next start detects and reissues.
  KSTACK_RETURN_IF_ERROR(internal::WriteFileAtomically(files.key, pem.key, 0600));
  return internal::WriteFileAtomically(files.cert, pem.cert, 0644);
}

bool ValidUntil(X509* cert, Clock::WallTime when) {
  time_t t = Clock::WallTime::clock::to_time_t(when);
  return X509_cmp_time(X509_get0_notAfter(cert), &t) > 0;
}

bool Covers(X509* cert, const std::string& host) {
  boost::system::error_code ec;
  boost::asio::ip::make_address(host, ec);
  if (!ec) return X509_check_ip_asc(cert, host.c_str(), 0) == 1;
  return X509_check_host(cert, host.data(), host.size(), 0, nullptr) == 1;
}

bool SignedBy(X509* cert, const KeyAndCertificate& ca) {
  bool ok = X509_verify(cert, ca.key.get()) == 1;
  internal::OpenSslErrors();  // a failed check is an answer, not an error to keep queued
  return ok;
}

// The existing leaf in `files` when it is usable, otherwise a new one (written to disk).
Result<PemPair> LoadOrIssueLeaf(const Files& files, const internal::CertificateSpec& spec,
                                const KeyAndCertificate& ca, bool ca_is_new) {
  if (!ca_is_new) {
    Result<KeyAndCertificate> existing = Load(files);
    if (existing.ok()) {
      X509* cert = existing->cert.get();
      bool usable = SignedBy(cert, ca) && ValidUntil(cert, spec.now + kRenewBefore);
      for (const std::string& host : spec.hosts) {
        usable = usable && Covers(cert, host);
      }
      if (usable) return ToPem(*existing);
      log::Info("reissuing {}: it does not match the current CA, hosts or validity", files.cert);
    } else if (existing.status().reason() != Reason::kNotFound) {
      log::Warn("reissuing {}: {}", files.cert, existing.status().message());
    }
  }
  KSTACK_ASSIGN_OR_RETURN(KeyAndCertificate issued, internal::IssueCertificate(spec, &ca));
  KSTACK_ASSIGN_OR_RETURN(PemPair pem, ToPem(issued));
  KSTACK_RETURN_IF_ERROR(Save(files, pem));
  return pem;
}

}  // namespace

std::vector<std::string> ServingHosts(std::string_view bind_address) {
  std::vector<std::string> hosts = {"localhost", "127.0.0.1"};
  boost::system::error_code ec;
  auto address = boost::asio::ip::make_address(std::string(bind_address), ec);
  bool wildcard = !ec && address.is_unspecified();
  if (!bind_address.empty() && !wildcard &&
      std::find(hosts.begin(), hosts.end(), bind_address) == hosts.end()) {
    hosts.emplace_back(bind_address);
  }
  return hosts;
}

Result<ClusterCertificates> LoadOrCreateCertificates(const CertificateOptions& options) {
  std::error_code ec;
  std::filesystem::create_directories(options.dir, ec);
  if (ec || ::chmod(options.dir.c_str(), 0700) != 0) {
    return InternalError("cannot create certificate directory " + options.dir + ": " +
                         (ec ? ec.message() : std::string(strerror(errno))));
  }
  Clock& clock = options.clock != nullptr ? *options.clock : SystemClock();
  Clock::WallTime now = clock.Now();

  Files ca_files = PathsOf(options.dir, "ca");
  Result<KeyAndCertificate> ca = Load(ca_files);
  bool ca_is_new = false;
  if (!ca.ok() && ca.status().reason() == Reason::kNotFound) {
    ca = internal::IssueCertificate(
        {.common_name = "kstack-ca", .is_ca = true, .now = now, .validity = kCaValidity}, nullptr);
    if (!ca.ok()) return ca.status();
    KSTACK_ASSIGN_OR_RETURN(PemPair pem, ToPem(*ca));
    KSTACK_RETURN_IF_ERROR(Save(ca_files, pem));
    ca_is_new = true;
    log::Info("created cluster CA in {}", options.dir);
  } else if (!ca.ok()) {
    return ca.status().WithContext("cluster CA (remove " + options.dir + " to create a new one)");
  } else if (!ValidUntil(ca->cert.get(), now)) {
    return InvalidError("cluster CA " + ca_files.cert + " has expired (remove " + options.dir +
                        " to create a new one)");
  }

  ClusterCertificates out;
  KSTACK_ASSIGN_OR_RETURN(out.ca, ToPem(*ca));
  KSTACK_ASSIGN_OR_RETURN(out.serving, LoadOrIssueLeaf(PathsOf(options.dir, "server"),
                                                       {.common_name = "kstack-apiserver",
                                                        .extended_key_usage = "serverAuth",
                                                        .hosts = options.serving_hosts,
                                                        .now = now,
                                                        .validity = kLeafValidity},
                                                       *ca, ca_is_new));
  KSTACK_ASSIGN_OR_RETURN(out.admin, LoadOrIssueLeaf(PathsOf(options.dir, "admin"),
                                                     {.common_name = std::string(kAdminUser),
                                                      .organizations = {std::string(kAdminGroup)},
                                                      .extended_key_usage = "clientAuth",
                                                      .now = now,
                                                      .validity = kLeafValidity},
                                                     *ca, ca_is_new));
  return out;
}

}  // namespace kstack::server
