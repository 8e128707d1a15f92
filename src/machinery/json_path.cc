#include "machinery/json_path.h"

#include <fmt/format.h>

#include <cctype>
#include <charconv>
#include <optional>

namespace kstack::machinery {
namespace {

struct Cursor {
  std::string_view text;
  size_t pos = 0;
  bool done() const { return pos >= text.size(); }
  char peek() const { return done() ? '\0' : text[pos]; }
};

bool IsNameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '$';
}

std::string_view ReadName(Cursor& c) {
  size_t start = c.pos;
  while (!c.done() && IsNameChar(c.peek())) ++c.pos;
  return c.text.substr(start, c.pos - start);
}

// A quoted string ('x' or "x") at the cursor; nullopt when there is none.
std::optional<std::string> ReadQuoted(Cursor& c) {
  char q = c.peek();
  if (q != '\'' && q != '"') return std::nullopt;
  size_t end = c.text.find(q, c.pos + 1);
  if (end == std::string_view::npos) return std::nullopt;
  std::string out(c.text.substr(c.pos + 1, end - c.pos - 1));
  c.pos = end + 1;
  return out;
}

// Follows a relative path (".a.b") inside a filter; null when absent.
const Json* Follow(const Json& value, std::string_view path) {
  const Json* at = &value;
  while (!path.empty()) {
    if (path[0] != '.') return nullptr;
    path.remove_prefix(1);
    size_t end = path.find('.');
    std::string_view name = path.substr(0, end);
    at = FindMember(*at, name);
    if (at == nullptr) return nullptr;
    path = end == std::string_view::npos ? std::string_view() : path.substr(end);
  }
  return at;
}

}  // namespace

Result<std::vector<const Json*>> EvaluateJsonPath(const Json& root, std::string_view path) {
  auto bad = [&](std::string_view why) {
    return BadRequestError(fmt::format("invalid JSONPath \"{}\": {}", path, why));
  };
  Cursor c{path};
  if (c.peek() == '{' && path.back() == '}') c = Cursor{path.substr(1, path.size() - 2)};
  std::vector<const Json*> current{&root};
  while (!c.done()) {
    std::vector<const Json*> next;
    if (c.peek() == '.') {
      ++c.pos;
      if (c.peek() == '*') {
        ++c.pos;
        for (const Json* v : current) {
          if (v->is_object()) {
            for (const auto& kv : v->get_object()) next.push_back(&kv.value());
          } else if (v->is_array()) {
            for (const Json& item : v->get_array()) next.push_back(&item);
          }
        }
      } else {
        std::string_view name = ReadName(c);
        if (name.empty()) return bad(fmt::format("a name must follow '.' at {}", c.pos));
        for (const Json* v : current) {
          if (const Json* m = FindMember(*v, name)) next.push_back(m);
        }
      }
    } else if (c.peek() == '[') {
      ++c.pos;
      size_t close = c.text.find(']', c.pos);
      if (close == std::string_view::npos) return bad("unclosed '['");
      if (std::optional<std::string> key = ReadQuoted(c)) {
        for (const Json* v : current) {
          if (const Json* m = FindMember(*v, *key)) next.push_back(m);
        }
        close = c.pos;
      } else if (c.peek() == '*') {
        for (const Json* v : current) {
          if (v->is_array()) {
            for (const Json& item : v->get_array()) next.push_back(&item);
          } else if (v->is_object()) {
            for (const auto& kv : v->get_object()) next.push_back(&kv.value());
          }
        }
      } else if (c.peek() == '?') {
        // [?(@.field=="value")] or [?(@.field!="value")]: filters array elements.
        size_t end = c.text.find(")]", c.pos);
        if (end == std::string_view::npos || c.text.substr(c.pos, 3) != "?(@") {
          return bad("a filter must read [?(@.field==\"value\")]");
        }
        std::string_view expr = c.text.substr(c.pos + 3, end - c.pos - 3);
        size_t op = expr.find("==");
        bool negate = false;
        if (op == std::string_view::npos) {
          op = expr.find("!=");
          negate = true;
        }
        if (op == std::string_view::npos) return bad("a filter needs == or !=");
        std::string_view field = expr.substr(0, op);
        std::string_view literal = expr.substr(op + 2);
        while (!field.empty() && field.back() == ' ') field.remove_suffix(1);
        while (!literal.empty() && literal.front() == ' ') literal.remove_prefix(1);
        Json want;
        if (literal.size() >= 2 && (literal.front() == '"' || literal.front() == '\'') &&
            literal.back() == literal.front()) {
          want = std::string(literal.substr(1, literal.size() - 2));
        } else {
          Result<Json> parsed = ParseJson(literal, "JSONPath filter");
          if (!parsed.ok()) return bad("the filter's value is neither quoted nor a number");
          want = *parsed;
        }
        for (const Json* v : current) {
          if (!v->is_array()) continue;
          for (const Json& item : v->get_array()) {
            const Json* got = Follow(item, field);
            bool equal = got != nullptr && *got == want;
            if (equal != negate) next.push_back(&item);
          }
        }
        close = end + 1;
      } else {
        std::string_view index = c.text.substr(c.pos, close - c.pos);
        int64_t n = 0;
        auto r = std::from_chars(index.data(), index.data() + index.size(), n);
        if (r.ec != std::errc() || r.ptr != index.data() + index.size()) {
          return bad(fmt::format("\"{}\" is not an index", index));
        }
        for (const Json* v : current) {
          if (!v->is_array()) continue;
          const JsonArray& arr = v->get_array();
          int64_t i = n < 0 ? static_cast<int64_t>(arr.size()) + n : n;
          if (i >= 0 && i < static_cast<int64_t>(arr.size())) {
            next.push_back(&arr[static_cast<size_t>(i)]);
          }
        }
      }
      if (c.text.size() <= close || c.text[close] != ']') return bad("expected ']'");
      c.pos = close + 1;
    } else {
      return bad(fmt::format("unexpected '{}' at {}", c.peek(), c.pos));
    }
    current = std::move(next);
  }
  return current;
}

}  // namespace kstack::machinery
