#pragma once

// SSH host key checking against OpenSSH known_hosts text, done here because libgit2 1.5 leaves
// host keys unchecked unless its caller checks them.

#include <string_view>

namespace kstack::git::internal {

// Whether `known_hosts` has a line for `host` (port 0 or 22: "host"; another port:
// "[host]:port") whose key blob (the base64 field, decoded) equals `key_blob`. Host patterns
// are compared literally (comma-separated; no wildcards, negations, hashed names or
// @cert-authority/@revoked markers, which never match). Comments and blank lines are skipped.
bool KnownHostsAccept(std::string_view known_hosts, std::string_view host, int port,
                      std::string_view key_blob);

}  // namespace kstack::git::internal
