#pragma once

// The lexer of Go's text/template: cuts a template text into text runs and the tokens of
// actions ({{ ... }}), applying trim markers ("{{- " and " -}}") to the neighbouring text and
// dropping comments ({{/* ... */}}). Positions are byte offsets into the text; lines are
// 1-based. Pure function of its input; thread-safe.

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace kstack::tmpl {

enum class TokenType {
  kText,         // plain text outside actions
  kLeftDelim,    // {{
  kRightDelim,   // }}
  kSpace,        // a run of spaces inside an action
  kField,        // .Name
  kVariable,     // $ or $name
  kIdentifier,   // a function name
  kDot,          // .
  kBool,         // true, false
  kNil,          // nil
  kNumber,       // 12, 0x1f, 1.5e3, 'x' (kind decided by the parser), 1i
  kCharConstant, // 'x'
  kString,       // "quoted"
  kRawString,    // `raw`
  kAssign,       // =
  kDeclare,      // :=
  kPipe,         // |
  kComma,        // ,
  kLeftParen,
  kRightParen,
  // keywords
  kBlock, kBreak, kContinue, kDefine, kElse, kEnd, kIf, kRange, kTemplate, kWith,
  kEOF,
};

struct Token {
  TokenType type;
  int pos = 0;   // byte offset in the template text
  int line = 1;  // line of the token's first byte
  std::string_view text;  // a view into the template text
};

// Lexes `text`. Errors are BadRequest with Go's parse error text,
// "template: NAME:LINE: unclosed action". The tokens view into `text`, which must outlive them.
Result<std::vector<Token>> Lex(std::string_view name, std::string_view text);

}  // namespace kstack::tmpl
