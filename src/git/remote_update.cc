#include "git/internal/remote_update.h"

#include <cstring>
#include <filesystem>

#include "git/internal/libgit2.h"
#include "git/internal/remote_callbacks.h"

namespace kstack::git::internal {
namespace {

// Points HEAD at `branch` ("refs/heads/main") unless it already does.
Status SetSymbolicHead(git_repository* repo, const std::string& branch) {
  git_reference* head = nullptr;
  if (git_reference_lookup(&head, repo, "HEAD") == 0) {
    ReferencePtr owned(head);
    if (git_reference_type(head) == GIT_REFERENCE_SYMBOLIC &&
        branch == git_reference_symbolic_target(head)) {
      return Status::Ok();
    }
  }
  if (git_repository_set_head(repo, branch.c_str()) != 0) {
    return InternalError("setting HEAD to " + branch + ": " + LastErrorMessage());
  }
  return Status::Ok();
}

// Where the remote's HEAD points: its default branch ("refs/heads/main"), or else the commit
// of a detached HEAD. Read right after listing, while the advertised refs are at hand.
struct RemoteHead {
  std::string branch;
  bool has_oid = false;
  git_oid oid{};
};

RemoteHead ReadRemoteHead(git_remote* remote, const git_remote_head** heads, size_t count) {
  RemoteHead head;
  git_buf branch = GIT_BUF_INIT;
  if (git_remote_default_branch(&branch, remote) == 0) head.branch.assign(branch.ptr, branch.size);
  git_buf_dispose(&branch);
  for (size_t i = 0; i < count; ++i) {
    if (std::strcmp(heads[i]->name, "HEAD") == 0) {
      head.has_oid = true;
      head.oid = heads[i]->oid;
    }
  }
  return head;
}

Status MirrorHead(git_repository* repo, const RemoteHead& head) {
  if (!head.branch.empty()) return SetSymbolicHead(repo, head.branch);
  if (!head.has_oid) return Status::Ok();
  git_object* commit = nullptr;
  if (git_object_lookup(&commit, repo, &head.oid, GIT_OBJECT_COMMIT) != 0) return Status::Ok();
  git_object_free(commit);
  if (git_repository_set_head_detached(repo, &head.oid) != 0) {
    return InternalError("detaching HEAD: " + LastErrorMessage());
  }
  return Status::Ok();
}

std::string Base64(std::string_view in) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    uint32_t n = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8) | uint8_t(in[i + 2]);
    for (int shift : {18, 12, 6, 0}) out += kAlphabet[(n >> shift) & 63];
  }
  if (i + 1 == in.size()) {
    uint32_t n = uint8_t(in[i]) << 16;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += "==";
  } else if (i + 2 == in.size()) {
    uint32_t n = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8);
    for (int shift : {18, 12, 6}) out += kAlphabet[(n >> shift) & 63];
    out += '=';
  }
  return out;
}

// The Authorization header sent with every HTTP request when a username or password is
// configured, instead of waiting for a 401 challenge: libgit2 1.5 does not read the body of a
// 401 on a kept-alive connection and then fails on the next answer ("http parser error").
std::string BasicAuthorization(const RepoUrl& url, const Credentials& c) {
  bool http = url.transport == Transport::kHttp || url.transport == Transport::kHttps;
  if (!http || (c.username.empty() && c.password.empty())) return "";
  std::string user = !c.username.empty() ? c.username : !url.user.empty() ? url.user : "git";
  return "Authorization: Basic " + Base64(user + ":" + c.password);
}

}  // namespace

Status CheckTransport(const RepoUrl& url, int features) {
  if (url.transport == Transport::kSsh && (features & GIT_FEATURE_SSH) == 0) {
    return InvalidError("repository \"" + url.display + "\": ssh is not supported by this build");
  }
  if (url.transport == Transport::kHttps && (features & GIT_FEATURE_HTTPS) == 0) {
    return InvalidError("repository \"" + url.display + "\": https is not supported by this build");
  }
  return Status::Ok();
}

