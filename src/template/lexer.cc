#include "template/lexer.h"

#include <cstdio>

#include "template/internal/runes.h"

namespace kstack::tmpl {
namespace {

constexpr std::string_view kLeft = "{{";
constexpr std::string_view kRight = "}}";

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
bool IsAlnum(char32_t r) {
  return r == '_' || internal::IsLetterRune(r) || internal::IsDigitRune(r);
}

bool IsAsciiAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// Keywords by a switch on length and text: cheaper than hashing every identifier.
TokenType KeywordType(std::string_view w) {
  switch (w.size()) {
    case 2: if (w == "if") return TokenType::kIf; break;
    case 3: if (w == "end") return TokenType::kEnd; if (w == "nil") return TokenType::kNil; break;
    case 4:
      if (w == "else") return TokenType::kElse;
      if (w == "with") return TokenType::kWith;
      if (w == "true") return TokenType::kBool;
      break;
    case 5:
      if (w == "block") return TokenType::kBlock;
      if (w == "break") return TokenType::kBreak;
      if (w == "range") return TokenType::kRange;
      if (w == "false") return TokenType::kBool;
      break;
    case 6: if (w == "define") return TokenType::kDefine; break;
    case 8:
      if (w == "continue") return TokenType::kContinue;
      if (w == "template") return TokenType::kTemplate;
      break;
    default: break;
  }
  return TokenType::kIdentifier;
}

// %#U: "U+0027 '''".
std::string RuneForm(char32_t r) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "U+%04X", static_cast<unsigned>(r));
  std::string out = buf;
  if (internal::IsPrintRune(r)) {
    out += " '";
    internal::AppendRune(&out, r);
    out += "'";
  }
  return out;
}

class Lexer {
 public:
  Lexer(std::string_view name, std::string_view text) : name_(name), text_(text) {}

  Result<std::vector<Token>> Run() {
    tokens_.reserve(text_.size() / 3 + 4);
    while (pos_ < text_.size()) {
      if (!LexText()) return Error();
      if (pos_ >= text_.size()) break;
      if (!LexAction()) return Error();
    }
    Emit(TokenType::kEOF, pos_, pos_);
    return std::move(tokens_);
  }

 private:
  Status Error() {
    return BadRequestError("template: " + std::string(name_) + ":" + std::to_string(err_line_) +
                           ": " + err_);
  }
  bool Fail(std::string message) {
    err_ = std::move(message);
    err_line_ = line_;
    return false;
  }
  int LineAt(size_t pos) {
    while (line_pos_ < pos) {
      if (text_[line_pos_] == '\n') ++line_;
      ++line_pos_;
    }
    return line_;
  }
  void Emit(TokenType type, size_t start, size_t end) {
    tokens_.push_back(Token{type, static_cast<int>(start), LineAt(start),
                            text_.substr(start, end - start)});
  }

  // Text up to the next left delimiter; trims it when the action starts with "{{- ".
  bool LexText() {
    size_t start = pos_;
    if (trim_next_text_) {
      while (start < text_.size() && IsSpace(text_[start])) ++start;
      trim_next_text_ = false;
    }
    size_t next = text_.find(kLeft, start);
    size_t end = next == std::string_view::npos ? text_.size() : next;
    size_t text_end = end;
    if (next != std::string_view::npos && LeftTrim(next)) {
      while (text_end > start && IsSpace(text_[text_end - 1])) --text_end;
    }
    if (text_end > start) Emit(TokenType::kText, start, text_end);
    pos_ = end;
    return true;
  }

  bool LeftTrim(size_t delim) const {
    size_t after = delim + kLeft.size();
    return after + 1 < text_.size() && text_[after] == '-' && IsSpace(text_[after + 1]);
  }

  // At a right delimiter, possibly preceded by " -". Returns the length consumed, 0 if not.
  size_t AtRightDelim(bool* trim) const {
    if (text_.substr(pos_, kRight.size()) == kRight) {
      *trim = false;
      return kRight.size();
    }
    if (pos_ + 1 < text_.size() && IsSpace(text_[pos_]) && text_[pos_ + 1] == '-' &&
        text_.substr(pos_ + 2, kRight.size()) == kRight) {
      *trim = true;
      return 2 + kRight.size();
    }
    return 0;
  }

