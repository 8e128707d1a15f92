#pragma once

// The desired objects of an Application's source at a revision, as Argo CD's repo server
// generates them: the repository is fetched into the cache, the revision resolved to a commit,
// and the source's path rendered from that commit's tree. Directory sources (plain YAML/JSON
// and Jsonnet, with `directory` options) are rendered here; Helm and kustomize sources are
// refused with a message naming the type, as nothing would otherwise show why the app is
// empty.

#include <string>
#include <vector>

#include "core/json.h"
#include "core/result.h"
#include "git/repository_cache.h"

namespace kstack::gitops::controller {

struct Manifests {
  std::string revision;     // the resolved commit SHA
  std::string source_type;  // "Directory", as status.sourceType says
  std::vector<Json> objects;
};

// `source` is spec.source; `revision` overrides its targetRevision when not empty (a sync to
// a given revision). Errors name the repository, revision or path, and for a manifest the file
// (render's errors): NotFound for a missing repository, revision or path; Invalid for a file
// that does not parse or an unsupported source type.
Result<Manifests> GenerateManifests(git::RepositoryCache& cache, const Json& source,
                                    const git::Credentials& credentials,
                                    const std::string& revision = "");

}  // namespace kstack::gitops::controller
