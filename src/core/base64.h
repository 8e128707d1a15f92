#pragma once

// Standard base64 (RFC 4648, with padding) as Go's encoding/base64.StdEncoding reads and writes
// it, which is how Kubernetes holds bytes in JSON (Secret data, kubeconfig *-data fields).

#include <optional>
#include <string>
#include <string_view>

namespace kstack {

// The base64 text of `data`, padded, without line breaks.
std::string EncodeBase64(std::string_view data);

// The bytes of `text`; \r and \n are skipped as Go skips them. Nullopt when `text` is not
// padded base64 (a wrong length, a character outside the alphabet, padding inside).
std::optional<std::string> DecodeBase64(std::string_view text);

}  // namespace kstack
