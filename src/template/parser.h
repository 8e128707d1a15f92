#pragma once

// The parser of Go's text/template: turns a template text into parse trees, one for the text
// itself and one for each {{define}} and {{block}} inside it, checking what Go's parser checks
// (functions exist in the FuncMap, variables are declared, break/continue inside range, every
// control structure ends). Errors have Go's text: "template: NAME:LINE: unexpected EOF".
// Pure function of its inputs; thread-safe.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "template/funcs.h"
#include "template/parse_tree.h"

namespace kstack::tmpl {

// Parses `text`. The first tree is the text's own, named `name`; the others are its defines and
// blocks in order of appearance.
Result<std::vector<std::shared_ptr<Tree>>> Parse(std::string_view name, std::string text,
                                                 const FuncMap& funcs);

}  // namespace kstack::tmpl
