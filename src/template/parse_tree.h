#pragma once

// The parse tree of a Go template, as text/template/parse builds it: a list of nodes (text,
// actions, control structures) whose actions hold pipelines of commands of operands. Every node
// keeps its byte position so that execution errors name line and column. String() prints a
// node as Go prints it in error contexts ("<.Values.x>", "<index \"hi\" $>").
//
// Trees are immutable once parsed and may be executed by several threads at once. Names and
// text views point into the tree's Source, which the tree keeps alive.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/container/small_vector.hpp>

namespace kstack::tmpl {

struct Pipeline;
struct Func;

// A numeric constant with every interpretation Go's parser derives from its text.
// Identifiers of a field chain or variable, views into the source text.
using Idents = boost::container::small_vector<std::string_view, 4>;

struct Number {
  bool is_int = false, is_uint = false, is_float = false, is_complex = false;
  int64_t int_value = 0;
  uint64_t uint_value = 0;
  double float_value = 0;
  double real = 0, imag = 0;
};

// An operand of a command.
struct Operand {
  enum class Kind {
    kField,       // .a.b         (idents = {"a", "b"})
    kVariable,    // $x.a.b       (idents = {"$x", "a", "b"})
    kDot,         // .
    kNil,         // nil
    kBool,        // true / false
    kNumber,      // 1, 0x1f, 'x', 1.5, 1i
    kString,      // "text" or `text` (value unquoted)
    kIdentifier,  // a function name (idents = {"name"})
    kPipe,        // ( pipeline )
    kChain,       // (operand).a.b (base, idents = {"a", "b"})
  };
  Kind kind;
  int pos = 0;
  Idents idents;
  std::string_view text;  // the source text of numbers and strings
  std::string value;  // the unquoted string
  bool bool_value = false;
  Number number;
  std::unique_ptr<Pipeline> pipe;  // kPipe
  std::unique_ptr<Operand> base;   // kChain
  // kIdentifier: the function found when parsing, in the FuncMap the tree was parsed with.
  const Func* func = nullptr;

  std::string String() const;
};

struct Command {
  int pos = 0;
  std::vector<Operand> args;
  std::string String() const;
};

struct Pipeline {
  int pos = 0;
  bool is_assign = false;         // "=" rather than ":="
  boost::container::small_vector<std::string_view, 2> decl;  // "$x" or "$i", "$e"
  std::vector<Command> cmds;
  std::string String() const;
};

struct Node;
using NodeList = std::vector<Node>;

struct Node {
  enum class Kind { kText, kAction, kIf, kRange, kWith, kTemplate, kBreak, kContinue };
  Kind kind;
  int pos = 0;
  int line = 0;
  std::string_view text;            // kText: the text
  std::string name;                 // kTemplate: the template's name
  std::unique_ptr<Pipeline> pipe;   // action, if/range/with condition, template argument
  std::unique_ptr<NodeList> list;   // if/range/with body
  std::unique_ptr<NodeList> else_list;

  std::string String() const;
};

// The source a tree was parsed from: its name (Go's ParseName, used in error locations) and
// text (for line and column). Shared by every tree defined in the same text.
struct Source {
  std::string name;
  std::string text;
};

struct Tree {
  std::string name;  // the template's name (a define's name, or the source's name)
  std::shared_ptr<const Source> source;
  NodeList root;
  // Whether the tree holds only whitespace text (Go's IsEmptyTree): an empty redefinition does
  // not replace a template of the same name.
  bool IsEmpty() const;
};

// Go's ErrorContext: "NAME:LINE:COL" with a 0-based byte column, as Go reports it.
std::string Location(const Source& source, int pos);

}  // namespace kstack::tmpl
