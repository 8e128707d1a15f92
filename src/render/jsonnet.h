#pragma once

// Jsonnet files of a directory source, evaluated with libjsonnet as Argo CD evaluates them
// (`spec.source.directory.jsonnet`): top-level arguments, external variables and library
// paths, every import read from the same FileTree as the file itself.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "core/result.h"
#include "render/file_tree.h"

namespace kstack::render {

// One of `tlas` or `extVars`: a string, or Jsonnet code when `code` is set.
struct JsonnetVar {
  std::string name;
  std::string value;
  bool code = false;
};

struct JsonnetOptions {
  std::vector<JsonnetVar> tlas;
  std::vector<JsonnetVar> ext_vars;
  // Library search paths, relative to the tree's root (a leading '/' too), not to the app.
  std::vector<std::string> libs;
};

// Evaluates `text`, the contents of the Jsonnet file at tree path `file`, and returns its
// value. `env` is the build environment: $NAME and ${NAME} in the values of `tlas` and
// `ext_vars` are replaced first (an unset name by ""), as Argo CD does.
//
// An import is looked for next to the importing file, then in `options.libs` from the last to
// the first, then in `app_path` (the search order of Argo CD's importer). An import by absolute
// path, or one climbing out of the tree, is refused.
//
// Errors: BadRequest "FILE: jsonnet: MESSAGE", where libjsonnet's message names the file, line
// and column of the fault (syntax, runtime, a missing import or variable); Forbidden when a
// library path leaves the tree. Thread-safe: each call has its own interpreter.
Result<Json> EvaluateJsonnet(const FileTree& tree, std::string_view file, std::string_view text,
                             std::string_view app_path, const JsonnetOptions& options,
                             const std::map<std::string, std::string>& env = {});

}  // namespace kstack::render
