#pragma once

// The executor of parse trees (module-internal; use template.h). Walks a tree with a dot and a
// variable stack as Go's text/template state does: evaluates pipelines, fields and function
// calls with Go's argument rules, prints values with Go's fmt, and reports errors with Go's
// location and context. One Executor runs one Execute call on one thread.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "template/funcs.h"
#include "template/parse_tree.h"
#include "template/template.h"
#include "template/value.h"

namespace kstack::tmpl {

class Executor : public CallContext {
 public:
  // `set`, `options` and `out` must outlive the executor. `include_depth` is shared by the
  // executors of nested tpl calls (Helm counts include nesting per render).
  Executor(const Set* set, const ExecuteOptions* options, std::string* out,
           std::unordered_map<std::string, int>* include_depth);

  // Runs `tree` with `dot`. Errors are BadRequest with Go's text.
  Status Run(const Tree& tree, const Value& dot);

  Result<std::string> ExecuteNamed(std::string_view name, const Value& data) override;
  Result<std::string> ExecuteText(std::string_view text, const Value& data) override;

 private:
  enum class Flow { kNormal, kBreak, kContinue };
  // A marker for "no final value" (Go's missingVal), distinct from the zero Value.
  using Final = const Value*;

  [[noreturn]] void Errorf(const std::string& message);
  void At(const Operand& n) { at_kind_ = AtKind::kOperand; at_ = &n; }
  void At(const Command& n) { at_kind_ = AtKind::kCommand; at_ = &n; }
  void At(const Pipeline& n) { at_kind_ = AtKind::kPipeline; at_ = &n; }
  void At(const Node& n) { at_kind_ = AtKind::kNode; at_ = &n; }

  Flow Walk(const Value& dot, const NodeList& list);
  Flow WalkNode(const Value& dot, const Node& node);
  Flow WalkIfOrWith(const Value& dot, const Node& node);
  Flow WalkRange(const Value& dot, const Node& node);
  void WalkTemplate(const Value& dot, const Node& node);

  Value EvalPipeline(const Value& dot, const Pipeline& pipe);
  Value EvalCommand(const Value& dot, const Command& cmd, Final final);
  Value EvalFieldChain(const Value& dot, Value receiver, const Operand& node,
                       size_t first_ident, const std::vector<Operand>* args, Final final);
  Value EvalField(const Value& dot, std::string_view name, const Operand& node,
                  const std::vector<Operand>* args, Final final, const Value& receiver,
                  bool from_interface = false);
  // `cmd` is the command for error context: the identifier itself when it is an argument.
  Value EvalFunction(const Value& dot, const Operand& ident, const Command* cmd,
                     const std::vector<Operand>* args, Final final);
  Value EvalCall(const Value& dot, std::string_view name, const Func& func, bool builtin,
                 const Command* cmd, const Operand& ident, const std::vector<Operand>* args,
                 Final final);
  Value EvalAndOr(const Value& dot, std::string_view name, const std::vector<Operand>* args,
                  Final final);
  Value EvalArg(const Value& dot, Param type, const Operand& arg);
  Value EvalOperand(const Value& dot, const Operand& arg);
  Value ValidateType(const Value& value, Param type);
  Value IdealConstant(const Operand& number);
  void NotAFunction(const std::vector<Operand>& args, Final final);
  void PrintValue(const Value& value);

  Value VarValue(std::string_view name);
  void SetVar(std::string_view name, const Value& value);

  const Set* set_;
  const ExecuteOptions* options_;
  std::string* out_;
  std::unordered_map<std::string, int>* include_depth_;
  const Tree* tree_ = nullptr;
  // Names are views into the trees' sources (or the literal "$").
  std::vector<std::pair<std::string_view, Value>> vars_;
  int depth_ = 0;
  // The node being evaluated, for error context (printed only when an error happens).
  enum class AtKind { kNone, kOperand, kCommand, kPipeline, kNode };
  AtKind at_kind_ = AtKind::kNone;
  const void* at_ = nullptr;
};

}  // namespace kstack::tmpl
