#include "template/parser.h"

#include <cmath>
#include <cstdlib>

#include "template/internal/runes.h"
#include "template/internal/literals.h"
#include "template/lexer.h"

namespace kstack::tmpl {
namespace {

// Thrown inside the parser only; Parse() turns it into a Status.
struct ParseError {
  std::string message;
};

bool ContainsAny(std::string_view s, std::string_view chars) {
  return s.find_first_of(chars) != std::string_view::npos;
}

std::string TokenString(const Token& t) {
  switch (t.type) {
    case TokenType::kEOF: return "EOF";
    case TokenType::kBlock: case TokenType::kBreak: case TokenType::kContinue:
    case TokenType::kDefine: case TokenType::kElse: case TokenType::kEnd:
    case TokenType::kIf: case TokenType::kRange: case TokenType::kNil:
    case TokenType::kTemplate: case TokenType::kWith:
      return "<" + std::string(t.text) + ">";
    default: break;
  }
  if (internal::RuneCount(t.text) > 10) {
    std::string q = "\"";
    size_t i = 0;
    for (int n = 0; n < 10 && i < t.text.size(); ++n) {
      size_t start = i;
      internal::DecodeRune(t.text, &i);
      std::string_view piece = t.text.substr(start, i - start);
      if (piece == "\"" || piece == "\\") q += "\\";
      if (piece == "\n") { q += "\\n"; continue; }
      if (piece == "\t") { q += "\\t"; continue; }
      q += piece;
    }
    return q + "\"...";
  }
  std::string q = "\"";
  for (char c : t.text) {
    if (c == '"' || c == '\\') q += '\\';
    if (c == '\n') { q += "\\n"; continue; }
    if (c == '\t') { q += "\\t"; continue; }
    q += c;
  }
  return q + "\"";
}

class Parser {
 public:
  Parser(std::string_view name, std::shared_ptr<const Source> source,
         std::vector<Token> tokens, const FuncMap& funcs)
      : name_(name), source_(std::move(source)), tokens_(std::move(tokens)), funcs_(funcs) {}

  std::vector<std::shared_ptr<Tree>> Run() {
    auto top = std::make_shared<Tree>();
    top->name = name_;
    top->source = source_;
    trees_.push_back(top);
    vars_ = {"$"};
    while (Peek().type != TokenType::kEOF) {
      if (Peek().type == TokenType::kLeftDelim) {
        size_t save = index_;
        Next();
        if (NextNonSpace().type == TokenType::kDefine) {
          ParseDefinition();
          continue;
        }
        index_ = save;
      }
      Node n;
      int end_kind = TextOrAction(&n);
      if (end_kind != 0) Errorf(std::string("unexpected ") + (end_kind == 1 ? "{{end}}" : "{{else}}"));
      top->root.push_back(std::move(n));
    }
    return std::move(trees_);
  }

 private:
  [[noreturn]] void Errorf(const std::string& message) {
    throw ParseError{"template: " + source_->name + ":" + std::to_string(line_) + ": " + message};
  }
  [[noreturn]] void Unexpected(const Token& t, std::string_view context) {
    Errorf("unexpected " + TokenString(t) + " in " + std::string(context));
  }

  const Token& Peek() const { return tokens_[index_]; }
  const Token& Next() {
    const Token& t = tokens_[index_];
    if (index_ + 1 < tokens_.size()) ++index_;
    line_ = t.line;
    return t;
  }
  void Backup() { --index_; }
  const Token& NextNonSpace() {
    while (Peek().type == TokenType::kSpace) Next();
    return Next();
  }
  const Token& PeekNonSpace() {
    while (Peek().type == TokenType::kSpace) Next();
    return Peek();
  }
  const Token& Expect(TokenType type, std::string_view context) {
    const Token& t = NextNonSpace();
    if (t.type != type) Unexpected(t, context);
    return t;
  }

