#include "template/executor.h"

#include <cmath>

#include "template/go_fmt.h"
#include "template/parser.h"

namespace kstack::tmpl {
namespace {

// Thrown inside the executor only; Run() turns it into a Status.
struct ExecError {
  std::string message;
};

// Go allows 100000 nested template calls on its growable stacks; a thread's fixed stack holds
// fewer, so the limit is lower here (the error text is Go's with this number).
constexpr int kMaxExecDepth = 1000;

std::string_view ParamName(Param p) {
  switch (p) {
    case Param::kAny: return "interface {}";
    case Param::kRaw: return "reflect.Value";
    case Param::kString: return "string";
    case Param::kInt: return "int";
    case Param::kInt64: return "int64";
    case Param::kUint32: return "uint32";
    case Param::kFloat64: return "float64";
    case Param::kBool: return "bool";
    case Param::kList: return "[]interface {}";
    case Param::kMap: return "map[string]interface {}";
    case Param::kStrings: return "[]string";
  }
  return "interface {}";
}

bool ParamCanBeNil(Param p) {
  return p == Param::kAny || p == Param::kList || p == Param::kMap || p == Param::kStrings;
}

Value ZeroOf(Param p) {
  switch (p) {
    case Param::kList: return Value::MakeList({});
    case Param::kMap: return Value::MakeMap({});
    case Param::kStrings: return Value::MakeList({}, Type::kListString);
    default: return Value::Nil();
  }
}

// Whether a value of type `t` may be passed for `p` (Go's AssignableTo).
bool Assignable(const Value& v, Param p) {
  switch (p) {
    case Param::kAny: case Param::kRaw: return true;
    case Param::kString: return v.type() == Type::kString;
    case Param::kInt: return v.type() == Type::kInt;
    case Param::kInt64: return v.type() == Type::kInt64;
    case Param::kUint32: return false;  // no data value has Go's uint32 type
    case Param::kFloat64: return v.type() == Type::kFloat64;
    case Param::kBool: return v.type() == Type::kBool;
    case Param::kList: return v.type() == Type::kListAny;
    case Param::kMap: return v.type() == Type::kMapAny;
    case Param::kStrings: return v.type() == Type::kListString;
  }
  return false;
}

}  // namespace

Executor::Executor(const Set* set, const ExecuteOptions* options, std::string* out,
                   std::unordered_map<std::string, int>* include_depth)
    : set_(set), options_(options), out_(out), include_depth_(include_depth) {}

void Executor::Errorf(const std::string& message) {
  std::string name = tree_ ? tree_->name : "";
  if (at_kind_ == AtKind::kNone || !tree_) {
    throw ExecError{"template: " + name + ": " + message};
  }
  int pos = 0;
  std::string context;
  switch (at_kind_) {
    case AtKind::kOperand: {
      auto* n = static_cast<const Operand*>(at_);
      pos = n->pos;
      context = n->String();
      break;
    }
    case AtKind::kCommand: {
      auto* n = static_cast<const Command*>(at_);
      pos = n->pos;
      context = n->String();
      break;
    }
    case AtKind::kPipeline: {
      auto* n = static_cast<const Pipeline*>(at_);
      pos = n->pos;
      context = n->String();
      break;
    }
    case AtKind::kNode: {
      auto* n = static_cast<const Node*>(at_);
      pos = n->pos;
      context = n->String();
      break;
    }
    case AtKind::kNone: break;
  }
  throw ExecError{"template: " + Location(*tree_->source, pos) + ": executing " + GoQuote(name) +
                  " at <" + context + ">: " + message};
}

Status Executor::Run(const Tree& tree, const Value& dot) {
  tree_ = &tree;
  vars_.clear();
  vars_.emplace_back("$", dot);
  try {
    Walk(dot, tree.root);
  } catch (const ExecError& e) {
    return BadRequestError(e.message);
  }
  return Status::Ok();
}

Executor::Flow Executor::Walk(const Value& dot, const NodeList& list) {
  for (const Node& node : list) {
    Flow f = WalkNode(dot, node);
    if (f != Flow::kNormal) return f;
  }
  return Flow::kNormal;
}

Executor::Flow Executor::WalkNode(const Value& dot, const Node& node) {
  switch (node.kind) {
    case Node::Kind::kText:
      out_->append(node.text);
      return Flow::kNormal;
    case Node::Kind::kAction: {
      Value v = EvalPipeline(dot, *node.pipe);
      if (node.pipe->decl.empty()) {
        At(node);
        PrintValue(v);
      }
      return Flow::kNormal;
    }
    case Node::Kind::kIf:
    case Node::Kind::kWith:
      return WalkIfOrWith(dot, node);
    case Node::Kind::kRange:
      return WalkRange(dot, node);
    case Node::Kind::kTemplate:
      WalkTemplate(dot, node);
      return Flow::kNormal;
    case Node::Kind::kBreak: return Flow::kBreak;
    case Node::Kind::kContinue: return Flow::kContinue;
  }
  return Flow::kNormal;
}

Executor::Flow Executor::WalkIfOrWith(const Value& dot, const Node& node) {
  size_t mark = vars_.size();
  Value v = EvalPipeline(dot, *node.pipe);
  Flow f = Flow::kNormal;
  if (v.Truth()) {
    f = Walk(node.kind == Node::Kind::kWith ? v : dot, *node.list);
  } else if (node.else_list) {
    f = Walk(dot, *node.else_list);
  }
  vars_.resize(mark);
  return f;
}

Executor::Flow Executor::WalkRange(const Value& dot, const Node& node) {
  At(node);
  size_t outer = vars_.size();
  Value v = EvalPipeline(dot, *node.pipe);
  size_t mark = vars_.size();
  const size_t ndecl = node.pipe->decl.size();
  auto one = [&](const Value& index, const Value& elem) -> bool {
    if (ndecl > 0) vars_[mark - 1].second = elem;
    if (ndecl > 1) vars_[mark - 2].second = index;
    Flow f = Walk(elem, *node.list);
    vars_.resize(mark);
    return f != Flow::kBreak;
  };
  bool ran = false;
  switch (v.kind()) {
    case Kind::kList:
      if (v.size() > 0) {
        ran = true;
        auto list = v.list();  // keeps the list alive while the body runs
        for (size_t i = 0; i < list->size(); ++i) {
          if (!one(Value::Int(static_cast<int64_t>(i)), (*list)[i])) break;
        }
      }
      break;
    case Kind::kMap:
      if (v.size() > 0) {
        ran = true;
        auto map = v.map();
        for (const auto& [key, item] : *map) {
          if (!one(Value::String(key), item)) break;
        }
      }
      break;
    case Kind::kInt:
    case Kind::kUint: {
      if (ndecl > 1) {
        Errorf("can't use " + GoString(v) + " to iterate over more than one variable");
      }
      int64_t n = v.kind() == Kind::kInt ? v.int_value() : static_cast<int64_t>(v.uint_value());
      if (n > 0) {
        ran = true;
        for (int64_t i = 0; i < n; ++i) {
          Value iv = Value::Int(i, v.type());
          if (!one(iv, iv)) break;
        }
      }
      break;
    }
    case Kind::kInvalid:
    case Kind::kNil:
      break;
    default:
      Errorf("range can't iterate over " + GoString(v));
  }
  Flow f = Flow::kNormal;
  if (!ran && node.else_list) f = Walk(dot, *node.else_list);
  vars_.resize(outer);
  return f == Flow::kBreak || f == Flow::kContinue ? Flow::kNormal : f;
}

void Executor::WalkTemplate(const Value& dot, const Node& node) {
  At(node);
  const Tree* tree = set_->Lookup(node.name);
  if (!tree) Errorf("template " + GoQuote(node.name) + " not defined");
  if (depth_ >= kMaxExecDepth) {
    Errorf("exceeded maximum template depth (" + std::to_string(kMaxExecDepth) + ")");
  }
  Value new_dot = node.pipe ? EvalPipeline(dot, *node.pipe) : Value();
  const Tree* saved_tree = tree_;
  std::vector<std::pair<std::string_view, Value>> saved_vars = std::move(vars_);
  vars_.clear();
  vars_.emplace_back("$", new_dot);
  tree_ = tree;
  ++depth_;
  Walk(new_dot, tree->root);
  --depth_;
  tree_ = saved_tree;
  vars_ = std::move(saved_vars);
}

Value Executor::EvalPipeline(const Value& dot, const Pipeline& pipe) {
  At(pipe);
  Value value;
  bool have_final = false;
  for (const Command& cmd : pipe.cmds) {
    value = EvalCommand(dot, cmd, have_final ? &value : nullptr);
    have_final = true;
    // Go digs a nil interface{} down to the zero Value here.
    if (value.is_nil()) value = Value();
  }
  for (std::string_view var : pipe.decl) {
    if (pipe.is_assign) {
      SetVar(var, value);
    } else {
      vars_.emplace_back(var, value);
    }
  }
  return value;
}

void Executor::NotAFunction(const std::vector<Operand>& args, Final final) {
  if (args.size() > 1 || final) {
    Errorf("can't give argument to non-function " + args[0].String());
  }
}

Value Executor::EvalCommand(const Value& dot, const Command& cmd, Final final) {
  const Operand& first = cmd.args[0];
  switch (first.kind) {
    case Operand::Kind::kField:
      At(first);
      return EvalFieldChain(dot, dot, first, 0, &cmd.args, final);
    case Operand::Kind::kChain: {
      At(first);
      if (first.base->kind == Operand::Kind::kNil) {
        Errorf("indirection through explicit nil in " + first.String());
      }
      Value base = EvalOperand(dot, *first.base);
      At(first);
      return EvalFieldChain(dot, base, first, 0, &cmd.args, final);
    }
    case Operand::Kind::kIdentifier:
      return EvalFunction(dot, first, &cmd, &cmd.args, final);
    case Operand::Kind::kPipe:
      NotAFunction(cmd.args, final);
      return EvalPipeline(dot, *first.pipe);
    case Operand::Kind::kVariable: {
      At(first);
      Value v = VarValue(first.idents[0]);
      if (first.idents.size() == 1) {
        NotAFunction(cmd.args, final);
        return v;
      }
      return EvalFieldChain(dot, v, first, 1, &cmd.args, final);
    }
    default: break;
  }
  At(first);
  NotAFunction(cmd.args, final);
  switch (first.kind) {
    case Operand::Kind::kBool: return Value::Bool(first.bool_value);
    case Operand::Kind::kDot: return dot;
    case Operand::Kind::kNil: Errorf("nil is not a command");
    case Operand::Kind::kNumber: return IdealConstant(first);
    case Operand::Kind::kString: return Value::String(first.value);
    default: break;
  }
  Errorf("can't evaluate command " + GoQuote(first.String()));
}

Value Executor::IdealConstant(const Operand& c) {
  At(c);
  const Number& n = c.number;
  std::string_view text = c.text;
  bool hex_int = text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X') &&
                 text.find_first_of("pP") == std::string_view::npos;
  bool rune_int = !text.empty() && text[0] == '\'';
  if (n.is_complex) return Value::Complex(n.real, n.imag);
  if (n.is_float && !hex_int && !rune_int && text.find_first_of(".eEpP") != std::string_view::npos) {
    return Value::Float(n.float_value);
  }
  if (n.is_int) return Value::Int(n.int_value);
  if (n.is_uint) Errorf(std::string(text) + " overflows int");
  return Value();
}

Value Executor::EvalFieldChain(const Value& dot, Value receiver, const Operand& node,
                               size_t first_ident, const std::vector<Operand>* args,
                               Final final) {
  const auto& idents = node.idents;
  size_t n = idents.size();
  bool from_interface = false;
  for (size_t i = first_ident; i + 1 < n; ++i) {
    from_interface = receiver.kind() == Kind::kMap && receiver.type() == Type::kMapAny;
    receiver = EvalField(dot, idents[i], node, nullptr, nullptr, receiver);
  }
  return EvalField(dot, idents[n - 1], node, args, final, receiver, from_interface);
}

Value Executor::EvalField(const Value& dot, std::string_view name, const Operand& node,
                          const std::vector<Operand>* args, Final final,
                          const Value& receiver, bool from_interface) {
  if (!receiver.valid()) {
    if (options_->missing_key == MissingKey::kError) {
      Errorf("nil data; no entry for key " + GoQuote(name));
    }
    return Value();
  }
  if (receiver.is_nil()) {
    Errorf("nil pointer evaluating interface {}." + std::string(name));
  }
  bool has_args = (args && args->size() > 1) || final;
  if (receiver.kind() == Kind::kObject && receiver.object() &&
      receiver.object()->HasMember(name)) {
    std::vector<Value> argv;
    if (args) {
      for (size_t i = 1; i < args->size(); ++i) argv.push_back(EvalArg(dot, Param::kAny, (*args)[i]));
    }
    if (final) argv.push_back(final->valid() ? *final : Value::Nil());
    At(node);
    Result<Value> r = receiver.object()->Member(name, argv);
    if (!r.ok()) Errorf("error calling " + std::string(name) + ": " + r.status().message());
    return std::move(r).value();
  }
  if (receiver.kind() == Kind::kMap) {
    if (has_args) Errorf(std::string(name) + " is not a method but has arguments");
    if (receiver.map()) {
      auto it = receiver.map()->find(name);
      if (it != receiver.map()->end()) return it->second;
    }
    switch (options_->missing_key) {
      case MissingKey::kDefault: return Value();
      case MissingKey::kZero:
        if (receiver.type() == Type::kMapString) return Value::String("");
        if (receiver.type() == Type::kMapInt) return Value::Int(0);
        return Value::Nil();
      case MissingKey::kError: Errorf("map has no entry for key " + GoQuote(name));
    }
  }
  if (receiver.kind() == Kind::kObject && !receiver.object()) {
    Errorf("nil pointer evaluating " + std::string(receiver.TypeName()) + "." + std::string(name));
  }
  // Go names the static type: a value read from map[string]interface{} is an interface {}.
  Errorf("can't evaluate field " + std::string(name) + " in type " +
         std::string(from_interface ? "interface {}" : receiver.TypeName()));
}

Value Executor::EvalFunction(const Value& dot, const Operand& ident, const Command* cmd,
                             const std::vector<Operand>* args, Final final) {
  At(ident);
  std::string_view name = ident.idents[0];
  const Func* func = ident.func ? ident.func : set_->funcs().Find(name);
  if (!func) Errorf(GoQuote(name) + " is not a defined function");
  return EvalCall(dot, name, *func, true, cmd, ident, args, final);
}

Value Executor::EvalAndOr(const Value& dot, std::string_view name,
                          const std::vector<Operand>* args, Final final) {
  bool is_or = name == "or";
  Value v;
  if (args) {
    for (size_t i = 1; i < args->size(); ++i) {
      v = EvalArg(dot, Param::kRaw, (*args)[i]);
      if (v.Truth() == is_or) return v;
    }
  }
  if (final) v = *final;
  return v;
}

Value Executor::EvalCall(const Value& dot, std::string_view name, const Func& func,
                         bool builtin, const Command* cmd, const Operand& ident,
                         const std::vector<Operand>* args, Final final) {
  size_t nargs = args ? args->size() - 1 : 0;
  size_t num_in = nargs + (final ? 1 : 0);
  size_t num_fixed = func.params.size();
  if (func.variadic) {
    if (num_in < num_fixed) {
      Errorf("wrong number of args for " + std::string(name) + ": want at least " +
             std::to_string(num_fixed) + " got " + std::to_string(nargs));
    }
  } else if (num_in != num_fixed) {
    Errorf("wrong number of args for " + std::string(name) + ": want " + std::to_string(num_fixed) +
           " got " + std::to_string(num_in));
  }
  if (func.short_circuit) return EvalAndOr(dot, name, args, final);
  boost::container::small_vector<Value, 4> argv;
  for (size_t i = 0; i < nargs; ++i) {
    Param p = i < num_fixed ? func.params[i] : func.variadic_type;
    argv.push_back(EvalArg(dot, p, (*args)[i + 1]));
  }
  if (final) {
    Param p = nargs < num_fixed ? func.params[nargs] : func.variadic_type;
    argv.push_back(ValidateType(*final, p));
  }
  if (cmd) {
    At(*cmd);
  } else {
    At(ident);
  }
  Result<Value> r = func.impl(*this, std::span<const Value>(argv.data(), argv.size()));
  if (!r.ok()) {
    if (cmd) {
      At(*cmd);
    } else {
      At(ident);
    }
    Errorf("error calling " + std::string(name) + ": " + r.status().message());
  }
  return std::move(r).value();
}

Value Executor::ValidateType(const Value& value, Param type) {
  if (type == Param::kRaw) return value;
  if (!value.valid()) {
    if (type == Param::kAny) return Value::Nil();
    if (ParamCanBeNil(type)) {
      Value zero = ZeroOf(type);
      return zero;
    }
    Errorf("invalid value; expected " + std::string(ParamName(type)));
  }
  if (!Assignable(value, type)) {
    if (value.is_nil() && ParamCanBeNil(type)) return ZeroOf(type);
    Errorf("wrong type for value; expected " + std::string(ParamName(type)) + "; got " +
           std::string(value.is_nil() ? "interface {}" : value.TypeName()));
  }
  return value;
}

Value Executor::EvalOperand(const Value& dot, const Operand& arg) {
  switch (arg.kind) {
    case Operand::Kind::kDot: return dot;
    case Operand::Kind::kField:
      At(arg);
      return EvalFieldChain(dot, dot, arg, 0, nullptr, nullptr);
    case Operand::Kind::kVariable: {
      At(arg);
      Value v = VarValue(arg.idents[0]);
      if (arg.idents.size() == 1) return v;
      return EvalFieldChain(dot, v, arg, 1, nullptr, nullptr);
    }
    case Operand::Kind::kPipe: return EvalPipeline(dot, *arg.pipe);
    case Operand::Kind::kIdentifier: return EvalFunction(dot, arg, nullptr, nullptr, nullptr);
    case Operand::Kind::kChain: {
      At(arg);
      if (arg.base->kind == Operand::Kind::kNil) {
        Errorf("indirection through explicit nil in " + arg.String());
      }
      Value base = EvalOperand(dot, *arg.base);
      At(arg);
      return EvalFieldChain(dot, base, arg, 0, nullptr, nullptr);
    }
    case Operand::Kind::kBool: return Value::Bool(arg.bool_value);
    case Operand::Kind::kString: return Value::String(arg.value);
    case Operand::Kind::kNumber: return IdealConstant(arg);
    case Operand::Kind::kNil: return Value::Nil();
  }
  return Value();
}

Value Executor::EvalArg(const Value& dot, Param type, const Operand& arg) {
  At(arg);
  switch (arg.kind) {
    case Operand::Kind::kDot:
    case Operand::Kind::kField:
    case Operand::Kind::kVariable:
    case Operand::Kind::kPipe:
    case Operand::Kind::kIdentifier:
    case Operand::Kind::kChain: {
      Value v = EvalOperand(dot, arg);
      At(arg);
      return ValidateType(v, type);
    }
    case Operand::Kind::kNil:
      // Go's canBeNil holds for reflect.Value too: the builtins then see the zero Value.
      if (type == Param::kRaw) return Value();
      if (ParamCanBeNil(type)) return type == Param::kAny ? Value::Nil() : ZeroOf(type);
      Errorf("cannot assign nil to " + std::string(ParamName(type)));
    default: break;
  }
  switch (type) {
    case Param::kAny:
    case Param::kRaw:
      return EvalOperand(dot, arg);
    case Param::kBool:
      if (arg.kind == Operand::Kind::kBool) return Value::Bool(arg.bool_value);
      Errorf("expected bool; found " + arg.String());
    case Param::kString:
      if (arg.kind == Operand::Kind::kString) return Value::String(arg.value);
      Errorf("expected string; found " + arg.String());
    case Param::kInt:
    case Param::kInt64:
      if (arg.kind == Operand::Kind::kNumber && arg.number.is_int) {
        return Value::Int(arg.number.int_value, type == Param::kInt ? Type::kInt : Type::kInt64);
      }
      Errorf("expected integer; found " + arg.String());
    case Param::kUint32:
      if (arg.kind == Operand::Kind::kNumber && arg.number.is_uint &&
          arg.number.uint_value <= 0xFFFFFFFFu) {
        return Value::Uint(arg.number.uint_value);
      }
      Errorf("expected unsigned integer; found " + arg.String());
    case Param::kFloat64:
      if (arg.kind == Operand::Kind::kNumber && arg.number.is_float) {
        return Value::Float(arg.number.float_value);
      }
      Errorf("expected float; found " + arg.String());
    default:
      Errorf("can't handle " + arg.String() + " for arg of type " + std::string(ParamName(type)));
  }
}

void Executor::PrintValue(const Value& v) {
  if (!v.valid()) {
    out_->append("<no value>");
    return;
  }
  AppendGoString(out_, v);
}

Value Executor::VarValue(std::string_view name) {
  for (size_t i = vars_.size(); i > 0; --i) {
    if (vars_[i - 1].first == name) return vars_[i - 1].second;
  }
  Errorf("undefined variable: " + std::string(name));
}

void Executor::SetVar(std::string_view name, const Value& value) {
  for (size_t i = vars_.size(); i > 0; --i) {
    if (vars_[i - 1].first == name) {
      vars_[i - 1].second = value;
      return;
    }
  }
  Errorf("undefined variable: " + std::string(name));
}

Result<std::string> Executor::ExecuteNamed(std::string_view name, const Value& data) {
  std::string key(name);
  int& depth = (*include_depth_)[key];
  if (depth > options_->max_include_depth) {
    return BadRequestError("rendering template has a nested reference name: " + key +
                           ": unable to execute template");
  }
  const Tree* tree = set_->Lookup(name);
  if (!tree) {
    return NotFoundError("template: no template " + GoQuote(name) + " associated with template " +
                         GoQuote(options_->tpl_name));
  }
  ++depth;
  std::string out;
  Executor nested(set_, options_, &out, include_depth_);
  nested.depth_ = depth_ + 1;
  Status s = nested.Run(*tree, data);
  --(*include_depth_)[key];
  if (!s.ok()) return s;
  return out;
}

Result<std::string> Executor::ExecuteText(std::string_view text, const Value& data) {
  Set overlay = Set::Overlay(set_);
  const std::string& name = options_->tpl_name;
  if (Status s = overlay.Parse(name, std::string(text)); !s.ok()) {
    return BadRequestError("cannot parse template " + GoQuote(text) + ": " + s.message());
  }
  const Tree* tree = overlay.Lookup(name);
  std::string out;
  Executor nested(&overlay, options_, &out, include_depth_);
  nested.depth_ = depth_ + 1;
  if (Status s = nested.Run(*tree, data); !s.ok()) {
    return BadRequestError("error during tpl function execution for " + GoQuote(text) + ": " +
                           s.message());
  }
  return out;
}

}  // namespace kstack::tmpl
