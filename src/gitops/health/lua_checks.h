#pragma once

// Custom health checks written in Lua, configured as Argo CD configures them:
//
//   argocd-cm data:
//     resource.customizations.health.<group>_<kind>: |        (core group: just <kind>)
//       hs = {} ... return hs
//     resource.customizations.useOpenLibs.<group>_<kind>: "true"
//     resource.customizations: |                               (YAML; keys may hold globs)
//       "*.aws.crossplane.io/*":
//         health.lua: | ...
//         health.lua.useOpenLibs: true
//
// and, like the checks Argo CD bundles, a directory laid out as <group>/<Kind>/health.lua in
// which a `_` in a folder name stands for `*` (`_.crossplane.io/_`). The script sees the
// object as the global `obj` and returns a table {status = "...", message = "..."}. Scripts are
// Lua 5.1; the `goto continue` idiom that Argo CD's Lua also accepts is rewritten for it
// (internal/lua_continue.h), any other goto is a syntax error.
//
// Which script runs for an object, first match wins: a configured script for its exact
// group/kind; a configured glob (`*` matches any text, `/` included; the keys are tried in
// byte order); a directory script for the exact group/kind; a directory glob (`*` stops at
// `/`; tried in byte order). A script found this way replaces the built-in check.
//
// The sandbox is Argo CD's: the base library (without dofile, loadfile, or loading of
// precompiled chunks; print discards its output), table, and an `os` that holds only time
// and date; `require` returns only these. Scripts that are allowed the standard libraries
// (directory scripts, and configured ones with useOpenLibs) also get string, math and
// coroutine. Never io, debug, package loading or the rest of os. Each run gets a fresh Lua
// state with a time limit (checked every 1,000 instructions) and a memory limit; a pattern
// match inside one string function call is not interrupted.
//
// What a script's result means, as Argo CD reads it:
//   {status = <a code>, message = <string>}      that health;
//   status absent or not one of the six codes    Unknown, "Lua returned an invalid health status";
//   nil, nothing, an empty table, a list, or a
//   status/message that is not a string          no health (Argo CD shows an empty one);
//   any other value                              Unknown, "expect table output from Lua script,
//                                                 not <type>";
//   an error (syntax, runtime, limits)            Unknown with the error message, positions
//                                                 written "<string>:<line>:".
//
// Thread safety: a LuaHealthChecks is read-only once built; Run() may be called from any
// number of threads at once.

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/json.h"
#include "core/result.h"
#include "gitops/health/health_status.h"

namespace kstack::gitops::health {

struct LuaLimits {
  // Argo CD gives a script one second.
  std::chrono::milliseconds timeout{1000};
  // Everything the Lua state allocates, the object included.
  size_t memory_bytes = size_t{64} << 20;
};

// Where a script was configured; configured scripts come before directory ones.
enum class LuaScriptOrigin { kConfigured, kDirectory };

struct LuaScript {
  std::string group_kind;  // "group/Kind", "Kind" for the core group; may hold globs
  std::string source;
  bool open_libs = false;
  LuaScriptOrigin origin = LuaScriptOrigin::kConfigured;
  // The compiled chunk, or why the source does not compile (reported when the script runs).
  std::string bytecode;
  std::string compile_error;
};

class LuaHealthChecks {
 public:
  // Reads the health customizations of an argocd-cm ConfigMap: `config` is the ConfigMap or
  // its `data`. Other keys, and the customizations that are not about health (actions,
  // ignoreDifferences, ...), are ignored; `all` as group_kind means every kind. Errors
  // (kInvalid, naming the key): a group_kind with more than one `_`, a customization type
  // Argo CD does not know, a useOpenLibs value that is not a boolean, a resource.customizations
  // value that is not a YAML mapping of objects.
  static Result<LuaHealthChecks> FromConfigMap(const Json& config);

  // Reads every <group>/<Kind>/health.lua under `root` (directory scripts, standard libraries
  // open). Errors: kNotFound when `root` is not a directory, kInternal when a file cannot be
  // read.
  static Result<LuaHealthChecks> FromDirectory(const std::filesystem::path& root);

  // Adds one script; a later one for the same origin and group_kind replaces the earlier one.
  void Add(std::string group_kind, std::string source, bool open_libs,
           LuaScriptOrigin origin = LuaScriptOrigin::kConfigured);
  // Takes the scripts of `other` in, as Add() would.
  void Merge(LuaHealthChecks other);

  void set_limits(const LuaLimits& limits) { limits_ = limits; }
  const LuaLimits& limits() const { return limits_; }
  bool empty() const { return size() == 0; }
  size_t size() const;

  // The script for an object of `group` ("" for core) and `kind`; null when none applies.
  // The pointer stays valid until the checks are changed or destroyed.
  const LuaScript* Find(std::string_view group, std::string_view kind) const;

  // Runs `script` (one of these checks') on `object` within the limits: the health it reports,
  // or nullopt for "no health".
  std::optional<HealthStatus> Run(const LuaScript& script, const Json& object) const;

 private:
  struct Layer {
    // Keyed by group_kind; byte order is the order globs are tried in.
    std::map<std::string, std::unique_ptr<LuaScript>, std::less<>> exact;
    std::map<std::string, std::unique_ptr<LuaScript>, std::less<>> globs;
  };
  Layer configured_;
  Layer directory_;
  LuaLimits limits_;
};

}  // namespace kstack::gitops::health
