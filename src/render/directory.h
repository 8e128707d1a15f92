#pragma once

// A directory source (`spec.source.directory` of an Argo CD Application) rendered into the
// objects it declares, as Argo CD's repo server renders it:
//
// - Files of the app path whose names end in .yaml, .yml, .json or .jsonnet are read (.libsonnet
//   and every other file are ignored); with `recurse`, those of every subdirectory too. Order:
//   Go's filepath.Walk, names sorted by byte value in each directory, a directory's files where
//   its name sorts.
// - `include` and `exclude` (glob.h) select files by their path relative to the app path; a
//   file is read when it matches `include` (or include is empty) and not `exclude`.
// - A file containing "+argocd:skip-file-rendering" is skipped.
// - YAML files may hold several documents (or a JSON stream); empty ones are skipped. A YAML
//   file whose first document is not a Kubernetes object (not a mapping with a `kind`), or that
//   is not valid YAML, is taken for an unrelated file (a CI config, Helm values...) and
//   ignored, unless its text contains all of "apiVersion:", "kind:" and "metadata:", when it is
//   an error. Hidden files get no special treatment: Argo CD reads them like any other.
// - A .json file holds exactly one object.
// - A .jsonnet file is evaluated (jsonnet.h); its value may be an object, an array of objects,
//   or arrays nested in arrays; nulls are skipped.
// - Every object with an `items` array (a `List`, `ConfigMapList`...) is replaced by its items;
//   one with `items: null` and neither spec nor status gives nothing.
// - Every object must have `apiVersion`, `kind` and `metadata.name` (or
//   `metadata.generateName`, which hooks use).
//
// Errors count documents from 1, leaving out empty ones, and a Jsonnet file's objects as
// "item N" in the order they come (nested arrays flattened).

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "core/result.h"
#include "render/file_tree.h"
#include "render/jsonnet.h"

namespace kstack::render {

struct DirectoryOptions {
  bool recurse = false;
  std::string include;  // a glob; empty selects every file
  std::string exclude;  // a glob; empty excludes nothing
  // Reads every file include/exclude select, not only .yaml/.yml/.json/.jsonnet ones; files
  // other than .json and .jsonnet are then read as YAML.
  bool disable_extension_filter = false;
  JsonnetOptions jsonnet;
  // The build environment substituted into Jsonnet variable values (ARGOCD_APP_NAME, ...).
  // Not part of the Application's directory block: the caller supplies it.
  std::map<std::string, std::string> env;
  // A limit on the summed size of the YAML and JSON files read (Jsonnet files do not count);
  // 0 for none. Argo CD's default (reposerver.max.combined.directory.manifests.size) is 10M.
  uint64_t max_manifest_bytes = 10'000'000;
};

struct RenderedObject {
  Json object;
  std::string file;  // the tree path of the file it came from
};

// Reads the `directory` block of an Application source: recurse, include, exclude,
// disableExtensionFilter, jsonnet {tlas, extVars: [{name, value, code}], libs}. A null value
// gives the defaults. Errors: BadRequest naming the field ("directory.jsonnet.tlas[0].name:
// required"), unknown fields included.
Result<DirectoryOptions> ParseDirectoryOptions(const Json& directory);

// Renders the directory source at tree path `path` ("" or "." for the root). A pure function of
// the tree's contents and the options; thread-safe when the tree is.
//
// Errors, all naming the file concerned:
//   BadRequest — YAML that does not parse ("app/x.yaml:3:7: ..."), an object without apiVersion,
//     kind or metadata.name ("app/x.yaml: document 2: missing metadata.name"), a .json file that
//     is not one object, a Jsonnet error (file, line and column), a bad glob
//     ("directory.include: glob \"{a\": column 1: ..."), more manifest bytes than the limit;
//   NotFound — `path` does not exist; Forbidden — a symlink leading out of the tree;
//   whatever the tree returns when reading fails.
Result<std::vector<RenderedObject>> RenderDirectory(const FileTree& tree, std::string_view path,
                                                    const DirectoryOptions& options);

}  // namespace kstack::render
