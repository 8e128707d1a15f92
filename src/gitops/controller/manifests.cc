#include "gitops/controller/manifests.h"

#include <fmt/format.h>

#include "gitops/controller/git_file_tree.h"
#include "render/directory.h"

namespace kstack::gitops::controller {
namespace {

bool IsFile(const render::FileTree& tree, const std::string& path) { return tree.Read(path).ok(); }

}  // namespace

Result<Manifests> GenerateManifests(git::RepositoryCache& cache, const Json& source,
                                    const git::Credentials& credentials,
                                    const std::string& revision) {
  if (!source.is_object()) return InvalidError("spec.source: must be an object");
  std::string url(FindString(source, "repoURL"));
  if (url.empty()) return InvalidError("spec.source.repoURL: required");
  if (!FindString(source, "chart").empty()) {
    return InvalidError(fmt::format("source {}: Helm chart sources are not supported yet", url));
  }
  std::string wanted =
      revision.empty() ? std::string(FindString(source, "targetRevision")) : revision;
  Manifests out;
  KSTACK_ASSIGN_OR_RETURN(out.revision,
                          cache.Resolve({.url = url, .credentials = credentials}, wanted));
  KSTACK_ASSIGN_OR_RETURN(std::unique_ptr<git::Tree> commit, cache.OpenTree(url, out.revision));
  GitFileTree tree(std::move(commit));
  KSTACK_ASSIGN_OR_RETURN(std::string path, render::CleanPath(FindString(source, "path")));
  for (std::string_view marker :
       {"Chart.yaml", "kustomization.yaml", "kustomization.yml", "Kustomization"}) {
    std::string file = path.empty() ? std::string(marker) : path + "/" + std::string(marker);
    if (IsFile(tree, file)) {
      std::string type = marker == "Chart.yaml" ? "Helm" : "Kustomize";
      return InvalidError(fmt::format("{} at {} of {}: {} sources are not supported yet", path,
                                      out.revision, url, type));
    }
  }
  const Json* directory = FindMember(source, "directory");
  KSTACK_ASSIGN_OR_RETURN(render::DirectoryOptions options,
                          render::ParseDirectoryOptions(directory ? *directory : Json()));
  Result<std::vector<render::RenderedObject>> rendered =
      render::RenderDirectory(tree, path, options);
  if (!rendered.ok()) {
    return rendered.status().WithContext(fmt::format("{} at {}", url, out.revision.substr(0, 7)));
  }
  out.source_type = "Directory";
  out.objects.reserve(rendered->size());
  for (render::RenderedObject& o : *rendered) out.objects.push_back(std::move(o.object));
  return out;
}

}  // namespace kstack::gitops::controller
