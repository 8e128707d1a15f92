#include "gitops/health/internal/lua_continue.h"

#include <algorithm>
#include <cctype>
#include <vector>

namespace kstack::gitops::health::internal {
namespace {

constexpr size_t kNone = static_cast<size_t>(-1);

struct Token {
  enum Type { kName, kLabel, kOther } type;
  size_t begin;
  size_t end;
  std::string_view text;  // the name, or the label's name
};

bool IsNameStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool IsNameChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// At s[i] == '[': the level of a long bracket `[==[`, or -1 when it is not one.
int LongBracketLevel(std::string_view s, size_t i) {
  size_t j = i + 1;
  while (j < s.size() && s[j] == '=') ++j;
  if (j < s.size() && s[j] == '[') return static_cast<int>(j - i - 1);
  return -1;
}

// Skips a long bracket of `level` opened at s[i]; false when it is not closed.
bool SkipLongBracket(std::string_view s, size_t* i, int level) {
  std::string close(static_cast<size_t>(level) + 2, '=');
  close.front() = ']';
  close.back() = ']';
  size_t end = s.find(close, *i + static_cast<size_t>(level) + 2);
  if (end == std::string_view::npos) return false;
  *i = end + close.size();
  return true;
}

std::optional<std::vector<Token>> Tokenize(std::string_view s) {
  std::vector<Token> tokens;
  size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    char next = i + 1 < s.size() ? s[i + 1] : '\0';
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (c == '-' && next == '-') {
      i += 2;
      int level = i < s.size() && s[i] == '[' ? LongBracketLevel(s, i) : -1;
      if (level >= 0) {
        if (!SkipLongBracket(s, &i, level)) return std::nullopt;
      } else {
        while (i < s.size() && s[i] != '\n') ++i;
      }
    } else if (c == '"' || c == '\'') {
      size_t begin = i++;
      while (i < s.size() && s[i] != c) {
        if (s[i] == '\n') return std::nullopt;
        i += s[i] == '\\' ? 2 : 1;
      }
      if (i >= s.size()) return std::nullopt;
      ++i;
      tokens.push_back({Token::kOther, begin, i, {}});
    } else if (c == '[' && LongBracketLevel(s, i) >= 0) {
      size_t begin = i;
      if (!SkipLongBracket(s, &i, LongBracketLevel(s, i))) return std::nullopt;
      tokens.push_back({Token::kOther, begin, i, {}});
    } else if (IsNameStart(c)) {
      size_t begin = i;
      while (i < s.size() && IsNameChar(s[i])) ++i;
      tokens.push_back({Token::kName, begin, i, s.substr(begin, i - begin)});
    } else if (std::isdigit(static_cast<unsigned char>(c)) ||
               (c == '.' && std::isdigit(static_cast<unsigned char>(next)))) {
      size_t begin = i;
      while (i < s.size()) {
        char d = s[i];
        if (IsNameChar(d) || d == '.') {
          ++i;
        } else if ((d == '+' || d == '-') &&
                   (s[i - 1] == 'e' || s[i - 1] == 'E' || s[i - 1] == 'p' || s[i - 1] == 'P')) {
          ++i;
        } else {
          break;
        }
      }
      tokens.push_back({Token::kOther, begin, i, {}});
    } else if (c == ':' && next == ':') {
      // A label `::name::`.
      size_t begin = i;
      size_t j = i + 2;
      while (j < s.size() && (s[j] == ' ' || s[j] == '\t')) ++j;
      size_t name_begin = j;
      while (j < s.size() && IsNameChar(s[j])) ++j;
      size_t name_end = j;
      while (j < s.size() && (s[j] == ' ' || s[j] == '\t')) ++j;
      if (name_end > name_begin && s.substr(j, 2) == "::") {
        i = j + 2;
        tokens.push_back({Token::kLabel, begin, i, s.substr(name_begin, name_end - name_begin)});
      } else {
        i += 2;
        tokens.push_back({Token::kOther, begin, i, {}});
      }
    } else {
      tokens.push_back({Token::kOther, i, i + 1, {}});
      ++i;
    }
  }
  return tokens;
}

enum class Block { kLoopHeader, kLoop, kRepeat, kFunction, kIf, kDo };

struct Entry {
  Block kind;
  size_t start = kNone;        // the token that opens the current block (`do`, `then`, `else`)
  size_t label = kNone;        // a label ending the current block
  std::vector<size_t> gotos;   // `goto` tokens within the block, not yet matched to a label
  std::vector<size_t> breaks;  // `break` tokens within the block that leave a loop around it
  // A `break` this rewrite added after a block, which leaves the loop around it; another
  // rewritten block around it would need to rewrite it as well, which is not done.
  bool added_break = false;
  // What earlier branches of an `if` left for the block around it.
  std::vector<size_t> carried_gotos;
  std::vector<size_t> carried_breaks;
};

struct Edit {
  size_t begin;
  size_t end;
  std::string text;
};

class Rewriter {
 public:
  Rewriter(std::string_view source, const std::vector<Token>& tokens)
      : source_(source), tokens_(tokens) {}

