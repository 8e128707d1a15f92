#pragma once

// Kubeconfig files as kubectl reads them: clusters, users and contexts by name, the current
// context or an explicit one, and the connection settings of the chosen context turned into a
// RestConfig. Paths inside a file (certificate-authority, client-certificate, client-key,
// tokenFile) are resolved against the folder of the file that names them.
//
// Precedence within one entry follows client-go: `*-data` over the matching file, `token` over
// `tokenFile`. Authentication plugins (`exec`, `auth-provider`) are refused with an error.

#include <string>
#include <string_view>

#include "core/json.h"
#include "core/result.h"
#include "kube/rest_config.h"

namespace kstack::kube {

struct Kubeconfig {
  RestConfig config;
  // The context used and the names it points at.
  std::string context;
  std::string cluster;
  std::string user;
  // The context's namespace; "default" when it names none.
  std::string namespace_name = "default";
};

struct KubeconfigOptions {
  // The context to use; empty uses `current-context`.
  std::string context;
};

// Reads the kubeconfig at `path`. When `path` is empty: the files of $KUBECONFIG (separated by
// ':', merged as kubectl merges them: the first file naming an entry or current-context wins),
// else ~/.kube/config.
// Errors: kNotFound when a file cannot be read; kInvalid when the text is not a kubeconfig or
// an entry is missing or incomplete, naming the file and the field ("FILE: context \"x\" not
// found", "FILE: users[name=\"u\"].user.tokenFile: cannot read /p: ...").
Result<Kubeconfig> LoadKubeconfig(const std::string& path, const KubeconfigOptions& options = {});

// The same from a document already read; `source` names it in errors and `base_dir` resolves
// relative paths (empty: the current directory).
Result<Kubeconfig> KubeconfigFromJson(const Json& document, std::string_view source,
                                      const std::string& base_dir,
                                      const KubeconfigOptions& options = {});

}  // namespace kstack::kube
