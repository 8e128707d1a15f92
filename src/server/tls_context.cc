#include "server/internal/tls_context.h"

#include <openssl/x509.h>

#include "server/internal/openssl_util.h"

namespace kstack::server::internal {
namespace {

// Needed by OpenSSL once clients are verified: without it, a resumed session is refused.
constexpr unsigned char kSessionIdContext[] = "kstack-apiserver";

std::vector<std::string> NameEntries(X509_NAME* name, int nid) {
  std::vector<std::string> out;
  for (int i = X509_NAME_get_index_by_NID(name, nid, -1); i >= 0;
       i = X509_NAME_get_index_by_NID(name, nid, i)) {
    ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, i));
    unsigned char* utf8 = nullptr;
    int n = ASN1_STRING_to_UTF8(&utf8, data);
    if (n >= 0) out.emplace_back(reinterpret_cast<char*>(utf8), static_cast<size_t>(n));
    OPENSSL_free(utf8);
  }
  return out;
}

}  // namespace

Result<std::unique_ptr<boost::asio::ssl::context>> MakeServerTlsContext(const TlsMaterial& tls) {
  namespace ssl = boost::asio::ssl;
  auto ctx = std::make_unique<ssl::context>(ssl::context::tls_server);
  boost::system::error_code ec;
  auto fail = [&ec](const char* what) {
    return InvalidError(std::string("TLS: cannot ") + what + ": " + ec.message());
  };
  ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                       ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1,
                   ec);
  if (ec) return fail("set protocol options");
  ctx->use_certificate_chain(boost::asio::buffer(tls.cert_pem), ec);
  if (ec) return fail("use the serving certificate");
  ctx->use_private_key(boost::asio::buffer(tls.key_pem), ssl::context::pem, ec);
  if (ec) return fail("use the serving key");
  ctx->add_certificate_authority(boost::asio::buffer(tls.client_ca_pem), ec);
  if (ec) return fail("trust the client CA");
  // Name the CA in the certificate request: Go clients send their certificate only when its
  // issuer is among the names the server lists.
  KSTACK_ASSIGN_OR_RETURN(X509Ptr ca, CertificateFromPem(tls.client_ca_pem, "client CA"));
  SSL_CTX* native = ctx->native_handle();
  if (SSL_CTX_add_client_CA(native, ca.get()) != 1 ||
      SSL_CTX_set_session_id_context(native, kSessionIdContext, sizeof(kSessionIdContext) - 1) !=
          1) {
    return InvalidError("TLS: cannot configure client verification: " + OpenSslErrors());
  }
  ctx->set_verify_mode(ssl::verify_peer, ec);
  if (ec) return fail("set the verify mode");
  return ctx;
}

Identity PeerIdentity(SSL* ssl) {
  X509* peer = SSL_get0_peer_certificate(ssl);
  if (peer == nullptr || SSL_get_verify_result(ssl) != X509_V_OK) return {};
  X509_NAME* subject = X509_get_subject_name(peer);
  std::vector<std::string> names = NameEntries(subject, NID_commonName);
  if (names.empty()) return {};
  return Identity{.authenticated = true,
                  .user = names.front(),
                  .groups = NameEntries(subject, NID_organizationName)};
}

}  // namespace kstack::server::internal
