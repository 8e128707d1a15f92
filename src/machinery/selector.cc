#include "machinery/selector.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "machinery/validation.h"

namespace kstack::machinery {
namespace {

using Op = LabelSelector::Op;

// The lexer of Kubernetes' selector syntax: identifiers and the symbols ! != = == ( ) , < >.
class Lexer {
 public:
  enum class Token { kEnd, kIdentifier, kNot, kNotEquals, kEquals, kDoubleEquals, kOpen, kClose,
                     kComma, kGreater, kLess, kIn, kNotIn };

  explicit Lexer(std::string_view text) : text_(text) {}

  // The next token and its text; does not consume when `peek`.
  Token Next(std::string* value, bool peek = false) {
    size_t save = pos_;
    Token t = Scan(value);
    if (peek) pos_ = save;
    return t;
  }

 private:
  static bool IsSpecial(char c) {
    return c == '!' || c == '=' || c == '(' || c == ')' || c == ',' || c == '<' || c == '>';
  }
  static bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

  Token Scan(std::string* value) {
    while (pos_ < text_.size() && IsSpace(text_[pos_])) ++pos_;
    value->clear();
    if (pos_ >= text_.size()) return Token::kEnd;
    char c = text_[pos_];
    if (IsSpecial(c)) {
      char n = pos_ + 1 < text_.size() ? text_[pos_ + 1] : '\0';
      ++pos_;
      switch (c) {
        case '!':
          if (n == '=') {
            ++pos_;
            return Token::kNotEquals;
          }
          return Token::kNot;
        case '=':
          if (n == '=') {
            ++pos_;
            return Token::kDoubleEquals;
          }
          return Token::kEquals;
        case '(': return Token::kOpen;
        case ')': return Token::kClose;
        case ',': return Token::kComma;
        case '<': return Token::kLess;
        default: return Token::kGreater;
      }
    }
    size_t start = pos_;
    while (pos_ < text_.size() && !IsSpecial(text_[pos_]) && !IsSpace(text_[pos_])) ++pos_;
    *value = std::string(text_.substr(start, pos_ - start));
    if (*value == "in") return Token::kIn;
    if (*value == "notin") return Token::kNotIn;
    return Token::kIdentifier;
  }

