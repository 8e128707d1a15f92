// Functions whose results depend on randomness or the clock: their shape and properties are
// asserted (a certificate verifies with its CA, a bcrypt hash matches its password).

#include <gtest/gtest.h>

#include <crypt.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <regex>

#include "template/template.h"

namespace kstack::tmpl {
namespace {

std::string Out(std::string text) {
  Set set;
  Status s = set.Parse("t", std::move(text));
  EXPECT_TRUE(s.ok()) << s.ToString();
  Result<std::string> r = set.Execute("t", Value());
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : "";
}

X509* ParseCert(const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  return cert;
}

TEST(RandomFuncsTest, UuidAndRandomStrings) {
  EXPECT_TRUE(std::regex_match(Out("{{ uuidv4 }}"),
                               std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")));
  EXPECT_TRUE(std::regex_match(Out("{{ randAlphaNum 12 }}"), std::regex("[A-Za-z0-9]{12}")));
  EXPECT_TRUE(std::regex_match(Out("{{ randNumeric 5 }}"), std::regex("[0-9]{5}")));
  EXPECT_TRUE(std::regex_match(Out("{{ randAlpha 7 }}"), std::regex("[A-Za-z]{7}")));
  EXPECT_EQ(Out("{{ randBytes 24 | b64dec | len }}"), "24");
  EXPECT_NE(Out("{{ uuidv4 }}"), Out("{{ uuidv4 }}"));
  std::string n = Out("{{ randInt 3 6 }}");
  EXPECT_TRUE(n == "3" || n == "4" || n == "5") << n;
}

TEST(RandomFuncsTest, BcryptAndHtpasswd) {
  std::string hash = Out("{{ bcrypt \"secret\" }}");
  ASSERT_EQ(hash.rfind("$2a$10$", 0), 0u) << hash;
  struct crypt_data data {};
  EXPECT_EQ(std::string(crypt_r("secret", hash.c_str(), &data)), hash);
  EXPECT_EQ(Out("{{ htpasswd \"user\" \"pass\" \"sha\" }}"),
            "user:{SHA}nU4eI71bcnBGqeO0t9tXvY1u5oQ=");
  EXPECT_EQ(Out("{{ htpasswd \"us:er\" \"pass\" }}"), "invalid username: us:er");
  EXPECT_EQ(Out("{{ htpasswd \"user\" \"pass\" | substr 0 12 }}"), "user:$2a$10$");
}

// Sprig's TestDerivePassword vectors (the Master Password algorithm's own).
TEST(RandomFuncsTest, DerivePassword) {
  EXPECT_EQ(Out("{{derivePassword 1 \"long\" \"password\" \"user\" \"example.com\"}} "
                "{{derivePassword 2 \"long\" \"password\" \"user\" \"example.com\"}} "
                "{{derivePassword 1 \"maximum\" \"password\" \"user\" \"example.com\"}} "
                "{{derivePassword 1 \"medium\" \"password\" \"user\" \"example.com\"}} "
                "{{derivePassword 1 \"basic\" \"password\" \"user\" \"example.com\"}} "
                "{{derivePassword 1 \"short\" \"password\" \"user\" \"example.com\"}}"),
            "ZedaFaxcZaso9* Fovi2@JifpTupx pf4zS1LjCg&LjhsZ7T2~ ZedJuz8$ pIS54PLs Zed5");
  EXPECT_EQ(Out("{{derivePassword 1 \"nope\" \"p\" \"u\" \"s\"}}"), "cannot find password template nope");
}

TEST(RandomFuncsTest, PrivateKeysAndCertificates) {
  EXPECT_EQ(Out("{{ genPrivateKey \"ecdsa\" | substr 0 30 }}"), "-----BEGIN EC PRIVATE KEY-----");
  EXPECT_EQ(Out("{{ genPrivateKey \"ed25519\" | substr 0 27 }}"), "-----BEGIN PRIVATE KEY-----");
  EXPECT_EQ(Out("{{ genPrivateKey \"nope\" }}"), "Unknown type nope");
  std::string pems = Out(
      "{{- $ca := genCA \"my-ca\" 30 -}}"
      "{{- $c := genSignedCert \"svc\" (list \"10.0.0.1\") (list \"svc.ns.svc\") 10 $ca -}}"
      "{{ $ca.Cert }}|{{ $c.Cert }}|{{ $c.Key | substr 0 31 }}");
  size_t bar1 = pems.find('|'), bar2 = pems.find('|', bar1 + 1);
  ASSERT_NE(bar2, std::string::npos);
  X509* ca = ParseCert(pems.substr(0, bar1));
  X509* cert = ParseCert(pems.substr(bar1 + 1, bar2 - bar1 - 1));
  ASSERT_TRUE(ca && cert);
  EXPECT_EQ(pems.substr(bar2 + 1), "-----BEGIN RSA PRIVATE KEY-----");
  EXPECT_EQ(X509_check_ca(ca), 1);
  EVP_PKEY* ca_key = X509_get0_pubkey(ca);
  EXPECT_EQ(X509_verify(cert, ca_key), 1);
  EXPECT_EQ(X509_check_host(cert, "svc.ns.svc", 0, 0, nullptr), 1);
  EXPECT_EQ(X509_check_ip_asc(cert, "10.0.0.1", 0), 1);
  char cn[64] = {0};
  X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, cn, sizeof(cn));
  EXPECT_STREQ(cn, "svc");
  X509_free(ca);
  X509_free(cert);
  EXPECT_EQ(Out("{{ $c := genSelfSignedCert \"x\" nil nil 1 }}{{ $c.Cert | substr 0 27 }}"),
            "-----BEGIN CERTIFICATE-----");
}

TEST(RandomFuncsTest, ClockFunctions) {
  EXPECT_TRUE(std::regex_match(Out("{{ now | date \"2006-01-02\" }}"),
                               std::regex("20[0-9]{2}-[01][0-9]-[0-3][0-9]")));
  EXPECT_TRUE(std::regex_match(Out("{{ now | unixEpoch }}"), std::regex("[0-9]{10}")));
  EXPECT_EQ(Out("{{ now | ago }}"), "0s");
  EXPECT_EQ(Out("{{ toDate \"2006-01-02\" \"2020-01-01\" | dateModify \"24h\" | date \"2006-01-02\" }}"),
            "2020-01-02");
}

}  // namespace
}  // namespace kstack::tmpl
