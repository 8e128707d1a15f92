#include "render/glob.h"

#include <fmt/format.h>

namespace kstack::render {
namespace {

using Tokens = std::vector<Glob::Token>;

// Brace expansion multiplies alternatives; a pattern that expands beyond this is refused
// rather than left to eat memory.
constexpr size_t kMaxAlternatives = 4096;

// Decodes the UTF-8 code point at `text[*pos]` and advances past it. Returns false on an
// invalid sequence (and then advances one byte).
bool NextRune(std::string_view text, size_t* pos, char32_t* out) {
  auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  unsigned char b0 = byte(*pos);
  size_t len = 0;  // 0: not a lead byte
  if (b0 < 0x80) {
    len = 1;
  } else if ((b0 >> 5) == 0x6) {
    len = 2;
  } else if ((b0 >> 4) == 0xE) {
    len = 3;
  } else if ((b0 >> 3) == 0x1E) {
    len = 4;
  }
  if (len == 0 || *pos + len > text.size()) {
    ++*pos;
    return false;
  }
  char32_t r = len == 1 ? b0 : len == 2 ? (b0 & 0x1F) : len == 3 ? (b0 & 0x0F) : (b0 & 0x07);
  for (size_t i = 1; i < len; ++i) {
    unsigned char b = byte(*pos + i);
    if ((b & 0xC0) != 0x80) {
      ++*pos;
      return false;
    }
    r = (r << 6) | (b & 0x3F);
  }
  static constexpr char32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (r < kMin[len] || r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF)) {
    ++*pos;
    return false;
  }
  *pos += len;
  *out = r;
  return true;
}

std::u32string DecodeText(std::string_view text) {
  std::u32string out;
  out.reserve(text.size());
  size_t pos = 0;
  while (pos < text.size()) {
    char32_t r;
    out.push_back(NextRune(text, &pos, &r) ? r : char32_t{0xFFFD});
  }
  return out;
}

class Parser {
 public:
  explicit Parser(std::string_view pattern) : p_(pattern) {}

  Result<std::vector<Tokens>> Parse() {
    std::vector<Tokens> alternatives;
    KSTACK_ASSIGN_OR_RETURN(alternatives, Sequence(false));
    return alternatives;
  }

 private:
  Status Error(size_t pos, std::string_view what) const {
    return BadRequestError(fmt::format("glob \"{}\": column {}: {}", p_, pos + 1, what));
  }

  bool AtEnd() const { return pos_ >= p_.size(); }
  char Peek() const { return p_[pos_]; }

  Result<char32_t> Rune() {
    size_t at = pos_;
    char32_t r;
    if (!NextRune(p_, &pos_, &r)) return Error(at, "not valid UTF-8");
    return r;
  }

  // The expanded alternatives of a sequence, which ends at the end of the pattern or, inside
  // braces, before an unescaped ',' or '}'.
  Result<std::vector<Tokens>> Sequence(bool in_braces) {
    std::vector<Tokens> out(1);
    bool after_star = false;
    while (!AtEnd()) {
      char c = Peek();
      if (in_braces && (c == ',' || c == '}')) break;
      if (c == '{') {
        std::vector<Tokens> choices;
        KSTACK_ASSIGN_OR_RETURN(choices, Braces());
        if (out.size() * choices.size() > kMaxAlternatives) {
          return Error(0, fmt::format("more than {} alternatives", kMaxAlternatives));
        }
        std::vector<Tokens> product;
        product.reserve(out.size() * choices.size());
        for (const Tokens& head : out) {
          for (const Tokens& tail : choices) {
            Tokens joined = head;
            joined.insert(joined.end(), tail.begin(), tail.end());
            product.push_back(std::move(joined));
          }
        }
        out = std::move(product);
        after_star = false;
        continue;
      }
      Glob::Token token;
      KSTACK_ASSIGN_OR_RETURN(token, Single());
      bool star = token.kind == Glob::Token::kStar;
      if (star && after_star) continue;  // "**" matches what "*" matches: no separators
      after_star = star;
      for (Tokens& alternative : out) alternative.push_back(token);
    }
    return out;
  }

  // "{a,b,...}" at pos_.
  Result<std::vector<Tokens>> Braces() {
    size_t open = pos_++;
    std::vector<Tokens> choices;
    while (true) {
      std::vector<Tokens> choice;
      KSTACK_ASSIGN_OR_RETURN(choice, Sequence(true));
      for (Tokens& t : choice) choices.push_back(std::move(t));
      if (choices.size() > kMaxAlternatives) {
        return Error(open, fmt::format("more than {} alternatives", kMaxAlternatives));
      }
      if (AtEnd()) return Error(open, "'{' is never closed");
      if (p_[pos_++] == '}') return choices;
    }
  }