  void ParseDefinition() {
    std::string context = "define clause";
    const Token& name_token = NextNonSpace();
    if (name_token.type != TokenType::kString && name_token.type != TokenType::kRawString) {
      Unexpected(name_token, context);
    }
    std::string name;
    if (!internal::UnquoteGo(name_token.text, &name)) Errorf("invalid syntax");
    Expect(TokenType::kRightDelim, context);
    auto tree = std::make_shared<Tree>();
    tree->name = name;
    tree->source = source_;
    std::vector<std::string_view> saved = std::move(vars_);
    vars_ = {"$"};
    int end_kind = ItemList(&tree->root);
    if (end_kind != 1) Errorf("unexpected {{else}} in " + context);
    vars_ = std::move(saved);
    trees_.push_back(std::move(tree));
  }

  // Reads nodes up to {{end}} (returns 1) or {{else}} (returns 2).
  int ItemList(NodeList* list) {
    while (PeekNonSpaceText().type != TokenType::kEOF) {
      Node n;
      int end_kind = TextOrAction(&n);
      if (end_kind != 0) return end_kind;
      list->push_back(std::move(n));
    }
    Errorf("unexpected EOF");
  }
  const Token& PeekNonSpaceText() { return Peek(); }

  // Returns 0 for a node, 1 for {{end}}, 2 for {{else}} (with else_if_ set when "else if").
  int TextOrAction(Node* out) {
    const Token& t = NextNonSpace();
    if (t.type == TokenType::kText) {
      out->kind = Node::Kind::kText;
      out->pos = t.pos;
      out->text = t.text;
      return 0;
    }
    if (t.type == TokenType::kLeftDelim) {
      action_line_ = t.line;
      return Action(out);
    }
    Unexpected(t, "input");
  }

  int Action(Node* out) {
    const Token& t = NextNonSpace();
    switch (t.type) {
      case TokenType::kBlock: BlockControl(out); return 0;
      case TokenType::kBreak: BreakControl(out, t, Node::Kind::kBreak, "break"); return 0;
      case TokenType::kContinue:
        BreakControl(out, t, Node::Kind::kContinue, "continue");
        return 0;
      case TokenType::kElse: {
        const Token& p = PeekNonSpace();
        if (p.type == TokenType::kIf || p.type == TokenType::kWith) {
          else_chain_ = p.type;
          return 2;
        }
        Expect(TokenType::kRightDelim, "else");
        else_chain_ = TokenType::kEOF;
        return 2;
      }
      case TokenType::kEnd: Expect(TokenType::kRightDelim, "end"); return 1;
      case TokenType::kIf: Control(out, Node::Kind::kIf, "if"); return 0;
      case TokenType::kRange: Control(out, Node::Kind::kRange, "range"); return 0;
      case TokenType::kTemplate: TemplateControl(out, "template clause"); return 0;
      case TokenType::kWith: Control(out, Node::Kind::kWith, "with"); return 0;
      default: break;
    }
    Backup();
    out->kind = Node::Kind::kAction;
    out->pos = Peek().pos;
    out->line = Peek().line;
    out->pipe = ParsePipeline("command", TokenType::kRightDelim);
    return 0;
  }

  void BreakControl(Node* out, const Token& t, Node::Kind kind, std::string_view word) {
    const Token& close = NextNonSpace();
    if (close.type != TokenType::kRightDelim) Unexpected(close, "{{" + std::string(word) + "}}");
    if (range_depth_ == 0) Errorf("{{" + std::string(word) + "}} outside {{range}}");
    out->kind = kind;
    out->pos = t.pos;
    out->line = t.line;
  }

  // Go stops at 10000 nested expressions ("max expression depth exceeded"); a thread's fixed
  // stack holds fewer nested parses, so the limit is lower here.
  static constexpr int kMaxDepth = 1000;
  struct DepthGuard {
    Parser* p;
    explicit DepthGuard(Parser* parser) : p(parser) {
      if (++p->depth_ >= kMaxDepth) p->Errorf("max expression depth exceeded");
    }
    ~DepthGuard() { --p->depth_; }
  };

