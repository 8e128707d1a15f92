#pragma once

// The credential and certificate callbacks given to libgit2 for one remote conversation, and
// the translation of a failed conversation into a Status.

#include <git2.h>

#include "core/status.h"
#include "git/source.h"
#include "git/url.h"

namespace kstack::git::internal {

// What the callbacks of one conversation share. A callback that refuses to go on records why
// in `failure`, which then explains the error better than libgit2's message does.
struct CallbackState {
  const RepoUrl* url = nullptr;
  const Credentials* credentials = nullptr;
  bool ssh_key_offered = false;
  bool password_offered = false;
  Status failure;
};

// Callbacks whose payload is `state`, which must outlive the conversation.
git_remote_callbacks MakeCallbacks(CallbackState* state);

// The Status of a libgit2 call on the remote that returned `rc` < 0: the callbacks' own failure
// when they recorded one, else libgit2's last error classified as NotFound, Unauthorized or
// Unavailable, with a message naming the URL.
Status RemoteError(int rc, const CallbackState& state);

}  // namespace kstack::git::internal
