#include "template/parse_tree.h"

namespace kstack::tmpl {
namespace {

void AppendList(std::string* out, const NodeList& list) {
  for (const Node& n : list) *out += n.String();
}

}  // namespace

std::string Operand::String() const {
  std::string out;
  switch (kind) {
    case Kind::kField:
      for (std::string_view id : idents) {
        out += ".";
        out += id;
      }
      return out;
    case Kind::kVariable:
      for (size_t i = 0; i < idents.size(); ++i) {
        if (i > 0) out += ".";
        out += idents[i];
      }
      return out;
    case Kind::kDot: return ".";
    case Kind::kNil: return "nil";
    case Kind::kBool: return bool_value ? "true" : "false";
    case Kind::kNumber:
    case Kind::kString: return std::string(text);
    case Kind::kIdentifier: return idents.empty() ? "" : std::string(idents[0]);
    case Kind::kPipe: return pipe ? pipe->String() : "";
    case Kind::kChain:
      if (base && base->kind == Kind::kPipe) {
        out = "(" + base->String() + ")";
      } else if (base) {
        out = base->String();
      }
      for (std::string_view id : idents) {
        out += ".";
        out += id;
      }
      return out;
  }
  return out;
}

std::string Command::String() const {
  std::string out;
  for (size_t i = 0; i < args.size(); ++i) {
    if (i > 0) out += " ";
    if (args[i].kind == Operand::Kind::kPipe) {
      out += "(" + args[i].String() + ")";
    } else {
      out += args[i].String();
    }
  }
  return out;
}

std::string Pipeline::String() const {
  std::string out;
  if (!decl.empty()) {
    for (size_t i = 0; i < decl.size(); ++i) {
      if (i > 0) out += ", ";
      out += std::string(decl[i]);
    }
    out += " := ";
  }
  for (size_t i = 0; i < cmds.size(); ++i) {
    if (i > 0) out += " | ";
    out += cmds[i].String();
  }
  return out;
}

std::string Node::String() const {
  std::string out;
  auto control = [&](std::string_view word) {
    out = "{{" + std::string(word) + " " + pipe->String() + "}}";
    AppendList(&out, *list);
    if (else_list) {
      out += "{{else}}";
      AppendList(&out, *else_list);
    }
    out += "{{end}}";
  };
  switch (kind) {
    case Kind::kText: return std::string(text);
    case Kind::kAction: return "{{" + pipe->String() + "}}";
    case Kind::kIf: control("if"); return out;
    case Kind::kRange: control("range"); return out;
    case Kind::kWith: control("with"); return out;
    case Kind::kTemplate:
      out = "{{template \"" + name + "\"";
      if (pipe) out += " " + pipe->String();
      return out + "}}";
    case Kind::kBreak: return "{{break}}";
    case Kind::kContinue: return "{{continue}}";
  }
  return out;
}

bool Tree::IsEmpty() const {
  for (const Node& n : root) {
    if (n.kind != Node::Kind::kText) return false;
    for (char c : n.text) {
      if (c != ' ' && c != '\t' && c != '\r' && c != '\n') return false;
    }
  }
  return true;
}

std::string Location(const Source& source, int pos) {
  std::string_view text = source.text;
  if (pos > static_cast<int>(text.size())) pos = static_cast<int>(text.size());
  std::string_view before = text.substr(0, pos);
  int line = 1;
  for (char c : before) line += c == '\n';
  size_t nl = before.rfind('\n');
  int col = nl == std::string_view::npos ? pos : pos - static_cast<int>(nl) - 1;
  return source.name + ":" + std::to_string(line) + ":" + std::to_string(col);
}

}  // namespace kstack::tmpl