  bool LexAction() {
    size_t delim = pos_;
    bool left_trim = LeftTrim(delim);
    pos_ += kLeft.size();
    if (left_trim) pos_ += 2;
    // A comment: "/*" right after the delimiter (and trim marker).
    if (text_.substr(pos_, 2) == "/*") {
      size_t close = text_.find("*/", pos_ + 2);
      if (close == std::string_view::npos) {
        LineAt(delim);
        return Fail("unclosed comment");
      }
      pos_ = close + 2;
      bool trim = false;
      size_t n = AtRightDelim(&trim);
      if (n == 0) {
        LineAt(delim);
        return Fail("comment ends before closing delimiter");
      }
      pos_ += n;
      trim_next_text_ = trim;
      return true;
    }
    Emit(TokenType::kLeftDelim, delim, delim + kLeft.size());
    int paren_depth = 0;
    while (true) {
      bool trim = false;
      if (size_t n = AtRightDelim(&trim); n > 0) {
        if (paren_depth > 0) return Fail("unclosed left paren");
        Emit(TokenType::kRightDelim, pos_ + (trim ? 2 : 0), pos_ + n);
        pos_ += n;
        trim_next_text_ = trim;
        return true;
      }
      if (pos_ >= text_.size()) {
        LineAt(pos_);
        return Fail("unclosed action");
      }
      char c = text_[pos_];
      size_t start = pos_;
      if (IsSpace(c)) {
        while (pos_ < text_.size() && IsSpace(text_[pos_])) {
          // A space that starts " -}}" belongs to the delimiter.
          if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '-' &&
              text_.substr(pos_ + 2, kRight.size()) == kRight) {
            break;
          }
          ++pos_;
        }
        if (pos_ > start) {
          Emit(TokenType::kSpace, start, pos_);
        } else {
          // The space is the start of " -}}" with no other space before it.
          continue;
        }
        continue;
      }
      if (c == '=') {
        ++pos_;
        Emit(TokenType::kAssign, start, pos_);
      } else if (c == ':') {
        if (pos_ + 1 >= text_.size() || text_[pos_ + 1] != '=') return Fail("expected :=");
        pos_ += 2;
        Emit(TokenType::kDeclare, start, pos_);
      } else if (c == '|') {
        ++pos_;
        Emit(TokenType::kPipe, start, pos_);
      } else if (c == ',') {
        ++pos_;
        Emit(TokenType::kComma, start, pos_);
      } else if (c == '(') {
        ++pos_;
        ++paren_depth;
        Emit(TokenType::kLeftParen, start, pos_);
      } else if (c == ')') {
        ++pos_;
        if (--paren_depth < 0) return Fail("unexpected right paren " + RuneForm(')'));
        Emit(TokenType::kRightParen, start, pos_);
      } else if (c == '"') {
        if (!LexQuote()) return false;
      } else if (c == '`') {
        size_t close = text_.find('`', pos_ + 1);
        if (close == std::string_view::npos) return Fail("unterminated raw quoted string");
        pos_ = close + 1;
        Emit(TokenType::kRawString, start, pos_);
      } else if (c == '\'') {
        if (!LexChar()) return false;
      } else if (c == '$') {
        ++pos_;
        if (!LexWord(TokenType::kVariable, start)) return false;
      } else if (c == '.') {
        if (pos_ + 1 < text_.size() && text_[pos_ + 1] >= '0' && text_[pos_ + 1] <= '9') {
          if (!LexNumber()) return false;
        } else {
          ++pos_;
          if (!LexWord(TokenType::kField, start)) return false;
        }
      } else if (c == '+' || c == '-' || (c >= '0' && c <= '9')) {
        if (!LexNumber()) return false;
      } else {
        size_t i = pos_;
        char32_t r = internal::DecodeRune(text_, &i);
        if (IsAlnum(r)) {
          if (!LexIdentifier()) return false;
        } else {
          return Fail("unrecognized character in action: " + RuneForm(r));
        }
      }
    }
  }

  bool AtTerminator() {
    if (pos_ >= text_.size()) return true;
    char c = text_[pos_];
    if (IsSpace(c) || c == '.' || c == ',' || c == '|' || c == ':' || c == ')' || c == '(') {
      return true;
    }
    return text_.substr(pos_, kRight.size()) == kRight;
  }

  // Alphanumerics after '$' or '.'; a lone '.' is the dot.
  bool LexWord(TokenType type, size_t start) {
    while (pos_ < text_.size()) {
      if (IsAsciiAlnum(text_[pos_])) {
        ++pos_;
        continue;
      }
      if (static_cast<unsigned char>(text_[pos_]) < 0x80) break;
      size_t i = pos_;
      char32_t r = internal::DecodeRune(text_, &i);
      if (!IsAlnum(r)) break;
      pos_ = i;
    }
    if (!AtTerminator()) {
      size_t i = pos_;
      return Fail("bad character " + RuneForm(internal::DecodeRune(text_, &i)));
    }
    if (type == TokenType::kField && pos_ == start + 1) type = TokenType::kDot;
    Emit(type, start, pos_);
    return true;
  }

  bool LexIdentifier() {
    size_t start = pos_;
    while (pos_ < text_.size()) {
      if (IsAsciiAlnum(text_[pos_])) {
        ++pos_;
        continue;
      }
      if (static_cast<unsigned char>(text_[pos_]) < 0x80) break;
      size_t i = pos_;
      char32_t r = internal::DecodeRune(text_, &i);
      if (!IsAlnum(r)) break;
      pos_ = i;
    }
    if (!AtTerminator()) {
      size_t i = pos_;
      return Fail("bad character " + RuneForm(internal::DecodeRune(text_, &i)));
    }
    Emit(KeywordType(text_.substr(start, pos_ - start)), start, pos_);
    return true;
  }

  bool LexQuote() {
    size_t start = pos_++;
    while (true) {
      if (pos_ >= text_.size() || text_[pos_] == '\n') {
        return Fail("unterminated quoted string");
      }
      char c = text_[pos_++];
      if (c == '\\') {
        if (pos_ >= text_.size() || text_[pos_] == '\n') {
          return Fail("unterminated quoted string");
        }
        ++pos_;
      } else if (c == '"') {
        break;
      }
    }
    Emit(TokenType::kString, start, pos_);
    return true;
  }

  bool LexChar() {
    size_t start = pos_++;
    while (true) {
      if (pos_ >= text_.size() || text_[pos_] == '\n') {
        return Fail("unterminated character constant");
      }
      char c = text_[pos_++];
      if (c == '\\') {
        if (pos_ >= text_.size() || text_[pos_] == '\n') {
          return Fail("unterminated character constant");
        }
        ++pos_;
      } else if (c == '\'') {
        break;
      }
    }
    Emit(TokenType::kCharConstant, start, pos_);
    return true;
  }

  bool Accept(std::string_view valid) {
    if (pos_ < text_.size() && valid.find(text_[pos_]) != std::string_view::npos) {
      ++pos_;
      return true;
    }
    return false;
  }
  void AcceptRun(std::string_view valid) {
    while (Accept(valid)) {
    }
  }

  bool ScanNumber() {
    Accept("+-");
    std::string_view digits = "0123456789_";
    if (Accept("0")) {
      if (Accept("xX")) {
        digits = "0123456789abcdefABCDEF_";
      } else if (Accept("oO")) {
        digits = "01234567_";
      } else if (Accept("bB")) {
        digits = "01_";
      }
    }
    AcceptRun(digits);
    if (Accept(".")) AcceptRun(digits);
    if (digits.size() == 11 && Accept("eE")) {
      Accept("+-");
      AcceptRun("0123456789_");
    }
    if (digits.size() == 23 && Accept("pP")) {
      Accept("+-");
      AcceptRun("0123456789_");
    }
    Accept("i");
    if (pos_ < text_.size()) {
      size_t i = pos_;
      char32_t r = internal::DecodeRune(text_, &i);
      if (IsAlnum(r)) {
        pos_ = i;
        return false;
      }
    }
    return true;
  }

  bool LexNumber() {
    size_t start = pos_;
    if (!ScanNumber()) {
      return Fail("bad number syntax: \"" + std::string(text_.substr(start, pos_ - start)) + "\"");
    }
    // A complex number written as a sum: 1+2i.
    if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) {
      if (!ScanNumber() || text_[pos_ - 1] != 'i') {
        return Fail("bad number syntax: \"" + std::string(text_.substr(start, pos_ - start)) +
                    "\"");
      }
    }
    Emit(TokenType::kNumber, start, pos_);
    return true;
  }

  std::string_view name_;
  std::string_view text_;
  size_t pos_ = 0;
  int line_ = 1;
  size_t line_pos_ = 0;
  bool trim_next_text_ = false;
  std::vector<Token> tokens_;
  std::string err_;
  int err_line_ = 1;
};

}  // namespace

Result<std::vector<Token>> Lex(std::string_view name, std::string_view text) {
  return Lexer(name, text).Run();
}

}  // namespace kstack::tmpl
