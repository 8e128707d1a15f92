#pragma once

// A jq path expression (".spec.template.spec.initContainers[] | select(.name == \"x\")") run
// with libjq to find the paths it selects, as jq's `path(...)` reports them. Removing those
// paths is what jq's `del(...)` does, without sending the document's values through jq (whose
// numbers are doubles).
//
// libjq 1.6 is not safe to call from several threads at once, so every call here takes one
// process-wide lock; expressions are rare and cheap next to the rest of a comparison.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "core/result.h"
#include "gitops/diff/internal/json_paths.h"

namespace kstack::gitops::diff::internal {

class JqPathExpression {
 public:
  // Errors: kInvalid with jq's message when the expression does not compile.
  static Result<std::shared_ptr<const JqPathExpression>> Compile(std::string_view expression);
  ~JqPathExpression();
  JqPathExpression(const JqPathExpression&) = delete;
  JqPathExpression& operator=(const JqPathExpression&) = delete;

  const std::string& expression() const { return expression_; }

  // The paths the expression selects in `doc`, in the order jq produces them.
  // Errors: kInvalid with jq's message when it fails on this document ("Cannot iterate over
  // null").
  Result<std::vector<Path>> Paths(const Json& doc) const;

 private:
  explicit JqPathExpression(std::string expression) : expression_(std::move(expression)) {}

  std::string expression_;
  struct State;
  State* state_ = nullptr;  // owned; the compiled program
};

}  // namespace kstack::gitops::diff::internal
