#pragma once

// The function table of a template set: the builtins of text/template, Sprig's functions and
// Helm's, each with its Go signature so that arguments are checked and converted as Go's
// reflection-based calls do ("wrong number of args for trunc: want 2 got 1", "wrong type for
// value; expected string; got int", an untyped constant 3 becoming 3.0 for a float64 parameter).
//
// A FuncMap is filled once and then only read; reading it from several threads is safe.

#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.h"
#include "template/value.h"

namespace kstack::tmpl {

// A Go parameter type. kAny is interface{}; kRaw is reflect.Value (builtins that see the zero
// Value, such as len and index); the others are the Go types of the same names.
enum class Param : uint8_t { kAny, kRaw, kString, kInt, kInt64, kUint32, kFloat64, kBool, kList,
                             kMap, kStrings };

// What a function may ask of the execution that calls it (include, tpl, required).
class CallContext {
 public:
  virtual ~CallContext() = default;
  // Executes the named template of the set with `data` as dot.
  virtual Result<std::string> ExecuteNamed(std::string_view name, const Value& data) = 0;
  // Parses `text` as a template named after the one executing (Helm's tpl: its defines are
  // visible only inside) and executes it with `data`.
  virtual Result<std::string> ExecuteText(std::string_view text, const Value& data) = 0;
};

// A function's result or an error whose message Go prints after "error calling NAME: ".
using FuncResult = Result<Value>;
using FuncImpl = std::function<FuncResult(CallContext& ctx, std::span<const Value> args)>;

struct Func {
  std::vector<Param> params;
  // Set when the function is variadic: the type of each extra argument.
  bool variadic = false;
  Param variadic_type = Param::kAny;
  FuncImpl impl;
  // text/template's and (1) and or (2): evaluated by the executor, short-circuiting.
  uint8_t short_circuit = 0;
};

class FuncMap {
 public:
  // Adds or replaces `name`.
  void Add(std::string name, Func func) { funcs_[std::move(name)] = std::move(func); }
  void Remove(std::string_view name) {
    auto it = funcs_.find(name);
    if (it != funcs_.end()) funcs_.erase(it);
  }
  // Null when there is no such function.
  const Func* Find(std::string_view name) const {
    auto it = funcs_.find(name);
    return it == funcs_.end() ? nullptr : &it->second;
  }
  size_t size() const { return funcs_.size(); }

 private:
  // Transparent hashing: lookups by string_view allocate nothing.
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, Func, Hash, std::equal_to<>> funcs_;
};

// Shorthand to register a function: Fn({Param::kString}, impl).
inline Func Fn(std::vector<Param> params, FuncImpl impl) {
  return Func{.params = std::move(params), .impl = std::move(impl)};
}
inline Func VarFn(std::vector<Param> params, Param variadic_type, FuncImpl impl) {
  return Func{.params = std::move(params), .variadic = true, .variadic_type = variadic_type,
              .impl = std::move(impl)};
}

// text/template's builtins: and or not eq ne lt le gt ge len index slice print printf println
// html js urlquery call. ("and" and "or" short-circuit in the executor.)
void AddBuiltinFuncs(FuncMap* map);
// Sprig's TxtFuncMap, family by family (sprig_*.cc).
void AddSprigFuncs(FuncMap* map);
// Helm's additions: include tpl required toYaml fromYaml fromYamlArray toJson fromJson
// fromJsonArray toToml lookup.
void AddHelmFuncs(FuncMap* map);
// Every function above: what a Helm chart sees.
const FuncMap& HelmFuncMap();

}  // namespace kstack::tmpl
