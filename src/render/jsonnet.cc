#include "render/jsonnet.h"

#include <fmt/format.h>

#include <cstring>
#include <memory>

extern "C" {
#include <libjsonnet.h>
}

#include "render/internal/envsubst.h"

namespace kstack::render {
namespace {

struct ImportContext {
  const FileTree* tree = nullptr;
  JsonnetVm* vm = nullptr;
  // Where an import is looked for after the importing file's directory, in order.
  std::vector<std::string> search;
};

// A copy of `text` that libjsonnet owns and frees.
char* VmString(JsonnetVm* vm, std::string_view text) {
  char* out = jsonnet_realloc(vm, nullptr, text.size() + 1);
  std::memcpy(out, text.data(), text.size());
  out[text.size()] = '\0';
  return out;
}

char* Failure(ImportContext* ctx, int* success, std::string_view message) {
  *success = 0;
  return VmString(ctx->vm, message);
}

// libjsonnet's import callback: `base` is the directory of the importing file (a tree path, as
// the file names given to libjsonnet are tree paths), `rel` the imported path.
char* Import(void* raw, const char* base, const char* rel, char** found_here, int* success) {
  auto* ctx = static_cast<ImportContext*>(raw);
  std::string_view imported(rel);
  if (imported.empty()) return Failure(ctx, success, "an import needs a file name");
  if (imported.front() == '/') {
    return Failure(ctx, success,
                   "imports by absolute path are not allowed; use a path relative to the file "
                   "or to a library path");
  }
  std::vector<std::string> dirs;
  dirs.push_back(base);
  dirs.insert(dirs.end(), ctx->search.begin(), ctx->search.end());
  for (const std::string& dir : dirs) {
    Result<std::string> candidate = JoinPath(dir, imported);
    if (!candidate.ok()) return Failure(ctx, success, candidate.status().message());
    Result<std::string> text = ctx->tree->Read(*candidate);
    if (text.ok()) {
      *found_here = VmString(ctx->vm, *candidate);
      *success = 1;
      return VmString(ctx->vm, *text);
    }
    if (text.status().reason() != Reason::kNotFound) {
      return Failure(ctx, success, text.status().message());
    }
  }
  std::string looked;
  for (size_t i = 1; i < dirs.size(); ++i) {
    looked += fmt::format(", \"{}\"", dirs[i].empty() ? "." : dirs[i]);
  }
  return Failure(ctx, success,
                 fmt::format("no file \"{}\" next to the importing file nor in the search paths{}",
                             imported, looked.empty() ? "" : looked.substr(1)));
}

struct VmDeleter {
  void operator()(JsonnetVm* vm) const { jsonnet_destroy(vm); }
};

std::string TrimEnd(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ' || text.back() == '\t')) {
    text.pop_back();
  }
  return text;
}

}  // namespace

Result<Json> EvaluateJsonnet(const FileTree& tree, std::string_view file, std::string_view text,
                             std::string_view app_path, const JsonnetOptions& options,
                             const std::map<std::string, std::string>& env) {
  ImportContext ctx;
  ctx.tree = &tree;
  for (auto it = options.libs.rbegin(); it != options.libs.rend(); ++it) {
    Result<std::string> lib = CleanPath(*it);
    if (!lib.ok()) {
      return Status(
          lib.status().reason(),
          fmt::format("directory.jsonnet.libs: \"{}\" leads outside the repository", *it));
    }
    ctx.search.push_back(std::move(*lib));
  }
  KSTACK_ASSIGN_OR_RETURN(std::string app, CleanPath(app_path));
  ctx.search.push_back(std::move(app));

  std::unique_ptr<JsonnetVm, VmDeleter> vm(jsonnet_make());
  ctx.vm = vm.get();
  jsonnet_import_callback(vm.get(), &Import, &ctx);
  for (const JsonnetVar& v : options.tlas) {
    std::string value = internal::ExpandEnv(v.value, env);
    if (v.code) {
      jsonnet_tla_code(vm.get(), v.name.c_str(), value.c_str());
    } else {
      jsonnet_tla_var(vm.get(), v.name.c_str(), value.c_str());
    }
  }
  for (const JsonnetVar& v : options.ext_vars) {
    std::string value = internal::ExpandEnv(v.value, env);
    if (v.code) {
      jsonnet_ext_code(vm.get(), v.name.c_str(), value.c_str());
    } else {
      jsonnet_ext_var(vm.get(), v.name.c_str(), value.c_str());
    }
  }

  std::string name(file);
  std::string snippet(text);
  int error = 0;
  char* out = jsonnet_evaluate_snippet(vm.get(), name.c_str(), snippet.c_str(), &error);
  std::string output = out == nullptr ? std::string() : std::string(out);
  if (out != nullptr) jsonnet_realloc(vm.get(), out, 0);
  if (error != 0) {
    return BadRequestError(fmt::format("{}: jsonnet: {}", file, TrimEnd(std::move(output))));
  }
  Result<Json> value = ParseJson(output, name);
  if (!value.ok()) {
    return BadRequestError(fmt::format("{}: jsonnet gave output that is not JSON: {}", file,
                                       value.status().message()));
  }
  return value;
}

}  // namespace kstack::render
