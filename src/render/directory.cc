#include "render/directory.h"

#include <fmt/format.h>

#include <optional>

#include "core/parallel.h"
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

// The documents of one file; `unit` names one of them in errors.
struct DecodedFile {
  std::vector<Json> docs;
  std::string_view unit = "document";
};

Result<DecodedFile> DecodeFile(const FileTree& tree, const std::string& app,
                               const DirectoryOptions& options, const Candidate& file) {
  DecodedFile out;
  if (EndsWith(file.path, ".jsonnet")) {
    KSTACK_ASSIGN_OR_RETURN(
        Json value, EvaluateJsonnet(tree, file.path, file.text, app, options.jsonnet, options.env));
    KSTACK_ASSIGN_OR_RETURN(out.docs, internal::FlattenJsonnetValue(std::move(value), file.path));
    out.unit = "item";
  } else if (EndsWith(file.path, ".json")) {
    KSTACK_ASSIGN_OR_RETURN(out.docs, internal::DecodeJsonFile(file.text, file.path));
  } else {
    KSTACK_ASSIGN_OR_RETURN(out.docs, internal::DecodeYamlFile(file.text, file.path));
  }
  return out;
}

// Below this much text per thread, threads cost more than they save.
constexpr size_t kParallelBytesPerThread = 64 << 10;

}  // namespace

Result<std::vector<RenderedObject>> RenderDirectory(const FileTree& tree, std::string_view path,
                                                    const DirectoryOptions& options) {
  KSTACK_ASSIGN_OR_RETURN(std::string app, CleanPath(path));
  KSTACK_ASSIGN_OR_RETURN(std::vector<Candidate> files, SelectFiles(tree, app, options));
  // Files decode independently, on several threads when there is enough text; objects and the
  // first error are then taken in file order, as one thread would find them.
  std::vector<Result<DecodedFile>> decoded(files.size(), BadRequestError("not decoded"));
  std::vector<size_t> bytes;
  bytes.reserve(files.size());
  for (const Candidate& file : files) bytes.push_back(file.text.size());
  ForEachRange(bytes, kParallelBytesPerThread, [&](size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) {
      decoded[i] = DecodeFile(tree, app, options, files[i]);
      if (!decoded[i].ok()) return;
    }
  });
  std::vector<RenderedObject> objects;
  for (size_t i = 0; i < files.size(); ++i) {
    if (!decoded[i].ok()) return decoded[i].status();
    KSTACK_RETURN_IF_ERROR(internal::AppendObjects(std::move(decoded[i]->docs), files[i].path,
                                                   decoded[i]->unit, &objects));
  }
  return objects;
}

}  // namespace kstack::render