  void Control(Node* out, Node::Kind kind, std::string_view context) {
    DepthGuard guard(this);
    size_t vars_mark = vars_.size();
    out->kind = kind;
    out->pipe = ParsePipeline(context, TokenType::kRightDelim);
    out->pos = out->pipe->pos;
    out->list = std::make_unique<NodeList>();
    if (kind == Node::Kind::kRange) ++range_depth_;
    int end_kind = ItemList(out->list.get());
    if (kind == Node::Kind::kRange) --range_depth_;
    if (end_kind == 2) {
      TokenType chain = else_chain_;
      bool chain_ok = (kind == Node::Kind::kIf && chain == TokenType::kIf) ||
                      (kind == Node::Kind::kWith && chain == TokenType::kWith);
      out->else_list = std::make_unique<NodeList>();
      if (chain_ok) {
        Next();  // the "if" or "with"
        Node inner;
        Control(&inner, kind, context);
        out->else_list->push_back(std::move(inner));
      } else {
        if (chain != TokenType::kEOF) {
          // "else if" in a range, or "else with" in an if: Go reads it as a plain else whose
          // first token is unexpected.
          Expect(TokenType::kRightDelim, "else");
        }
        int next = ItemList(out->else_list.get());
        if (next != 1) Errorf("expected end; found {{else}}");
      }
    }
    vars_.resize(vars_mark);
  }

  std::string TemplateName(const Token& t, std::string_view context) {
    if (t.type != TokenType::kString && t.type != TokenType::kRawString) Unexpected(t, context);
    std::string name;
    if (!internal::UnquoteGo(t.text, &name)) Errorf("invalid syntax");
    return name;
  }

  void TemplateControl(Node* out, std::string_view context) {
    const Token& t = NextNonSpace();
    out->kind = Node::Kind::kTemplate;
    out->pos = t.pos;
    out->line = t.line;
    out->name = TemplateName(t, context);
    if (NextNonSpace().type != TokenType::kRightDelim) {
      Backup();
      out->pipe = ParsePipeline(context, TokenType::kRightDelim);
    }
  }

  void BlockControl(Node* out) {
    std::string context = "block clause";
    const Token& t = NextNonSpace();
    std::string name = TemplateName(t, context);
    out->kind = Node::Kind::kTemplate;
    out->pos = t.pos;
    out->line = t.line;
    out->name = name;
    out->pipe = ParsePipeline(context, TokenType::kRightDelim);
    auto tree = std::make_shared<Tree>();
    tree->name = name;
    tree->source = source_;
    std::vector<std::string_view> saved = std::move(vars_);
    vars_ = {"$"};
    int end_kind = ItemList(&tree->root);
    if (end_kind != 1) Errorf("unexpected {{else}} in " + context);
    vars_ = std::move(saved);
    trees_.push_back(std::move(tree));
  }

  std::unique_ptr<Pipeline> ParsePipeline(std::string_view context, TokenType end) {
    auto pipe = std::make_unique<Pipeline>();
    pipe->pos = PeekNonSpace().pos;
    while (PeekNonSpace().type == TokenType::kVariable) {
      size_t save = index_;
      const Token& v = Next();
      const Token& next = PeekNonSpace();
      if (next.type == TokenType::kAssign || next.type == TokenType::kDeclare) {
        pipe->is_assign = next.type == TokenType::kAssign;
        NextNonSpace();
        pipe->decl.push_back(v.text);
        vars_.push_back(v.text);
        break;
      }
      if (next.type == TokenType::kComma) {
        NextNonSpace();
        pipe->decl.push_back(v.text);
        vars_.push_back(v.text);
        if (context == "range" && pipe->decl.size() < 2) {
          TokenType p = PeekNonSpace().type;
          if (p == TokenType::kVariable || p == TokenType::kRightDelim ||
              p == TokenType::kRightParen) {
            continue;
          }
          Errorf("range can only initialize variables");
        }
        Errorf("too many declarations in " + std::string(context));
      }
      index_ = save;
      break;
    }
    while (true) {
      const Token& t = NextNonSpace();
      if (t.type == end) {
        CheckPipeline(*pipe, context);
        return pipe;
      }
      switch (t.type) {
        case TokenType::kBool: case TokenType::kCharConstant: case TokenType::kDot:
        case TokenType::kField: case TokenType::kIdentifier: case TokenType::kNumber:
        case TokenType::kNil: case TokenType::kRawString: case TokenType::kString:
        case TokenType::kVariable: case TokenType::kLeftParen:
          Backup();
          pipe->cmds.push_back(ParseCommand());
          break;
        default:
          Unexpected(t, context);
      }
    }
  }

