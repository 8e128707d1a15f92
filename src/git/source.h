#pragma once

// Where a repository lives and how to authenticate to it, as an Argo CD repository secret
// describes it (`url`, `username`, `password`, `sshPrivateKey`, `insecure`, known hosts).

#include <string>

namespace kstack::git {

struct Credentials {
  // HTTP(S) basic authentication. A token goes in `password`; when `username` is empty and a
  // password is set, "git" is sent as the user name (hosts ignore it for tokens). For SSH,
  // `username` is the login when the URL names none (default "git").
  std::string username;
  std::string password;
  // An SSH private key in OpenSSH or PEM form, and its passphrase when it is encrypted.
  std::string ssh_private_key;
  std::string ssh_passphrase;
  // OpenSSH known_hosts lines ("host[,host...] key-type base64-key"; "[host]:port" for another
  // port than 22). The SSH host key must match one of them unless `insecure` is set; hashed
  // host names ("|1|...") are not understood and never match.
  std::string ssh_known_hosts;
  // Skips verification of the server's TLS certificate and of its SSH host key.
  bool insecure = false;
};

struct Source {
  // file:///path, a plain path, git://, http://, https://, ssh:// or scp-like user@host:path.
  std::string url;
  Credentials credentials;
};

}  // namespace kstack::git
