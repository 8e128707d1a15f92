#include "core/json.h"

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/value_stack.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>

#include "core/go_format.h"
#include "core/internal/text_position.h"
#include "core/internal/utf8.h"

namespace kstack {
namespace {

boost::json::parse_options ParseOptions() {
  boost::json::parse_options options;
  options.max_depth = kMaxJsonDepth;
  return options;
}

// Builds values like Boost.JSON's own parser, with two differences that make numbers mean what
// they mean in Kubernetes: floats are converted exactly (std::from_chars; Boost 1.81's parser
// may be off by one unit in the last place), and integers beyond int64 become float64, as Go's
// Kubernetes decoders read them.
class ValueBuilder {
 public:
  static constexpr std::size_t max_object_size = JsonObject::max_size();
  static constexpr std::size_t max_array_size = JsonArray::max_size();
  static constexpr std::size_t max_key_size = JsonString::max_size();
  static constexpr std::size_t max_string_size = JsonString::max_size();

  using ec_t = boost::system::error_code;
  using sv = boost::json::string_view;

  explicit ValueBuilder(boost::json::storage_ptr sp) : sp_(std::move(sp)) {}

  bool on_document_begin(ec_t&) {
    stack_.reset(sp_);
    return true;
  }
  bool on_document_end(ec_t&) { return true; }
  bool on_object_begin(ec_t&) { return true; }
  bool on_object_end(std::size_t n, ec_t&) {
    stack_.push_object(n);
    return true;
  }
  bool on_array_begin(ec_t&) { return true; }
  bool on_array_end(std::size_t n, ec_t&) {
    stack_.push_array(n);
    return true;
  }
  bool on_key_part(sv s, std::size_t, ec_t&) {
    stack_.push_chars(s);
    return true;
  }
  bool on_key(sv s, std::size_t, ec_t&) {
    stack_.push_key(s);
    return true;
  }
  bool on_string_part(sv s, std::size_t, ec_t&) {
    stack_.push_chars(s);
    return true;
  }
  bool on_string(sv s, std::size_t, ec_t&) {
    stack_.push_string(s);
    return true;
  }
  bool on_number_part(sv s, ec_t&) {
    number_.append(s.data(), s.size());
    return true;
  }
  bool on_int64(int64_t i, sv, ec_t&) {
    number_.clear();
    stack_.push_int64(i);
    return true;
  }
  bool on_uint64(uint64_t u, sv, ec_t&) {
    number_.clear();
    stack_.push_double(static_cast<double>(u));
    return true;
  }
  bool on_double(double d, sv s, ec_t& ec) {
    std::string_view text(s.data(), s.size());
    if (!number_.empty()) {
      number_.append(text);
      text = number_;
    }
    auto r = std::from_chars(text.data(), text.data() + text.size(), d);
    number_.clear();
    if (r.ec == std::errc::result_out_of_range && std::fabs(d) > 1) {
      ec = boost::json::error::exponent_overflow;
      return false;
    }
    stack_.push_double(d);
    return true;
  }
  bool on_bool(bool b, ec_t&) {
    stack_.push_bool(b);
    return true;
  }
  bool on_null(ec_t&) {
    stack_.push_null();
    return true;
  }
  bool on_comment_part(sv, ec_t&) { return true; }
  bool on_comment(sv, ec_t&) { return true; }

  Json Release() { return stack_.release(); }

 private:
  boost::json::storage_ptr sp_;
  boost::json::value_stack stack_;
  std::string number_;
};

using Parser = boost::json::basic_parser<ValueBuilder>;

Status ParseError(std::string_view text, std::string_view source, size_t offset,
                  const boost::system::error_code& ec) {
  TextPosition pos = PositionAt(text, offset);
  return BadRequestError(
      fmt::format("{}:{}:{}: invalid JSON: {}", source, pos.line, pos.column, ec.message()));
}

size_t SkipSpace(std::string_view text, size_t i) {
  while (i < text.size() &&
         (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r')) {
    ++i;
  }
  return i;
}

// Parses one value starting at `*offset`, advancing it past the value.
Result<Json> ParseOne(Parser& parser, std::string_view text, std::string_view source,
                      size_t* offset) {
  parser.reset();
  boost::system::error_code ec;
  size_t start = *offset;
  size_t used = parser.write_some(false, text.data() + start, text.size() - start, ec);
  if (ec) {
    return ParseError(text, source, start + used, ec);
  }
  *offset = start + used;
  return parser.handler().Release();
}

void AppendString(std::string* out, std::string_view s, bool escape_html) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  size_t i = 0;
  size_t flushed = 0;
  auto flush = [&](size_t upto) {
    out->append(s.data() + flushed, upto - flushed);
  };
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80 &&
        !(escape_html && (c == '<' || c == '>' || c == '&'))) {
      ++i;
      continue;
    }
    if (c < 0x80) {
      flush(i);
      switch (c) {
        case '"': out->append("\\\""); break;
        case '\\': out->append("\\\\"); break;
        case '\n': out->append("\\n"); break;
        case '\r': out->append("\\r"); break;
        case '\t': out->append("\\t"); break;
        case '\b': out->append("\\b"); break;
        case '\f': out->append("\\f"); break;
        default:
          out->append("\\u00");
          out->push_back(kHex[c >> 4]);
          out->push_back(kHex[c & 0xF]);
      }
      ++i;
      flushed = i;
      continue;
    }
    // Multi-byte UTF-8: copy valid sequences; U+2028/U+2029 are escaped and invalid bytes
    // become U+FFFD, as in Go.
    size_t len = Utf8SequenceLength(s, i);
    if (len == 0) {
      flush(i);
      out->append("\\ufffd");
      ++i;
      flushed = i;
      continue;
    }
    if (len == 3 && c == 0xE2 && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
        (static_cast<unsigned char>(s[i + 2]) == 0xA8 ||
         static_cast<unsigned char>(s[i + 2]) == 0xA9)) {
      flush(i);
      out->append(static_cast<unsigned char>(s[i + 2]) == 0xA8 ? "\\u2028" : "\\u2029");
      i += 3;
      flushed = i;
      continue;
    }
    i += len;
  }
  flush(s.size());
  out->push_back('"');
}

