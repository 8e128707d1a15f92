#pragma once

// A set of named Go templates (text/template's *Template with its associated templates), the
// entry point of the template module. Parse adds a text and the {{define}}s inside it;
// Execute runs one template with data and writes what Go's Execute writes, or fails with Go's
// error text ("template: NAME:LINE:COL: executing \"NAME\" at <.x.y>: nil pointer evaluating
// interface {}.y").
//
// The engine is written by hand: no C++ library implements Go's text/template, and charts
// need its exact behaviour (output, comparison rules, error texts).
//
// Thread safety: Parse must not run concurrently with anything else on the same Set; once
// parsing is done, Execute may run from several threads at once (trees are immutable).
// REQUIRES: the executing thread has the default 8 MB stack: the deepest nesting allowed
// (1000 template calls, Helm's 1000 includes of one name) needs a few megabytes.

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/result.h"
#include "template/funcs.h"
#include "template/parse_tree.h"
#include "template/value.h"

namespace kstack::tmpl {

// text/template's Option("missingkey=..."): what a missing map key gives.
enum class MissingKey {
  kDefault,  // the zero Value: prints "<no value>"
  kZero,     // the map's zero element (nil for map[string]interface{}: also "<no value>")
  kError,    // an error: map has no entry for key "x"
};

struct ExecuteOptions {
  MissingKey missing_key = MissingKey::kDefault;
  // Helm's guard against runaway include recursion: the deepest nesting of one name.
  int max_include_depth = 1000;
  // The name of Helm's root template: tpl parses its text under this name (errors inside tpl
  // name it) and include's "no template" error names it.
  std::string tpl_name = "gotpl";
};

class Set {
 public:
  // `funcs` must outlive the set; HelmFuncMap() (builtins, Sprig and Helm) by default.
  explicit Set(const FuncMap* funcs = &HelmFuncMap());

  // Parses `text` as the template `name` and adds it with its defines. A definition replaces
  // an earlier one of the same name, except that an empty body (only whitespace) does not
  // replace a non-empty one, as in Go. Errors are BadRequest with Go's parse error text; on
  // error nothing is added.
  Status Parse(std::string_view name, std::string text);

  // Adds already parsed trees, as Parse does. REQUIRES: they were parsed with this set's FuncMap
  // (identifiers keep the functions they resolved to).
  void AddTrees(const std::vector<std::shared_ptr<Tree>>& trees);

  // The template `name`, looked up in this set then in its parent (see Overlay); null if none.
  const Tree* Lookup(std::string_view name) const;

  // Executes template `name` with `data` as dot, appending the output to `out`. What was
  // written before an error stays in `out`, as Go leaves it in the writer. Errors:
  // NotFound "template: no template \"x\" associated with template \"y\"" when the name is not
  // defined; BadRequest with Go's execution error text otherwise.
  Status Execute(std::string_view name, const Value& data, std::string* out,
                 const ExecuteOptions& options = {}) const;
  Result<std::string> Execute(std::string_view name, const Value& data,
                              const ExecuteOptions& options = {}) const;

  // A set whose lookups fall back to `parent` (which must outlive it): Helm's tpl parses into a
  // clone of the chart's set so that its defines stay local to it.
  static Set Overlay(const Set* parent);

  const FuncMap& funcs() const { return *funcs_; }

 private:
  const FuncMap* funcs_;
  const Set* parent_ = nullptr;
  std::string first_name_;
  std::unordered_map<std::string, std::shared_ptr<const Tree>> trees_;
};

}  // namespace kstack::tmpl