  std::optional<std::string> Run();

 private:
  bool IsWord(size_t i, std::string_view word) const {
    return i < tokens_.size() && tokens_[i].type == Token::kName && tokens_[i].text == word;
  }
  bool OnLabel(size_t i);
  // Rewrites the block that ends now if a label ends it; false when that cannot be done.
  bool Finish(Entry& e);
  // Hands what is left of a closed block to the block around it.
  bool Close(Entry e);

  std::string_view source_;
  const std::vector<Token>& tokens_;
  std::vector<Entry> stack_;
  std::vector<Edit> edits_;
};

bool Rewriter::OnLabel(size_t i) {
  if (stack_.empty()) return false;
  Entry& top = stack_.back();
  if ((top.kind != Block::kLoop && top.kind != Block::kDo && top.kind != Block::kIf) ||
      top.start == kNone || top.label != kNone) {
    return false;
  }
  size_t next = i + 1;
  while (next < tokens_.size() && tokens_[next].type == Token::kOther &&
         source_[tokens_[next].begin] == ';') {
    ++next;
  }
  bool ends_block = IsWord(next, "end") ||
                    (top.kind == Block::kIf && (IsWord(next, "else") || IsWord(next, "elseif")));
  if (!ends_block) return false;
  top.label = i;
  return true;
}

bool Rewriter::Finish(Entry& e) {
  if (e.label == kNone) return true;
  if (e.added_break) return false;
  std::string_view name = tokens_[e.label].text;
  std::vector<size_t> others;
  for (size_t g : e.gotos) {
    if (tokens_[g + 1].text == name) {
      edits_.push_back({tokens_[g].begin, tokens_[g + 1].end, "do break end"});
    } else {
      others.push_back(g);
    }
  }
  e.gotos = std::move(others);
  bool flag = !e.breaks.empty();
  const Token& start = tokens_[e.start];
  std::string opener(source_.substr(start.begin, start.end - start.begin));
  edits_.push_back({start.begin, start.end,
                    opener + (flag ? " local __kstack_break = false repeat" : " repeat")});
  for (size_t b : e.breaks) {
    edits_.push_back({tokens_[b].begin, tokens_[b].end, "do __kstack_break = true break end"});
  }
  const Token& label = tokens_[e.label];
  edits_.push_back({label.begin, label.end,
                    flag ? "until true if __kstack_break then break end" : "until true"});
  e.breaks.clear();
  // The added break leaves the loop; a loop's own body consumes it.
  if (flag && e.kind != Block::kLoop) e.added_break = true;
  e.label = kNone;
  return true;
}

bool Rewriter::Close(Entry e) {
  if (e.kind == Block::kLoop || e.kind == Block::kRepeat || e.kind == Block::kFunction) {
    // A goto cannot leave a loop by a break of this rewrite, nor a function at all.
    return e.gotos.empty();
  }
  e.gotos.insert(e.gotos.end(), e.carried_gotos.begin(), e.carried_gotos.end());
  e.breaks.insert(e.breaks.end(), e.carried_breaks.begin(), e.carried_breaks.end());
  if (stack_.empty()) return e.gotos.empty();
  Entry& parent = stack_.back();
  parent.gotos.insert(parent.gotos.end(), e.gotos.begin(), e.gotos.end());
  parent.breaks.insert(parent.breaks.end(), e.breaks.begin(), e.breaks.end());
  parent.added_break = parent.added_break || e.added_break;
  return true;
}

std::optional<std::string> Rewriter::Run() {
  bool found = false;
  for (size_t i = 0; i < tokens_.size(); ++i) {
    const Token& t = tokens_[i];
    if (t.type == Token::kLabel) {
      found = true;
      if (!OnLabel(i)) return std::nullopt;
      continue;
    }
    if (t.type != Token::kName) continue;
    std::string_view word = t.text;
    if (word == "while" || word == "for") {
      stack_.push_back({Block::kLoopHeader});
    } else if (word == "do") {
      if (!stack_.empty() && stack_.back().kind == Block::kLoopHeader) {
        stack_.back().kind = Block::kLoop;
        stack_.back().start = i;
      } else {
        stack_.push_back({Block::kDo, i});
      }
    } else if (word == "if") {
      stack_.push_back({Block::kIf});
    } else if (word == "then" || word == "else" || word == "elseif") {
      if (stack_.empty() || stack_.back().kind != Block::kIf) return std::nullopt;
      Entry& e = stack_.back();
      if (word != "then") {
        // The branch ends: rewrite it, and keep what is left for the block around the `if`.
        if (!Finish(e)) return std::nullopt;
        e.carried_gotos.insert(e.carried_gotos.end(), e.gotos.begin(), e.gotos.end());
        e.carried_breaks.insert(e.carried_breaks.end(), e.breaks.begin(), e.breaks.end());
        e.gotos.clear();
        e.breaks.clear();
      }
      e.start = word == "elseif" ? kNone : i;
    } else if (word == "function") {
      stack_.push_back({Block::kFunction});
    } else if (word == "repeat") {
      stack_.push_back({Block::kRepeat});
    } else if (word == "until") {
      if (stack_.empty() || stack_.back().kind != Block::kRepeat) return std::nullopt;
      Entry e = std::move(stack_.back());
      stack_.pop_back();
      if (!Close(std::move(e))) return std::nullopt;
    } else if (word == "goto") {
      found = true;
      if (stack_.empty() || i + 1 >= tokens_.size() || tokens_[i + 1].type != Token::kName) {
        return std::nullopt;
      }
      stack_.back().gotos.push_back(i);
      ++i;
    } else if (word == "break") {
      if (!stack_.empty()) stack_.back().breaks.push_back(i);
    } else if (word == "end") {
      if (stack_.empty() || stack_.back().kind == Block::kLoopHeader ||
          stack_.back().kind == Block::kRepeat) {
        return std::nullopt;
      }
      Entry e = std::move(stack_.back());
      stack_.pop_back();
      if (!Finish(e) || !Close(std::move(e))) return std::nullopt;
    }
  }
  if (!found || !stack_.empty()) return std::nullopt;

  std::sort(edits_.begin(), edits_.end(),
            [](const Edit& a, const Edit& b) { return a.begin < b.begin; });
  std::string out;
  out.reserve(source_.size() + edits_.size() * 16);
  size_t at = 0;
  for (const Edit& e : edits_) {
    out.append(source_.substr(at, e.begin - at));
    out += e.text;
    at = e.end;
  }
  out.append(source_.substr(at));
  return out;
}

}  // namespace

std::optional<std::string> RewriteLoopContinue(std::string_view source) {
  if (source.find("goto") == std::string_view::npos &&
      source.find("::") == std::string_view::npos) {
    return std::nullopt;
  }
  std::optional<std::vector<Token>> tokens = Tokenize(source);
  if (!tokens) return std::nullopt;
  return Rewriter(source, *tokens).Run();
}

}  // namespace kstack::gitops::health::internal
