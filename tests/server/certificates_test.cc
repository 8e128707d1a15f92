#include "server/certificates.h"

#include <gtest/gtest.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <chrono>

#include "server/internal/files.h"
#include "server/internal/openssl_util.h"
#include "tests/testing/temp_dir.h"

namespace kstack::server {
namespace {

using internal::CertificateFromPem;
using internal::X509Ptr;

X509Ptr Parse(const std::string& pem) {
  Result<X509Ptr> cert = CertificateFromPem(pem, "test");
  EXPECT_TRUE(cert.ok()) << cert.status().ToString();
  return cert.ok() ? std::move(cert).value() : nullptr;
}

bool CoversIp(X509* cert, const char* ip) { return X509_check_ip_asc(cert, ip, 0) == 1; }
bool CoversHost(X509* cert, const std::string& host) {
  return X509_check_host(cert, host.data(), host.size(), 0, nullptr) == 1;
}

// Verifies `cert` against `ca` for `purpose` at `when`, as a TLS peer would.
bool Verifies(X509* cert, X509* ca, int purpose, Clock::WallTime when) {
  X509_STORE* store = X509_STORE_new();
  X509_STORE_add_cert(store, ca);
  X509_STORE_CTX* ctx = X509_STORE_CTX_new();
  X509_STORE_CTX_init(ctx, store, cert, nullptr);
  X509_STORE_CTX_set_purpose(ctx, purpose);
  X509_STORE_CTX_set_time(ctx, 0, Clock::WallTime::clock::to_time_t(when));
  bool ok = X509_verify_cert(ctx) == 1;
  X509_STORE_CTX_free(ctx);
  X509_STORE_free(store);
  return ok;
}

std::vector<std::string> SubjectEntries(X509* cert, int nid) {
  std::vector<std::string> out;
  X509_NAME* name = X509_get_subject_name(cert);
  for (int i = X509_NAME_get_index_by_NID(name, nid, -1); i >= 0;
       i = X509_NAME_get_index_by_NID(name, nid, i)) {
    ASN1_STRING* s = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, i));
    out.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                     static_cast<size_t>(ASN1_STRING_length(s)));
  }
  return out;
}

int DaysUntil(const ASN1_TIME* t, Clock::WallTime from) {
  ASN1_TIME* start = ASN1_TIME_set(nullptr, Clock::WallTime::clock::to_time_t(from));
  int days = 0, seconds = 0;
  ASN1_TIME_diff(&days, &seconds, start, t);
  ASN1_TIME_free(start);
  return days;
}