  void CheckPipeline(const Pipeline& pipe, std::string_view context) {
    if (pipe.cmds.empty()) Errorf("missing value for " + std::string(context));
    for (size_t i = 1; i < pipe.cmds.size(); ++i) {
      switch (pipe.cmds[i].args[0].kind) {
        case Operand::Kind::kBool: case Operand::Kind::kDot: case Operand::Kind::kNil:
        case Operand::Kind::kNumber: case Operand::Kind::kString:
          Errorf("non executable command in pipeline stage " + std::to_string(i + 1));
        default: break;
      }
    }
  }

  Command ParseCommand() {
    Command cmd;
    cmd.args.reserve(4);
    cmd.pos = PeekNonSpace().pos;
    while (true) {
      PeekNonSpace();
      Operand op;
      if (ParseOperand(&op)) cmd.args.push_back(std::move(op));
      const Token& t = Next();
      if (t.type == TokenType::kSpace) continue;
      if (t.type == TokenType::kRightDelim || t.type == TokenType::kRightParen) {
        Backup();
      } else if (t.type != TokenType::kPipe) {
        Unexpected(t, "operand");
      }
      break;
    }
    if (cmd.args.empty()) Errorf("empty command");
    return cmd;
  }

  bool ParseOperand(Operand* out) {
    if (!ParseTerm(out)) return false;
    if (Peek().type == TokenType::kField) {
      int pos = Peek().pos;
      Idents fields;
      while (Peek().type == TokenType::kField) fields.push_back(Next().text.substr(1));
      switch (out->kind) {
        case Operand::Kind::kField:
        case Operand::Kind::kVariable:
          // Go positions the combined node at the first added field.
          out->pos = pos;
          for (std::string_view f : fields) out->idents.push_back(f);
          break;
        case Operand::Kind::kBool: case Operand::Kind::kString: case Operand::Kind::kNumber:
        case Operand::Kind::kNil: case Operand::Kind::kDot:
          Errorf("unexpected . after term \"" + out->String() + "\"");
        default: {
          Operand chain;
          chain.kind = Operand::Kind::kChain;
          chain.pos = pos;
          chain.base = std::make_unique<Operand>(std::move(*out));
          chain.idents = std::move(fields);
          *out = std::move(chain);
        }
      }
    }
    return true;
  }

  bool ParseTerm(Operand* out) {
    const Token& t = NextNonSpace();
    out->pos = t.pos;
    switch (t.type) {
      case TokenType::kIdentifier:
        out->func = funcs_.Find(t.text);
        if (!out->func) Errorf("function \"" + std::string(t.text) + "\" not defined");
        out->kind = Operand::Kind::kIdentifier;
        out->idents = {t.text};
        return true;
      case TokenType::kDot: out->kind = Operand::Kind::kDot; return true;
      case TokenType::kNil: out->kind = Operand::Kind::kNil; return true;
      case TokenType::kVariable: {
        out->kind = Operand::Kind::kVariable;
        out->idents = {t.text};
        bool found = false;
        for (std::string_view v : vars_) found = found || v == t.text;
        if (!found) Errorf("undefined variable \"" + std::string(t.text) + "\"");
        return true;
      }
      case TokenType::kField:
        out->kind = Operand::Kind::kField;
        out->idents = {t.text.substr(1)};
        return true;
      case TokenType::kBool:
        out->kind = Operand::Kind::kBool;
        out->bool_value = t.text == "true";
        return true;
      case TokenType::kCharConstant:
      case TokenType::kNumber:
        out->kind = Operand::Kind::kNumber;
        out->text = t.text;
        ParseNumber(t, &out->number);
        return true;
      case TokenType::kLeftParen: {
        DepthGuard guard(this);
        out->kind = Operand::Kind::kPipe;
        out->pipe = ParsePipeline("parenthesized pipeline", TokenType::kRightParen);
        out->pos = out->pipe->pos;
        return true;
      }
      case TokenType::kString:
      case TokenType::kRawString:
        out->kind = Operand::Kind::kString;
        out->text = t.text;
        if (!internal::UnquoteGo(t.text, &out->value)) Errorf("invalid syntax");
        return true;
      default:
        Backup();
        return false;
    }
  }

