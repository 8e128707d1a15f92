#include "template/template.h"

#include "template/executor.h"
#include "template/go_fmt.h"
#include "template/parser.h"

namespace kstack::tmpl {

Set::Set(const FuncMap* funcs) : funcs_(funcs) {}

Set Set::Overlay(const Set* parent) {
  Set s(parent->funcs_);
  s.parent_ = parent;
  return s;
}

Status Set::Parse(std::string_view name, std::string text) {
  KSTACK_ASSIGN_OR_RETURN(auto trees, tmpl::Parse(name, std::move(text), *funcs_));
  AddTrees(trees);
  return Status::Ok();
}

void Set::AddTrees(const std::vector<std::shared_ptr<Tree>>& trees) {
  for (const auto& tree : trees) {
    auto it = trees_.find(tree->name);
    if (it != trees_.end() && tree->IsEmpty() && !it->second->IsEmpty()) continue;
    if (it == trees_.end() && tree->IsEmpty() && parent_ && parent_->Lookup(tree->name)) {
      const Tree* old = parent_->Lookup(tree->name);
      // The top-level tree always enters (it is what tpl executes).
      if (!old->IsEmpty() && tree.get() != trees.front().get()) continue;
    }
    if (first_name_.empty()) first_name_ = tree->name;
    trees_[tree->name] = tree;
  }
}

const Tree* Set::Lookup(std::string_view name) const {
  auto it = trees_.find(std::string(name));
  if (it != trees_.end()) return it->second.get();
  return parent_ ? parent_->Lookup(name) : nullptr;
}

Status Set::Execute(std::string_view name, const Value& data, std::string* out,
                    const ExecuteOptions& options) const {
  const Tree* tree = Lookup(name);
  if (!tree) {
    return NotFoundError("template: no template " + GoQuote(name) +
                         " associated with template " + GoQuote(first_name_));
  }
  std::unordered_map<std::string, int> include_depth;
  Executor executor(this, &options, out, &include_depth);
  return executor.Run(*tree, data);
}

Result<std::string> Set::Execute(std::string_view name, const Value& data,
                                 const ExecuteOptions& options) const {
  std::string out;
  KSTACK_RETURN_IF_ERROR(Execute(name, data, &out, options));
  return out;
}

}  // namespace kstack::tmpl
