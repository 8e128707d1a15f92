#pragma once

// The TLS side of the listener: the server context, and who a connection's client is.

#include <openssl/ssl.h>

#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <string>

#include "core/result.h"
#include "server/internal/request.h"

namespace kstack::server::internal {

struct TlsMaterial {
  std::string cert_pem;       // the serving certificate
  std::string key_pem;        // its key
  std::string client_ca_pem;  // client certificates must chain to this CA
};

// A TLS 1.2+ server context that asks every client for a certificate signed by the client CA
// but does not require one: anonymous clients may reach the health endpoints, and the routes
// answer them 401 elsewhere. A presented certificate that does not verify fails the handshake.
// Errors: kInvalid when the PEM data is unusable.
Result<std::unique_ptr<boost::asio::ssl::context>> MakeServerTlsContext(const TlsMaterial& tls);

// The identity of the client of an established connection: authenticated with the CN and O
// entries when its certificate verified against the client CA, anonymous otherwise.
Identity PeerIdentity(SSL* ssl);

}  // namespace kstack::server::internal