  std::string_view text_;
  size_t pos_ = 0;
};

Status SelectorError(std::string_view text, std::string_view what) {
  return BadRequestError(fmt::format("unable to parse label selector \"{}\": {}", text, what));
}

Status CheckKey(std::string_view text, std::string_view key) {
  if (std::string problem = QualifiedNameProblem(key); !problem.empty()) {
    return SelectorError(text, fmt::format("invalid label key \"{}\": {}", key, problem));
  }
  return Status::Ok();
}

Status CheckValue(std::string_view text, std::string_view value) {
  if (std::string problem = LabelValueProblem(value); !problem.empty()) {
    return SelectorError(text, fmt::format("invalid label value \"{}\": {}", value, problem));
  }
  return Status::Ok();
}

bool ParseInt(std::string_view s, int64_t* out) {
  auto r = std::from_chars(s.data(), s.data() + s.size(), *out);
  return !s.empty() && r.ec == std::errc() && r.ptr == s.data() + s.size();
}

std::string_view OpText(Op op) {
  switch (op) {
    case Op::kEquals: return "=";
    case Op::kNotEquals: return "!=";
    case Op::kIn: return " in ";
    case Op::kNotIn: return " notin ";
    case Op::kGreaterThan: return ">";
    case Op::kLessThan: return "<";
    default: return "";
  }
}

std::map<std::string, std::string, std::less<>> LabelsOf(const Json& object) {
  std::map<std::string, std::string, std::less<>> labels;
  const Json* metadata = FindMember(object, "metadata");
  const JsonObject* l = metadata ? FindObject(*metadata, "labels") : nullptr;
  if (l == nullptr) return labels;
  for (const auto& kv : *l) {
    if (kv.value().is_string()) labels.emplace(kv.key(), kv.value().get_string());
  }
  return labels;
}

}  // namespace

Result<LabelSelector> LabelSelector::Parse(std::string_view text) {
  LabelSelector selector;
  Lexer lex(text);
  std::string value;
  using T = Lexer::Token;
  if (lex.Next(&value, true) == T::kEnd) return selector;
  for (;;) {
    Requirement r;
    T t = lex.Next(&value);
    bool negated = t == T::kNot;
    if (negated) t = lex.Next(&value);
    if (t != T::kIdentifier) {
      return SelectorError(text, "expected a label key");
    }
    r.key = value;
    KSTACK_RETURN_IF_ERROR(CheckKey(text, r.key));
    T op = lex.Next(&value, true);
    if (negated || op == T::kComma || op == T::kEnd) {
      if (negated && op != T::kComma && op != T::kEnd) {
        return SelectorError(text, fmt::format("\"!{}\" cannot be followed by an operator", r.key));
      }
      r.op = negated ? Op::kDoesNotExist : Op::kExists;
    } else {
      lex.Next(&value);
      switch (op) {
        case T::kEquals:
        case T::kDoubleEquals:
        case T::kNotEquals:
        case T::kGreater:
        case T::kLess: {
          r.op = op == T::kNotEquals ? Op::kNotEquals
               : op == T::kGreater  ? Op::kGreaterThan
               : op == T::kLess     ? Op::kLessThan
                                    : Op::kEquals;
          T v = lex.Next(&value, true);
          std::string single;
          if (v == T::kIdentifier) {
            lex.Next(&single);
          } else if (v != T::kComma && v != T::kEnd) {
            return SelectorError(text, fmt::format("expected a value for \"{}\"", r.key));
          }
          if (r.op == Op::kGreaterThan || r.op == Op::kLessThan) {
            int64_t n;
            if (!ParseInt(single, &n)) {
              return SelectorError(text, fmt::format("\"{}\" needs an integer, not \"{}\"",
                                                     r.key, single));
            }
          } else {
            KSTACK_RETURN_IF_ERROR(CheckValue(text, single));
          }
          r.values.push_back(std::move(single));
          break;
        }
        case T::kIn:
        case T::kNotIn: {
          r.op = op == T::kIn ? Op::kIn : Op::kNotIn;
          if (lex.Next(&value) != T::kOpen) {
            return SelectorError(text, fmt::format("expected \"(\" after \"{}\"", r.key));
          }
          for (;;) {
            T v = lex.Next(&value);
            std::string item;
            if (v == T::kIdentifier) {
              item = value;
              v = lex.Next(&value);
            }
            KSTACK_RETURN_IF_ERROR(CheckValue(text, item));
            r.values.push_back(std::move(item));
            if (v == T::kClose) break;
            if (v != T::kComma) {
              return SelectorError(text, fmt::format("expected \",\" or \")\" in the values of "
                                                     "\"{}\"", r.key));
            }
          }
          std::sort(r.values.begin(), r.values.end());
          r.values.erase(std::unique(r.values.begin(), r.values.end()), r.values.end());
          break;
        }
        default:
          return SelectorError(text, fmt::format("unexpected operator after \"{}\"", r.key));
      }
    }
    selector.requirements_.push_back(std::move(r));
    T sep = lex.Next(&value);
    if (sep == T::kEnd) break;
    if (sep != T::kComma) return SelectorError(text, "expected \",\" between requirements");
  }
  return selector;
}

Result<LabelSelector> LabelSelector::FromJson(const Json& json) {
  LabelSelector selector;
  if (json.is_null()) {
    selector.nothing_ = true;
    return selector;
  }
  const JsonObject* obj = json.if_object();
  if (obj == nullptr) return InvalidError("selector: must be an object");
  if (const Json* ml = obj->if_contains("matchLabels"); ml != nullptr && !ml->is_null()) {
    if (!ml->is_object()) return InvalidError("selector.matchLabels: must be an object");
    for (const auto& kv : ml->get_object()) {
      if (!kv.value().is_string()) {
        return InvalidError(fmt::format("selector.matchLabels.{}: must be a string", kv.key()));
      }
      if (std::string p = QualifiedNameProblem(kv.key()); !p.empty()) {
        return InvalidError(fmt::format("selector.matchLabels: Invalid value: \"{}\": {}",
                                        std::string_view(kv.key()), p));
      }
      if (std::string p = LabelValueProblem(kv.value().get_string()); !p.empty()) {
        return InvalidError(fmt::format("selector.matchLabels.{}: Invalid value: \"{}\": {}",
                                        std::string_view(kv.key()),
                                        std::string_view(kv.value().get_string()), p));
      }
      selector.requirements_.push_back(
          {std::string(kv.key()), Op::kEquals, {std::string(kv.value().get_string())}});
    }
  }
  if (const Json* me = obj->if_contains("matchExpressions"); me != nullptr && !me->is_null()) {
    if (!me->is_array()) return InvalidError("selector.matchExpressions: must be a list");
    const JsonArray& list = me->get_array();
    for (size_t i = 0; i < list.size(); ++i) {
      std::string field = fmt::format("selector.matchExpressions[{}]", i);
      std::string_view key = FindString(list[i], "key");
      std::string_view op = FindString(list[i], "operator");
      Requirement r{std::string(key), Op::kExists, {}};
      if (std::string p = QualifiedNameProblem(key); !p.empty()) {
        return InvalidError(fmt::format("{}.key: Invalid value: \"{}\": {}", field, key, p));
      }
      if (op == "In") {
        r.op = Op::kIn;
      } else if (op == "NotIn") {
        r.op = Op::kNotIn;
      } else if (op == "Exists") {
        r.op = Op::kExists;
      } else if (op == "DoesNotExist") {
        r.op = Op::kDoesNotExist;
      } else {
        return InvalidError(fmt::format("{}.operator: Unsupported value: \"{}\": supported "
                                        "values: \"In\", \"NotIn\", \"Exists\", \"DoesNotExist\"",
                                        field, op));
      }
      if (const JsonArray* values = FindArray(list[i], "values")) {
        for (const Json& v : *values) {
          if (!v.is_string()) return InvalidError(field + ".values: must be strings");
          r.values.emplace_back(v.get_string());
        }
      }
      bool set_based = r.op == Op::kIn || r.op == Op::kNotIn;
      if (set_based && r.values.empty()) {
        return InvalidError(field + ".values: Required value: must be specified when `operator` "
                                    "is 'In' or 'NotIn'");
      }
      if (!set_based && !r.values.empty()) {
        return InvalidError(field + ".values: Forbidden: may not be specified when `operator` is "
                                    "'Exists' or 'DoesNotExist'");
      }
      std::sort(r.values.begin(), r.values.end());
      selector.requirements_.push_back(std::move(r));
    }
  }
  return selector;
}

bool LabelSelector::Matches(const std::map<std::string, std::string, std::less<>>& labels) const {
  if (nothing_) return false;
  for (const Requirement& r : requirements_) {
    auto it = labels.find(r.key);
    bool has = it != labels.end();
    auto in = [&] { return has && std::binary_search(r.values.begin(), r.values.end(), it->second); };
    bool ok = true;
    switch (r.op) {
      case Op::kEquals: ok = has && it->second == r.values[0]; break;
      case Op::kNotEquals: ok = !has || it->second != r.values[0]; break;
      case Op::kIn: ok = in(); break;
      case Op::kNotIn: ok = !in(); break;
      case Op::kExists: ok = has; break;
      case Op::kDoesNotExist: ok = !has; break;
      case Op::kGreaterThan:
      case Op::kLessThan: {
        int64_t have, want;
        ok = has && ParseInt(it->second, &have) && ParseInt(r.values[0], &want) &&
             (r.op == Op::kGreaterThan ? have > want : have < want);
        break;
      }
    }
    if (!ok) return false;
  }
  return true;
}

bool LabelSelector::MatchesObject(const Json& object) const { return Matches(LabelsOf(object)); }

std::string LabelSelector::ToString() const {
  std::vector<const Requirement*> sorted;
  for (const Requirement& r : requirements_) sorted.push_back(&r);
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](auto* a, auto* b) { return a->key < b->key; });
  std::string out;
  for (const Requirement* r : sorted) {
    if (!out.empty()) out += ",";
    if (r->op == Op::kDoesNotExist) out += "!";
    out += r->key;
    out += OpText(r->op);
    if (r->op == Op::kIn || r->op == Op::kNotIn) {
      out += "(";
      for (size_t i = 0; i < r->values.size(); ++i) {
        if (i > 0) out += ",";
        out += r->values[i];
      }
      out += ")";
    } else if (!r->values.empty()) {
      out += r->values[0];
    }
  }
  return out;
}