mode_t ModeOf(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

class CertificatesTest : public ::testing::Test {
 protected:
  CertificateOptions Options(std::string_view bind = "127.0.0.1") {
    return {.dir = dir_.path() + "/pki", .serving_hosts = ServingHosts(bind), .clock = &clock_};
  }

  kstack::testing::TempDir dir_;
  FakeClock clock_;
};

TEST(ServingHostsTest, LoopbackAndBindAddressWithoutWildcards) {
  EXPECT_EQ(ServingHosts("127.0.0.1"), (std::vector<std::string>{"localhost", "127.0.0.1"}));
  EXPECT_EQ(ServingHosts("10.1.2.3"),
            (std::vector<std::string>{"localhost", "127.0.0.1", "10.1.2.3"}));
  EXPECT_EQ(ServingHosts("kstack.example"),
            (std::vector<std::string>{"localhost", "127.0.0.1", "kstack.example"}));
  EXPECT_EQ(ServingHosts("0.0.0.0"), (std::vector<std::string>{"localhost", "127.0.0.1"}));
  EXPECT_EQ(ServingHosts("::"), (std::vector<std::string>{"localhost", "127.0.0.1"}));
}

TEST_F(CertificatesTest, ServingCertificateCoversLocalhostLoopbackAndBindAddress) {
  CertificateOptions options = Options("10.1.2.3");
  options.serving_hosts.push_back("kstack.example");
  Result<ClusterCertificates> certs = LoadOrCreateCertificates(options);
  ASSERT_TRUE(certs.ok()) << certs.status().ToString();
  X509Ptr serving = Parse(certs->serving.cert);
  EXPECT_TRUE(CoversHost(serving.get(), "localhost"));
  EXPECT_TRUE(CoversIp(serving.get(), "127.0.0.1"));
  EXPECT_TRUE(CoversIp(serving.get(), "10.1.2.3"));
  EXPECT_TRUE(CoversHost(serving.get(), "kstack.example"));
  EXPECT_FALSE(CoversIp(serving.get(), "10.9.9.9"));
  EXPECT_FALSE(CoversHost(serving.get(), "other.example"));
}

TEST_F(CertificatesTest, CertificatesChainToTheCaForTheirPurposeAndAreValidNow) {
  Result<ClusterCertificates> certs = LoadOrCreateCertificates(Options());
  ASSERT_TRUE(certs.ok()) << certs.status().ToString();
  X509Ptr ca = Parse(certs->ca.cert);
  X509Ptr serving = Parse(certs->serving.cert);
  X509Ptr admin = Parse(certs->admin.cert);
  Clock::WallTime now = clock_.Now();
  EXPECT_TRUE(Verifies(serving.get(), ca.get(), X509_PURPOSE_SSL_SERVER, now));
  EXPECT_TRUE(Verifies(admin.get(), ca.get(), X509_PURPOSE_SSL_CLIENT, now));
  // Each leaf is good for its own purpose only.
  EXPECT_FALSE(Verifies(admin.get(), ca.get(), X509_PURPOSE_SSL_SERVER, now));
  EXPECT_FALSE(Verifies(serving.get(), ca.get(), X509_PURPOSE_SSL_CLIENT, now));
  // Valid a little before issue (clock skew), not after the validity period.
  EXPECT_TRUE(
      Verifies(serving.get(), ca.get(), X509_PURPOSE_SSL_SERVER, now - std::chrono::minutes(1)));
  EXPECT_FALSE(Verifies(serving.get(), ca.get(), X509_PURPOSE_SSL_SERVER,
                        now + std::chrono::hours(24 * 366)));
  EXPECT_EQ(DaysUntil(X509_get0_notAfter(serving.get()), now), 365);
  EXPECT_EQ(DaysUntil(X509_get0_notAfter(admin.get()), now), 365);
  EXPECT_GE(DaysUntil(X509_get0_notAfter(ca.get()), now), 3650);
  EXPECT_EQ(X509_check_ca(ca.get()), 1);
  EXPECT_EQ(X509_check_ca(serving.get()), 0);
}

TEST_F(CertificatesTest, AdminCertificateNamesTheAdminUserInSystemMasters) {
  Result<ClusterCertificates> certs = LoadOrCreateCertificates(Options());
  ASSERT_TRUE(certs.ok()) << certs.status().ToString();
  X509Ptr admin = Parse(certs->admin.cert);
  EXPECT_EQ(SubjectEntries(admin.get(), NID_commonName), std::vector<std::string>{"kstack-admin"});
  EXPECT_EQ(SubjectEntries(admin.get(), NID_organizationName),
            std::vector<std::string>{"system:masters"});
}

TEST_F(CertificatesTest, KeysAreWrittenOwnerOnly) {
  ASSERT_TRUE(LoadOrCreateCertificates(Options()).ok());
  std::string pki = dir_.path() + "/pki";
  EXPECT_EQ(ModeOf(pki), 0700u);
  for (const char* name : {"ca", "server", "admin"}) {
    EXPECT_EQ(ModeOf(pki + "/" + name + ".key"), 0600u) << name;
    EXPECT_EQ(ModeOf(pki + "/" + name + ".crt"), 0644u) << name;
  }
}

TEST_F(CertificatesTest, SecondStartReusesEverything) {
  Result<ClusterCertificates> first = LoadOrCreateCertificates(Options());
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  clock_.Advance(std::chrono::hours(24));
  Result<ClusterCertificates> second = LoadOrCreateCertificates(Options());
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(first->ca.cert, second->ca.cert);
  EXPECT_EQ(first->ca.key, second->ca.key);
  EXPECT_EQ(first->serving.cert, second->serving.cert);
  EXPECT_EQ(first->serving.key, second->serving.key);
  EXPECT_EQ(first->admin.cert, second->admin.cert);
  EXPECT_EQ(first->admin.key, second->admin.key);
}

TEST_F(CertificatesTest, NewBindAddressReissuesOnlyTheServingCertificate) {
  Result<ClusterCertificates> first = LoadOrCreateCertificates(Options());
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  Result<ClusterCertificates> second = LoadOrCreateCertificates(Options("10.1.2.3"));
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(first->ca.cert, second->ca.cert);
  EXPECT_EQ(first->admin.cert, second->admin.cert);
  EXPECT_NE(first->serving.cert, second->serving.cert);
  EXPECT_TRUE(CoversIp(Parse(second->serving.cert).get(), "10.1.2.3"));
}

TEST_F(CertificatesTest, LeavesCloseToExpiryAreReissued) {
  Result<ClusterCertificates> first = LoadOrCreateCertificates(Options());
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  clock_.Advance(std::chrono::hours(24 * 340));
  Result<ClusterCertificates> second = LoadOrCreateCertificates(Options());
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(first->ca.cert, second->ca.cert);
  EXPECT_NE(first->serving.cert, second->serving.cert);
  EXPECT_NE(first->admin.cert, second->admin.cert);
}

TEST_F(CertificatesTest, MismatchedCaFilesAreAnErrorNotSilentlyReplaced) {
  ASSERT_TRUE(LoadOrCreateCertificates(Options()).ok());
  Result<std::string> admin_key = internal::ReadFileContents(dir_.path() + "/pki/admin.key");
  ASSERT_TRUE(admin_key.ok());
  ASSERT_TRUE(internal::WriteFileAtomically(dir_.path() + "/pki/ca.key", *admin_key, 0600).ok());
  Result<ClusterCertificates> again = LoadOrCreateCertificates(Options());
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().reason(), Reason::kInvalid);
  EXPECT_NE(again.status().message().find("ca.key"), std::string::npos) << again.status().message();
}

}  // namespace
}  // namespace kstack::server