void Newline(std::string* out, int indent, int depth) {
  out->push_back('\n');
  out->append(static_cast<size_t>(indent) * depth, ' ');
}

void AppendValue(std::string* out, const Json& v, const JsonWriteOptions& o, int depth) {
  switch (v.kind()) {
    case boost::json::kind::null: out->append("null"); return;
    case boost::json::kind::bool_: out->append(v.get_bool() ? "true" : "false"); return;
    case boost::json::kind::int64: {
      char buf[24];
      auto r = std::to_chars(buf, buf + sizeof(buf), v.get_int64());
      out->append(buf, r.ptr);
      return;
    }
    case boost::json::kind::uint64: {
      char buf[24];
      auto r = std::to_chars(buf, buf + sizeof(buf), v.get_uint64());
      out->append(buf, r.ptr);
      return;
    }
    case boost::json::kind::double_: AppendGoJsonFloat(out, v.get_double()); return;
    case boost::json::kind::string: AppendString(out, v.get_string(), o.escape_html); return;
    case boost::json::kind::array: {
      const JsonArray& a = v.get_array();
      out->push_back('[');
      if (a.empty()) {
        out->push_back(']');
        return;
      }
      bool first = true;
      for (const Json& item : a) {
        if (!first) out->push_back(',');
        first = false;
        if (o.indent > 0) Newline(out, o.indent, depth + 1);
        AppendValue(out, item, o, depth + 1);
      }
      if (o.indent > 0) Newline(out, o.indent, depth);
      out->push_back(']');
      return;
    }
    case boost::json::kind::object: {
      const JsonObject& obj = v.get_object();
      out->push_back('{');
      if (obj.empty()) {
        out->push_back('}');
        return;
      }
      std::vector<const boost::json::key_value_pair*> members;
      members.reserve(obj.size());
      for (const auto& kv : obj) members.push_back(&kv);
      if (o.sort_keys) {
        std::sort(members.begin(), members.end(),
                  [](auto* a, auto* b) { return a->key() < b->key(); });
      }
      bool first = true;
      for (const auto* kv : members) {
        if (!first) out->push_back(',');
        first = false;
        if (o.indent > 0) Newline(out, o.indent, depth + 1);
        AppendString(out, kv->key(), o.escape_html);
        out->append(o.indent > 0 ? ": " : ":");
        AppendValue(out, kv->value(), o, depth + 1);
      }
      if (o.indent > 0) Newline(out, o.indent, depth);
      out->push_back('}');
      return;
    }
  }
}

}  // namespace

Result<Json> ParseJson(std::string_view text, std::string_view source,
                       boost::json::storage_ptr sp) {
  Parser parser(ParseOptions(), std::move(sp));
  size_t offset = SkipSpace(text, 0);
  if (offset == text.size()) {
    TextPosition pos = PositionAt(text, offset);
    return BadRequestError(fmt::format("{}:{}:{}: invalid JSON: unexpected end of input", source,
                                       pos.line, pos.column));
  }
  KSTACK_ASSIGN_OR_RETURN(Json value, ParseOne(parser, text, source, &offset));
  offset = SkipSpace(text, offset);
  if (offset != text.size()) {
    TextPosition pos = PositionAt(text, offset);
    return BadRequestError(fmt::format("{}:{}:{}: invalid JSON: unexpected data after the value",
                                       source, pos.line, pos.column));
  }
  return value;
}

Result<std::vector<Json>> ParseJsonStream(std::string_view text, std::string_view source,
                                          boost::json::storage_ptr sp) {
  Parser parser(ParseOptions(), std::move(sp));
  std::vector<Json> values;
  size_t offset = SkipSpace(text, 0);
  while (offset < text.size()) {
    KSTACK_ASSIGN_OR_RETURN(Json value, ParseOne(parser, text, source, &offset));
    values.push_back(std::move(value));
    offset = SkipSpace(text, offset);
  }
  return values;
}

std::string WriteJson(const Json& value, const JsonWriteOptions& options) {
  std::string out;
  AppendValue(&out, value, options, 0);
  return out;
}

void AppendJson(std::string* out, const Json& value, const JsonWriteOptions& options) {
  AppendValue(out, value, options, 0);
}

const Json* FindMember(const Json& value, std::string_view key) {
  const JsonObject* obj = value.if_object();
  if (obj == nullptr) return nullptr;
  return obj->if_contains(key);
}

const JsonObject* FindObject(const Json& value, std::string_view key) {
  const Json* m = FindMember(value, key);
  return m == nullptr ? nullptr : m->if_object();
}

const JsonArray* FindArray(const Json& value, std::string_view key) {
  const Json* m = FindMember(value, key);
  return m == nullptr ? nullptr : m->if_array();
}

std::string_view FindString(const Json& value, std::string_view key) {
  const Json* m = FindMember(value, key);
  if (m == nullptr || !m->is_string()) return {};
  return m->get_string();
}

std::string_view JsonKindName(const Json& value) {
  switch (value.kind()) {
    case boost::json::kind::object: return "object";
    case boost::json::kind::array: return "array";
    case boost::json::kind::string: return "string";
    case boost::json::kind::bool_: return "boolean";
    case boost::json::kind::null: return "null";
    default: return "number";
  }
}

}  // namespace kstack
