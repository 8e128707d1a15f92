#include "render/directory.h"

#include <fmt/format.h>

#include <optional>

#include "render/glob.h"
#include "render/internal/manifest_file.h"

namespace kstack::render {
namespace {

constexpr std::string_view kSkipMarker = "+argocd:skip-file-rendering";

bool EndsWith(std::string_view s, std::string_view suffix) { return s.ends_with(suffix); }

bool HasManifestExtension(std::string_view name) {
  return EndsWith(name, ".yaml") || EndsWith(name, ".yml") || EndsWith(name, ".json") ||
         EndsWith(name, ".jsonnet");
}

// A file chosen for rendering, with its contents.
struct Candidate {
  std::string path;
  std::string text;
};

// `path` relative to the clean directory `dir`.
std::string_view Relative(std::string_view path, std::string_view dir) {
  return dir.empty() ? path : path.substr(dir.size() + 1);
}

Result<std::optional<Glob>> CompileOption(std::string_view field, const std::string& pattern) {
  if (pattern.empty()) return std::optional<Glob>();
  Result<Glob> glob = Glob::Compile(pattern);
  if (!glob.ok()) return glob.status().WithContext(field);
  return std::optional<Glob>(std::move(*glob));
}

// The files to render, in order, read; Argo CD settles which files count (and fails on
// symlinks out of the repository, or too many bytes) before decoding any.
Result<std::vector<Candidate>> SelectFiles(const FileTree& tree, const std::string& app,
                                           const DirectoryOptions& options) {
  std::optional<Glob> include, exclude;
  KSTACK_ASSIGN_OR_RETURN(include, CompileOption("directory.include", options.include));
  KSTACK_ASSIGN_OR_RETURN(exclude, CompileOption("directory.exclude", options.exclude));
  KSTACK_ASSIGN_OR_RETURN(std::vector<Entry> entries, tree.List(app, options.recurse));

  std::vector<Candidate> out;
  uint64_t total = 0;
  for (Entry& entry : entries) {
    if (entry.type == EntryType::kDirectory || entry.type == EntryType::kOther) continue;
    std::string_view name = BaseName(entry.path);
    if (!options.disable_extension_filter && !HasManifestExtension(name)) continue;
    std::optional<std::string> text;
    if (entry.type == EntryType::kSymlink) {
      // Resolved before the globs are consulted: a link out of the repository is an error even
      // when excluded, and one to nothing or to a directory is passed over.
      Result<std::string> read = tree.Read(entry.path);
      if (!read.ok()) {
        Reason reason = read.status().reason();
        if (reason == Reason::kNotFound || reason == Reason::kBadRequest) continue;
        return read.status();
      }
      text = std::move(*read);
    }
    std::string_view rel = Relative(entry.path, app);
    if (exclude && exclude->Match(rel)) continue;
    if (include && !include->Match(rel)) continue;
    if (!text) {
      KSTACK_ASSIGN_OR_RETURN(text, tree.Read(entry.path));
    }
    if (text->find(kSkipMarker) != std::string::npos) continue;
    if (!EndsWith(name, ".jsonnet")) {
      total += text->size();
      if (options.max_manifest_bytes != 0 && total > options.max_manifest_bytes) {
        return BadRequestError(
            fmt::format("{}: the manifest files of \"{}\" exceed the limit of {} bytes", entry.path,
                        app.empty() ? "." : app, options.max_manifest_bytes));
      }
    }
    out.push_back({std::move(entry.path), std::move(*text)});
  }
  return out;
}

}  // namespace

Result<std::vector<RenderedObject>> RenderDirectory(const FileTree& tree, std::string_view path,
                                                    const DirectoryOptions& options) {
  KSTACK_ASSIGN_OR_RETURN(std::string app, CleanPath(path));
  KSTACK_ASSIGN_OR_RETURN(std::vector<Candidate> files, SelectFiles(tree, app, options));
  std::vector<RenderedObject> objects;
  for (const Candidate& file : files) {
    std::vector<Json> docs;
    std::string_view unit = "document";
    if (EndsWith(file.path, ".jsonnet")) {
      KSTACK_ASSIGN_OR_RETURN(Json value, EvaluateJsonnet(tree, file.path, file.text, app,
                                                          options.jsonnet, options.env));
      KSTACK_ASSIGN_OR_RETURN(docs, internal::FlattenJsonnetValue(std::move(value), file.path));
      unit = "item";
    } else if (EndsWith(file.path, ".json")) {
      KSTACK_ASSIGN_OR_RETURN(docs, internal::DecodeJsonFile(file.text, file.path));
    } else {
      KSTACK_ASSIGN_OR_RETURN(docs, internal::DecodeYamlFile(file.text, file.path));
    }
    KSTACK_RETURN_IF_ERROR(internal::AppendObjects(std::move(docs), file.path, unit, &objects));
  }
  return objects;
}

}  // namespace kstack::render