  void ParseNumber(const Token& t, Number* n) {
    std::string_view text = t.text;
    if (t.type == TokenType::kCharConstant) {
      std::string s;
      if (!internal::UnquoteGo(text, &s)) Errorf("malformed character constant: " + std::string(text));
      size_t i = 0;
      char32_t r = s.empty() ? 0 : internal::DecodeRune(s, &i);
      if (s.empty() || i != s.size()) {
        Errorf("malformed character constant: " + std::string(text));
      }
      n->is_int = n->is_uint = n->is_float = true;
      n->int_value = r;
      n->uint_value = r;
      n->float_value = r;
      return;
    }
    if (!text.empty() && text.back() == 'i') {
      // A complex constant: "1.5i" or "1+2i".
      std::string_view body = text.substr(0, text.size() - 1);
      size_t split = std::string_view::npos;
      for (size_t i = 1; i < body.size(); ++i) {
        char prev = body[i - 1];
        if ((body[i] == '+' || body[i] == '-') && prev != 'e' && prev != 'E' && prev != 'p' &&
            prev != 'P') {
          split = i;
        }
      }
      double re = 0, im = 0;
      bool ok = split == std::string_view::npos
                    ? internal::ParseGoFloat(body, &im)
                    : internal::ParseGoFloat(body.substr(0, split), &re) &&
                          internal::ParseGoFloat(body.substr(split), &im);
      if (!ok) Errorf("illegal number syntax: \"" + std::string(text) + "\"");
      n->is_complex = true;
      n->real = re;
      n->imag = im;
      if (im == 0) {
        n->is_float = true;
        n->float_value = re;
        if (re == std::trunc(re) && std::fabs(re) < 9.2e18) {
          n->is_int = true;
          n->int_value = static_cast<int64_t>(re);
        }
      }
      return;
    }
    uint64_t u = 0;
    if (internal::ParseGoUint(text, &u)) {
      n->is_uint = true;
      n->uint_value = u;
    }
    int64_t i = 0;
    if (internal::ParseGoInt(text, &i)) {
      n->is_int = true;
      n->int_value = i;
      if (i == 0) {
        n->is_uint = true;
        n->uint_value = 0;
      }
    }
    if (n->is_int) {
      n->is_float = true;
      n->float_value = static_cast<double>(n->int_value);
    } else if (n->is_uint) {
      n->is_float = true;
      n->float_value = static_cast<double>(n->uint_value);
    } else {
      double f = 0;
      if (internal::ParseGoFloat(text, &f)) {
        if (!ContainsAny(text, ".eEpP")) Errorf("integer overflow: \"" + std::string(text) + "\"");
        n->is_float = true;
        n->float_value = f;
        if (!n->is_int && f == std::trunc(f) && std::fabs(f) < 9.2e18) {
          n->is_int = true;
          n->int_value = static_cast<int64_t>(f);
        }
        if (!n->is_uint && f >= 0 && f == std::trunc(f) && f < 1.8e19) {
          n->is_uint = true;
          n->uint_value = static_cast<uint64_t>(f);
        }
      }
    }
    if (!n->is_int && !n->is_uint && !n->is_float) {
      Errorf("illegal number syntax: \"" + std::string(text) + "\"");
    }
  }

  std::string name_;
  std::shared_ptr<const Source> source_;
  std::vector<Token> tokens_;
  const FuncMap& funcs_;
  size_t index_ = 0;
  int line_ = 1;
  int action_line_ = 0;
  int range_depth_ = 0;
  int depth_ = 0;
  TokenType else_chain_ = TokenType::kEOF;
  std::vector<std::string_view> vars_;
  std::vector<std::shared_ptr<Tree>> trees_;
};

}  // namespace

Result<std::vector<std::shared_ptr<Tree>>> Parse(std::string_view name, std::string text,
                                                 const FuncMap& funcs) {
  auto source = std::make_shared<Source>(Source{std::string(name), std::move(text)});
  KSTACK_ASSIGN_OR_RETURN(std::vector<Token> tokens, Lex(name, source->text));
  try {
    return Parser(name, source, std::move(tokens), funcs).Run();
  } catch (const ParseError& e) {
    return BadRequestError(e.message);
  }
}

}  // namespace kstack::tmpl
