#pragma once

// Repository URLs: which transport a URL uses and which repository of the cache it names.

#include <string>
#include <string_view>

#include "core/result.h"

namespace kstack::git {

enum class Transport { kLocal, kGit, kHttp, kHttps, kSsh };

struct RepoUrl {
  Transport transport = Transport::kLocal;
  // What the transport is given: the URL as written, or an absolute path for a local one.
  std::string fetch_url;
  // The URL as written, with any password replaced by "***": what error messages show.
  std::string display;
  // The repository's identity: scheme and host in lower case, default ports dropped, no HTTP
  // user information, scp-like SSH written as ssh://, local paths absolute and lexically
  // normal, no trailing "/" or ".git". Two URLs with the same identity share one cache entry.
  std::string normalized;
  // Host, port (0 for the transport's default) and SSH user, for host key checks and messages.
  std::string host;
  int port = 0;
  std::string user;
};

// Parses `url`. Relative paths are made absolute against the current directory.
// Errors: Invalid for an empty URL, an unknown scheme, file:// with a remote host, or a
// malformed port.
Result<RepoUrl> ParseRepoUrl(std::string_view url);

// The identity of `url` (RepoUrl::normalized), or `url` itself when it cannot be parsed. Lets
// callers match repository URLs written in different ways, as Argo CD does.
std::string NormalizeRepoUrl(std::string_view url);

// "file", "git", "http", "https" or "ssh".
std::string_view TransportName(Transport transport);

}  // namespace kstack::git