  // One token that is not a brace group.
  Result<Glob::Token> Single() {
    Glob::Token token;
    switch (Peek()) {
      case '*':
        ++pos_;
        token.kind = Glob::Token::kStar;
        return token;
      case '?':
        ++pos_;
        token.kind = Glob::Token::kAnyChar;
        return token;
      case '[':
        return Class();
      case '\\': {
        size_t at = pos_++;
        if (AtEnd()) return Error(at, "'\\' escapes nothing");
        KSTACK_ASSIGN_OR_RETURN(token.lo, Rune());
        return token;
      }
      default:
        KSTACK_ASSIGN_OR_RETURN(token.lo, Rune());
        return token;
    }
  }

  // "[...]" at pos_: '!' first negates; then either "lo-hi" or a list of characters in which
  // '\' escapes.
  Result<Glob::Token> Class() {
    size_t open = pos_++;
    Glob::Token token;
    auto unclosed = [&] { return Error(open, "'[' is never closed"); };
    if (!AtEnd() && Peek() == '!') {
      token.negated = true;
      ++pos_;
    }
    if (AtEnd()) return unclosed();
    size_t first = pos_;
    char32_t lo;
    KSTACK_ASSIGN_OR_RETURN(lo, Rune());
    if (!AtEnd() && Peek() == '-') {
      ++pos_;
      if (AtEnd()) return unclosed();
      char32_t hi;
      KSTACK_ASSIGN_OR_RETURN(hi, Rune());
      if (AtEnd()) return unclosed();
      if (Peek() != ']') return Error(pos_, "expected ']' after a range");
      ++pos_;
      if (hi < lo) return Error(first, "the range's end comes before its start");
      token.kind = Glob::Token::kRange;
      token.lo = lo;
      token.hi = hi;
      return token;
    }
    pos_ = first;
    token.kind = Glob::Token::kList;
    while (true) {
      if (AtEnd()) return unclosed();
      if (Peek() == ']') {
        ++pos_;
        break;
      }
      if (Peek() == '\\') {
        ++pos_;
        if (AtEnd()) return unclosed();
      }
      char32_t r;
      KSTACK_ASSIGN_OR_RETURN(r, Rune());
      token.chars.push_back(r);
    }
    if (token.chars.empty()) return Error(open, "empty character class");
    return token;
  }

  std::string_view p_;
  size_t pos_ = 0;
};

bool Accepts(const Glob::Token& t, char32_t r) {
  switch (t.kind) {
    case Glob::Token::kChar:
      return r == t.lo;
    case Glob::Token::kAnyChar:
      return true;
    case Glob::Token::kRange:
      return (t.lo <= r && r <= t.hi) != t.negated;
    case Glob::Token::kList:
      return (t.chars.find(r) != std::u32string::npos) != t.negated;
    case Glob::Token::kStar:
      return false;
  }
  return false;
}

// Wildcard matching with backtracking to the last star: each token but a star takes exactly
// one code point, so trying the last star's next length is enough.
bool MatchTokens(const std::vector<Glob::Token>& tokens, const std::u32string& text) {
  size_t t = 0, p = 0;
  size_t star = std::string::npos, star_t = 0;
  while (t < text.size()) {
    if (p < tokens.size() && tokens[p].kind == Glob::Token::kStar) {
      star = p++;
      star_t = t;
    } else if (p < tokens.size() && Accepts(tokens[p], text[t])) {
      ++p;
      ++t;
    } else if (star != std::string::npos) {
      p = star + 1;
      t = ++star_t;
    } else {
      return false;
    }
  }
  while (p < tokens.size() && tokens[p].kind == Glob::Token::kStar) ++p;
  return p == tokens.size();
}

}  // namespace

Result<Glob> Glob::Compile(std::string_view pattern) {
  Glob glob;
  glob.pattern_ = std::string(pattern);
  KSTACK_ASSIGN_OR_RETURN(glob.alternatives_, Parser(pattern).Parse());
  return glob;
}

bool Glob::Match(std::string_view text) const {
  std::u32string runes = DecodeText(text);
  for (const auto& tokens : alternatives_) {
    if (MatchTokens(tokens, runes)) return true;
  }
  return false;
}

}  // namespace kstack::render