Result<FieldSelector> FieldSelector::Parse(std::string_view text) {
  FieldSelector selector;
  if (text.find_first_not_of(" \t") == std::string_view::npos) return selector;
  // Split on commas that are not escaped.
  std::vector<std::string> terms(1);
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size()) {
      terms.back() += text.substr(i, 2);
      ++i;
    } else if (text[i] == ',') {
      terms.emplace_back();
    } else {
      terms.back() += text[i];
    }
  }
  for (const std::string& term : terms) {
    Requirement r;
    size_t op = std::string::npos, op_len = 0;
    for (size_t i = 0; i < term.size(); ++i) {
      if (term[i] == '\\') {
        ++i;
        continue;
      }
      if (term.compare(i, 2, "!=") == 0) {
        op = i, op_len = 2, r.equals = false;
      } else if (term.compare(i, 2, "==") == 0) {
        op = i, op_len = 2;
      } else if (term[i] == '=') {
        op = i, op_len = 1;
      }
      if (op != std::string::npos) break;
    }
    if (op == std::string::npos || op == 0) {
      return BadRequestError(fmt::format(
          "invalid field selector \"{}\": \"{}\" is not field=value, field==value or "
          "field!=value",
          text, term));
    }
    r.field = term.substr(0, op);
    std::string raw = term.substr(op + op_len);
    for (size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '\\' && i + 1 < raw.size()) ++i;
      r.value += raw[i];
    }
    selector.requirements_.push_back(std::move(r));
  }
  return selector;
}

bool FieldSelector::Matches(const std::map<std::string, std::string, std::less<>>& fields) const {
  for (const Requirement& r : requirements_) {
    auto it = fields.find(r.field);
    bool equal = it != fields.end() && it->second == r.value;
    if (equal != r.equals) return false;
  }
  return true;
}

}  // namespace kstack::machinery