Result<UpdateOutcome> UpdateFromRemote(git_repository* repo, const RepoUrl& url,
                                       const Credentials& credentials,
                                       const UpdateOptions& options) {
  KSTACK_RETURN_IF_ERROR(CheckTransport(url, Libgit2Features()));
  if (url.transport == Transport::kLocal) {
    std::error_code ec;
    if (!std::filesystem::is_directory(url.fetch_url, ec)) {
      return NotFoundError("repository \"" + url.display + "\" not found: no directory " +
                           url.fetch_url);
    }
  }
  // An anonymous remote, created without reading url.<base>.insteadOf from the configuration:
  // libgit2 1.5's git_remote_create_anonymous leaks about 50 KB per call in that lookup, which
  // a controller that polls hundreds of apps would pay on every refresh.
  git_remote_create_options create;
  git_remote_create_options_init(&create, GIT_REMOTE_CREATE_OPTIONS_VERSION);
  create.repository = repo;
  create.flags = GIT_REMOTE_CREATE_SKIP_INSTEADOF | GIT_REMOTE_CREATE_SKIP_DEFAULT_FETCHSPEC;
  git_remote* raw = nullptr;
  if (git_remote_create_with_opts(&raw, url.fetch_url.c_str(), &create) != 0) {
    return InvalidError("repository \"" + url.display + "\": " + LastErrorMessage());
  }
  RemotePtr remote(raw);
  CallbackState state{.url = &url, .credentials = &credentials};
  git_remote_callbacks callbacks = MakeCallbacks(&state);
  std::string authorization = BasicAuthorization(url, credentials);
  char* header = authorization.data();
  git_strarray headers{&header, authorization.empty() ? 0u : 1u};
  state.password_offered = !authorization.empty();
  // Credentials sent with every request must not follow a redirect to another server.
  git_remote_redirect_t redirects =
      authorization.empty() ? GIT_REMOTE_REDIRECT_INITIAL : GIT_REMOTE_REDIRECT_NONE;

  git_remote_connect_options connect;
  git_remote_connect_options_init(&connect, GIT_REMOTE_CONNECT_OPTIONS_VERSION);
  connect.callbacks = callbacks;
  connect.follow_redirects = redirects;
  connect.custom_headers = headers;
  int rc = git_remote_connect_ext(remote.get(), GIT_DIRECTION_FETCH, &connect);
  if (rc != 0) return RemoteError(rc, state);
  const git_remote_head** heads = nullptr;
  size_t count = 0;
  if ((rc = git_remote_ls(&heads, &count, remote.get())) != 0) return RemoteError(rc, state);

  UpdateOutcome outcome;
  if (count > 0) {
    RemoteHead head = ReadRemoteHead(remote.get(), heads, count);
    std::vector<char*> specs;
    for (const std::string& s : options.refspecs) specs.push_back(const_cast<char*>(s.c_str()));
    git_strarray refspecs{specs.data(), specs.size()};
    git_fetch_options fetch;
    git_fetch_options_init(&fetch, GIT_FETCH_OPTIONS_VERSION);
    fetch.callbacks = callbacks;
    fetch.prune = options.prune ? GIT_FETCH_PRUNE : GIT_FETCH_NO_PRUNE;
    fetch.update_fetchhead = 0;
    fetch.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE;
    fetch.follow_redirects = redirects;
    fetch.custom_headers = headers;
    if ((rc = git_remote_download(remote.get(), &refspecs, &fetch)) != 0) {
      return RemoteError(rc, state);
    }
    outcome.received_pack = git_remote_stats(remote.get())->received_objects > 0;
    rc = git_remote_update_tips(remote.get(), &callbacks, 0, GIT_REMOTE_DOWNLOAD_TAGS_NONE,
                                "kstack: fetch");
    if (rc != 0) return RemoteError(rc, state);
    if (options.prune && (rc = git_remote_prune(remote.get(), &callbacks)) != 0) {
      return RemoteError(rc, state);
    }
    if (options.mirror_head) {
      KSTACK_RETURN_IF_ERROR(MirrorHead(repo, head));
    }
  }
  git_remote_disconnect(remote.get());
  return outcome;
}

}  // namespace kstack::git::internal
