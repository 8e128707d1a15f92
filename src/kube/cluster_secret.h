#pragma once

// A RestConfig from the fields of an Argo CD cluster Secret (label
// argocd.argoproj.io/secret-type: cluster): `server`, and `config`, a JSON text of the form
// {"bearerToken": "...", "username": "...", "password": "...",
//  "tlsClientConfig": {"caData": B64, "certData": B64, "keyData": B64, "insecure": bool,
//                      "serverName": "..."}}
// where the *Data fields are base64 of PEM, as Go writes []byte in JSON.

#include <string_view>

#include "core/json.h"
#include "core/result.h"
#include "kube/rest_config.h"

namespace kstack::kube {

// `config` is the parsed `config` field (an object; null is treated as {}).
// Errors: kInvalid naming the field ("config.tlsClientConfig.caData: not base64") when a field
// has the wrong type or encoding, or `server` is empty.
Result<RestConfig> RestConfigFromClusterFields(std::string_view server, const Json& config);

// The same from a Secret object whose data holds `server` and `config` in base64 (as read from
// the API) or whose stringData holds them in clear. Errors as above, naming the Secret.
Result<RestConfig> RestConfigFromClusterSecret(const Json& secret);

}  // namespace kstack::kube
