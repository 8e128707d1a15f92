#include "git/internal/remote_callbacks.h"

#include <algorithm>
#include <cctype>
#include <string>

#include "git/internal/known_hosts.h"
#include "git/internal/libgit2.h"

namespace kstack::git::internal {
namespace {

std::string Quoted(const RepoUrl& url) { return "repository \"" + url.display + "\""; }

int Refuse(CallbackState* s, Status failure) {
  s->failure = std::move(failure);
  git_error_set_str(GIT_ERROR_CALLBACK, s->failure.message().c_str());
  return GIT_EUSER;
}

int AcquireCredential(git_credential** out, const char* /*url*/, const char* user_from_url,
                      unsigned int allowed, void* payload) {
  auto* s = static_cast<CallbackState*>(payload);
  const Credentials& c = *s->credentials;
  std::string user =
      user_from_url != nullptr && user_from_url[0] != '\0' ? user_from_url : c.username;
  if (user.empty()) user = "git";
  const bool ssh = s->url->transport == Transport::kSsh;

  if ((allowed & (GIT_CREDENTIAL_SSH_MEMORY | GIT_CREDENTIAL_SSH_KEY)) != 0 &&
      !c.ssh_private_key.empty()) {
    if (s->ssh_key_offered) {
      return Refuse(
          s, Status(Reason::kUnauthorized,
                    Quoted(*s->url) + ": the SSH key was refused for user \"" + user + "\""));
    }
    s->ssh_key_offered = true;
    const char* passphrase = c.ssh_passphrase.empty() ? nullptr : c.ssh_passphrase.c_str();
    return git_credential_ssh_key_memory_new(out, user.c_str(), nullptr, c.ssh_private_key.c_str(),
                                             passphrase);
  }
  if ((allowed & GIT_CREDENTIAL_USERNAME) != 0) {
    return git_credential_username_new(out, user.c_str());
  }
  if ((allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT) != 0 && !ssh &&
      (!c.password.empty() || !c.username.empty())) {
    if (s->password_offered) {
      return Refuse(s, Status(Reason::kUnauthorized,
                              Quoted(*s->url) + ": the username and password were refused"));
    }
    s->password_offered = true;
    return git_credential_userpass_plaintext_new(out, user.c_str(), c.password.c_str());
  }
  return Refuse(s, Status(Reason::kUnauthorized,
                          Quoted(*s->url) + ": authentication required, and no " +
                              (ssh ? "SSH private key" : "username and password") + " were given"));
}

int CheckCertificate(git_cert* cert, int valid, const char* host, void* payload) {
  auto* s = static_cast<CallbackState*>(payload);
  const Credentials& c = *s->credentials;
  if (c.insecure) return 0;
  std::string name = host != nullptr ? host : s->url->host;
  if (cert->cert_type == GIT_CERT_HOSTKEY_LIBSSH2) {
    const auto* key = reinterpret_cast<const git_cert_hostkey*>(cert);
    if ((key->type & GIT_CERT_SSH_RAW) == 0) {
      return Refuse(s, UnavailableError(Quoted(*s->url) + ": the SSH host key of " + name +
                                        " cannot be checked"));
    }
    std::string_view blob(key->hostkey, key->hostkey_len);
    if (KnownHostsAccept(c.ssh_known_hosts, name, s->url->port, blob)) return 0;
    return Refuse(s, UnavailableError(Quoted(*s->url) + ": the SSH host key of " + name +
                                      " is not among the known hosts (add it, or set insecure)"));
  }
  if (valid) return 0;
  return Refuse(s, UnavailableError(Quoted(*s->url) + ": the TLS certificate of " + name +
                                    " is not trusted (add its CA, or set insecure)"));
}

bool Contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace

git_remote_callbacks MakeCallbacks(CallbackState* state) {
  git_remote_callbacks callbacks;
  git_remote_init_callbacks(&callbacks, GIT_REMOTE_CALLBACKS_VERSION);
  callbacks.credentials = AcquireCredential;
  callbacks.certificate_check = CheckCertificate;
  callbacks.payload = state;
  return callbacks;
}

Status RemoteError(int rc, const CallbackState& state) {
  if (!state.failure.ok()) return state.failure;
  std::string message = LastErrorMessage();
  std::string lower = message;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const std::string what = Quoted(*state.url);
  if (rc == GIT_EAUTH || Contains(lower, "401") || Contains(lower, "403") ||
      Contains(lower, "authentication")) {
    return Status(Reason::kUnauthorized, what + ": " + message);
  }
  if (rc == GIT_ECERTIFICATE) return UnavailableError(what + ": " + message);
  if (Contains(lower, "404") || Contains(lower, "not found") ||
      Contains(lower, "could not find repository") || Contains(lower, "not exported") ||
      Contains(lower, "no such repository") ||
      Contains(lower, "does not appear to be a git repository") ||
      Contains(lower, "no such file")) {
    return NotFoundError(what + " not found: " + message);
  }
  return UnavailableError(what + ": " + message);
}

}  // namespace kstack::git::internal
