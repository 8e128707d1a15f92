// Reading YAML with libyaml into Json, with go-yaml v2 + sigs.k8s.io/yaml semantics (see
// yaml.h). Documents are built iteratively (an explicit stack, no recursion) so that deep or
// large input is an error or a result, never a crash.

#include <yaml.h>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

#include "core/base64.h"
#include "core/go_format.h"
#include "core/internal/text_position.h"
#include "core/internal/utf8.h"
#include "core/internal/yaml_resolve.h"
#include "core/parallel.h"
#include "core/yaml.h"

namespace kstack {
namespace {

using yaml_internal::ResolvedScalar;
using yaml_internal::ScalarType;

constexpr std::string_view kTagPrefix = "tag:yaml.org,2002:";

// A piece of the stream between "---" separator lines.
struct Chunk {
  std::string_view text;
  int first_line = 0;  // 0-based line of the file where the chunk starts
};

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Cuts the stream as k8s.io/apimachinery's YAMLReader does: a line beginning with "---" ends a
// document; only spaces or a comment may follow the dashes on that line.
Result<std::vector<Chunk>> SplitDocuments(std::string_view text, std::string_view source) {
  std::vector<Chunk> chunks;
  size_t pos = 0;
  int line = 0;
  size_t chunk_start = 0;
  int chunk_line = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    size_t next = end == std::string_view::npos ? text.size() : end + 1;
    std::string_view l = text.substr(pos, next - pos);
    if (l.size() >= 3 && l.compare(0, 3, "---") == 0) {
      std::string_view rest = l.substr(3);
      while (!rest.empty() && IsSpace(rest.front())) rest.remove_prefix(1);
      while (!rest.empty() && IsSpace(rest.back())) rest.remove_suffix(1);
      if (!rest.empty() && rest.front() != '#') {
        return BadRequestError(fmt::format(
            "{}:{}:1: invalid document separator \"{}\": only a comment may follow \"---\"",
            source, line + 1, std::string(l.substr(0, l.find_last_not_of("\r\n") + 1))));
      }
      if (pos > chunk_start) {
        chunks.push_back({text.substr(chunk_start, pos - chunk_start), chunk_line});
      }
      chunk_start = next;
      chunk_line = line + 1;
    }
    pos = next;
    ++line;
  }
  if (chunk_start < text.size()) {
    chunks.push_back({text.substr(chunk_start), chunk_line});
  }
  return chunks;
}

// A scalar after tag resolution, before conversion to JSON (keys convert differently).
struct Scalar {
  ScalarType type = ScalarType::kString;
  bool boolean = false;
  int64_t integer = 0;
  uint64_t unsigned_integer = 0;
  double floating = 0;
  std::string_view text;  // the event's text, or `decoded`
  std::string decoded;    // the bytes of a !!binary scalar
};

struct Anchor {
  Json value;
  // When the anchored node is a scalar: the map key it makes, or why it cannot be one.
  std::optional<Result<std::string>> key;
  size_t nodes = 0;
};

struct Frame {
  Json value;  // an object or an array
  bool is_map = false;
  bool expecting_key = true;
  bool key_is_merge = false;
  std::string key;
  std::string anchor;
  size_t nodes = 1;
};

// Replaces each byte that is not part of valid UTF-8 with U+FFFD, as Go's JSON encoder does.
std::string ValidUtf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    size_t len = Utf8SequenceLength(s, i);
    if (len == 0) {
      out.append("\xEF\xBF\xBD");
      ++i;
    } else {
      out.append(s.data() + i, len);
      i += len;
    }
  }
  return out;
}

bool IsValidUtf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    size_t len = Utf8SequenceLength(s, i);
    if (len == 0) return false;
    i += len;
  }
  return true;
}

std::string_view ShortTag(ScalarType t) {
  switch (t) {
    case ScalarType::kNull: return "!!null";
    case ScalarType::kBool: return "!!bool";
    case ScalarType::kInt:
    case ScalarType::kUint: return "!!int";
    case ScalarType::kFloat: return "!!float";
    case ScalarType::kTimestamp: return "!!timestamp";
    case ScalarType::kString: return "!!str";
  }
  return "!!str";
}

double AllowedAliasRatio(size_t decoded) {
  constexpr double kLow = 400000, kHigh = 4000000;
  if (decoded <= kLow) return 0.99;
  if (decoded >= kHigh) return 0.10;
  return 0.99 - 0.89 * ((static_cast<double>(decoded) - kLow) / (kHigh - kLow));
}

class DocumentReader {
 public:
  DocumentReader(const Chunk& chunk, std::string_view source, boost::json::storage_ptr sp)
      : chunk_(chunk), source_(source), sp_(std::move(sp)) {
    yaml_parser_initialize(&parser_);
    yaml_parser_set_input_string(&parser_, reinterpret_cast<const unsigned char*>(chunk.text.data()),
                                 chunk.text.size());
    may_have_slash_escape_ = chunk.text.find("\\/") != std::string_view::npos;
  }
  ~DocumentReader() { yaml_parser_delete(&parser_); }
  DocumentReader(const DocumentReader&) = delete;
  DocumentReader& operator=(const DocumentReader&) = delete;

  // The first document of the chunk; null when the chunk holds none.
  Result<Json> Read();

  // After Read() failed: the byte offset of a `\'` escape that libyaml refused but go-yaml
  // accepts (the caller rewrites it and reads again), or npos.
  size_t single_quote_escape() const { return single_quote_escape_; }

 private:
  Status Error(const yaml_mark_t& mark, std::string_view what) const {
    return BadRequestError(fmt::format("{}:{}:{}: {}", source_,
                                       chunk_.first_line + static_cast<int>(mark.line) + 1,
                                       mark.column + 1, what));
  }
  Status ParserError();
  Result<Scalar> ResolveScalar(const yaml_event_t& e) const;
  Result<Json> ScalarToJson(const Scalar& s, const yaml_mark_t& mark) const;
  Result<std::string> ScalarToKey(const Scalar& s, const yaml_mark_t& mark) const;
  // Places a finished value into the parent frame (or as the root).
  Status Place(Json value, size_t nodes, const yaml_mark_t& mark);
  Status PlaceKey(Result<std::string> key, const yaml_event_t& e);
  Status Merge(Frame& frame, Json value, const yaml_mark_t& mark);

  const Chunk& chunk_;
  std::string_view source_;
  boost::json::storage_ptr sp_;
  yaml_parser_t parser_;
  std::vector<Frame> stack_;
  std::unordered_map<std::string, Anchor> anchors_;
  std::optional<Json> root_;
  size_t decoded_ = 0;
  size_t aliased_ = 0;
  size_t single_quote_escape_ = std::string_view::npos;
  // libyaml marks count characters; these turn them into byte offsets, moving forward only.
  size_t cursor_chars_ = 0;
  size_t cursor_bytes_ = 0;
  bool may_have_slash_escape_ = false;

  size_t ByteOffset(size_t char_index);
  Status CheckEscapes(const yaml_event_t& e);
};

size_t DocumentReader::ByteOffset(size_t char_index) {
  if (char_index < cursor_chars_) {
    cursor_chars_ = 0;
    cursor_bytes_ = 0;
  }
  std::string_view t = chunk_.text;
  while (cursor_chars_ < char_index && cursor_bytes_ < t.size()) {
    ++cursor_bytes_;
    while (cursor_bytes_ < t.size() &&
           (static_cast<unsigned char>(t[cursor_bytes_]) & 0xC0) == 0x80) {
      ++cursor_bytes_;
    }
    ++cursor_chars_;
  }
  return cursor_bytes_;
}

// libyaml accepts the escape `\/` in double-quoted scalars; go-yaml (and so kubectl) does not.
Status DocumentReader::CheckEscapes(const yaml_event_t& e) {
  if (!may_have_slash_escape_ || e.data.scalar.style != YAML_DOUBLE_QUOTED_SCALAR_STYLE) {
    return Status::Ok();
  }
  size_t begin = ByteOffset(e.start_mark.index);
  size_t end = ByteOffset(e.end_mark.index);
  std::string_view raw = chunk_.text.substr(begin, end - begin);
  for (size_t i = 0; i + 1 < raw.size(); ++i) {
    if (raw[i] != '\\') continue;
    if (raw[i + 1] == '/') {
      TextPosition pos = PositionAt(chunk_.text, begin + i);
      return BadRequestError(fmt::format("{}:{}:{}: found unknown escape character", source_,
                                         chunk_.first_line + pos.line, pos.column));
    }
    ++i;
  }
  return Status::Ok();
}

Status DocumentReader::ParserError() {
  std::string problem = parser_.problem ? parser_.problem : "invalid YAML";
  if (parser_.error == YAML_SCANNER_ERROR && problem == "found unknown escape character") {
    size_t at = ByteOffset(parser_.problem_mark.index);
    if (chunk_.text.substr(at, 2) == "\\'") {
      single_quote_escape_ = at;
    }
  }
  if (parser_.error == YAML_READER_ERROR) {
    TextPosition pos = PositionAt(chunk_.text, parser_.problem_offset);
    if (parser_.problem_value != -1) {
      problem += fmt::format(" (byte 0x{:02x})", parser_.problem_value);
    }
    return BadRequestError(fmt::format("{}:{}:{}: {}", source_, chunk_.first_line + pos.line,
                                       pos.column, problem));
  }
  if (parser_.context != nullptr) {
    problem += fmt::format(" ({} at line {}, column {})", parser_.context,
                           chunk_.first_line + parser_.context_mark.line + 1,
                           parser_.context_mark.column + 1);
  }
  return Error(parser_.problem_mark, problem);
}

Result<Scalar> DocumentReader::ResolveScalar(const yaml_event_t& e) const {
  const auto& d = e.data.scalar;
  Scalar s;
  s.text = std::string_view(reinterpret_cast<const char*>(d.value), d.length);
  std::string_view tag = d.tag ? reinterpret_cast<const char*>(d.tag) : "";
  if (tag.empty()) {
    if (!d.plain_implicit) {
      return s;  // quoted or block scalar: always a string
    }
    ResolvedScalar r = yaml_internal::ResolvePlain(s.text);
    s.type = r.type == ScalarType::kTimestamp ? ScalarType::kString : r.type;
    s.boolean = r.boolean;
    s.integer = r.integer;
    s.unsigned_integer = r.unsigned_integer;
    s.floating = r.floating;
    return s;
  }
  if (tag.substr(0, kTagPrefix.size()) != kTagPrefix) {
    return s;  // a local or unknown tag: the text, as a string
  }
  std::string_view name = tag.substr(kTagPrefix.size());
  if (name == "binary") {
    std::optional<std::string> bytes = DecodeBase64(s.text);
    if (!bytes) {
      return Error(e.start_mark, "!!binary value contains invalid base64 data");
    }
    s.decoded = ValidUtf8(*bytes);
    return s;
  }
  ScalarType want;
  if (name == "str") return s;
  if (name == "bool") {
    want = ScalarType::kBool;
  } else if (name == "int") {
    want = ScalarType::kInt;
  } else if (name == "float") {
    want = ScalarType::kFloat;
  } else if (name == "null") {
    want = ScalarType::kNull;
  } else if (name == "timestamp") {
    want = ScalarType::kTimestamp;
  } else {
    return s;  // !!map, !!seq, !!merge ... on a scalar: go-yaml keeps the text
  }
  ResolvedScalar r = yaml_internal::ResolvePlain(s.text);
  ScalarType got = r.type;
  if (got == ScalarType::kUint && want == ScalarType::kInt) {
    got = ScalarType::kInt;  // an unsigned integer is an !!int too
  }
  if (got == ScalarType::kInt && want == ScalarType::kFloat && r.type == ScalarType::kInt) {
    r.type = ScalarType::kFloat;
    r.floating = static_cast<double>(r.integer);
    got = ScalarType::kFloat;
  }
  if (got != want) {
    return Error(e.start_mark, fmt::format("cannot decode {} `{}` as a {}", ShortTag(r.type),
                                           s.text, ShortTag(want)));
  }
  s.type = r.type == ScalarType::kTimestamp ? ScalarType::kString : r.type;
  s.boolean = r.boolean;
  s.integer = r.integer;
  s.unsigned_integer = r.unsigned_integer;
  s.floating = r.floating;
  return s;
}

Result<Json> DocumentReader::ScalarToJson(const Scalar& s, const yaml_mark_t& mark) const {
  switch (s.type) {
    case ScalarType::kNull: return Json(nullptr, sp_);
    case ScalarType::kBool: return Json(s.boolean, sp_);
    case ScalarType::kInt: return Json(s.integer, sp_);
    case ScalarType::kUint:
      // JSON text "18446744073709551615" reads back as a float64 in Kubernetes.
      return Json(static_cast<double>(s.unsigned_integer), sp_);
    case ScalarType::kFloat: {
      double f = s.floating;
      if (!std::isfinite(f)) {
        return Error(mark, fmt::format("unsupported value: {} (JSON has no infinity or NaN)",
                                       FormatGoFloatG(f)));
      }
      // Go writes integral floats below 1e21 without a fraction, and Kubernetes reads such
      // numbers back as integers: 1e3 is the integer 1000.
      int64_t i;
      if (GoJsonInteger(f, &i)) return Json(i, sp_);
      return Json(f, sp_);
    }
    case ScalarType::kString:
    case ScalarType::kTimestamp:
      return Json(JsonString(s.decoded.empty() ? s.text : s.decoded, sp_));
  }
  return Json(nullptr, sp_);
}

Result<std::string> DocumentReader::ScalarToKey(const Scalar& s, const yaml_mark_t& mark) const {
  switch (s.type) {
    case ScalarType::kString:
    case ScalarType::kTimestamp: return std::string(s.decoded.empty() ? s.text : s.decoded);
    case ScalarType::kInt: return std::to_string(s.integer);
    case ScalarType::kBool: return std::string(s.boolean ? "true" : "false");
    case ScalarType::kFloat: {
      // sigs.k8s.io/yaml prints float keys with 32-bit precision.
      std::string k = FormatGoFloatG(s.floating, 32);
      if (k == "+Inf") return std::string(".inf");
      if (k == "-Inf") return std::string("-.inf");
      if (k == "NaN") return std::string(".nan");
      return k;
    }
    case ScalarType::kUint:
      return Error(mark, fmt::format("unsupported map key {}: an unsigned 64-bit integer",
                                     s.text));
    case ScalarType::kNull:
      return Error(mark, "unsupported map key: null cannot be a key");
  }
  return std::string(s.text);
}

Status DocumentReader::Merge(Frame& frame, Json value, const yaml_mark_t& mark) {
  JsonObject& target = frame.value.get_object();
  auto merge_one = [&](const JsonObject& source) {
    for (const auto& kv : source) {
      target.insert_or_assign(kv.key(), kv.value());
    }
  };
  if (value.is_object()) {
    merge_one(value.get_object());
    return Status::Ok();
  }
  if (value.is_array()) {
    const JsonArray& list = value.get_array();
    for (const Json& item : list) {
      if (!item.is_object()) {
        return Error(mark, "map merge requires map or sequence of maps as the value");
      }
    }
    // Earlier maps take precedence, so they are merged last.
    for (auto it = list.rbegin(); it != list.rend(); ++it) {
      merge_one(it->get_object());
    }
    return Status::Ok();
  }
  return Error(mark, "map merge requires map or sequence of maps as the value");
}

Status DocumentReader::Place(Json value, size_t nodes, const yaml_mark_t& mark) {
  if (stack_.empty()) {
    root_ = std::move(value);
    return Status::Ok();
  }
  Frame& top = stack_.back();
  top.nodes += nodes;
  if (!top.is_map) {
    top.value.get_array().push_back(std::move(value));
    return Status::Ok();
  }
  // REQUIRES: a key was placed first (PlaceKey).
  top.expecting_key = true;
  if (top.key_is_merge) {
    top.key_is_merge = false;
    return Merge(top, std::move(value), mark);
  }
  top.value.get_object().insert_or_assign(top.key, std::move(value));
  return Status::Ok();
}

Status DocumentReader::PlaceKey(Result<std::string> key, const yaml_event_t& e) {
  Frame& top = stack_.back();
  top.expecting_key = false;
  if (!key.ok()) return key.status();
  top.key = std::move(*key);
  return Status::Ok();
}

Result<Json> DocumentReader::Read() {
  yaml_event_t e;
  for (;;) {
    if (!yaml_parser_parse(&parser_, &e)) {
      return ParserError();
    }
    std::unique_ptr<yaml_event_t, void (*)(yaml_event_t*)> guard(&e, yaml_event_delete);
    switch (e.type) {
      case YAML_STREAM_START_EVENT:
      case YAML_NO_EVENT:
        break;
      case YAML_STREAM_END_EVENT:
        return Json(nullptr);
      case YAML_DOCUMENT_START_EVENT:
        break;
      case YAML_DOCUMENT_END_EVENT:
        return root_ ? std::move(*root_) : Json(nullptr);
      case YAML_SCALAR_EVENT: {
        KSTACK_RETURN_IF_ERROR(CheckEscapes(e));
        KSTACK_ASSIGN_OR_RETURN(Scalar s, ResolveScalar(e));
        ++decoded_;
        const auto& d = e.data.scalar;
        if (!stack_.empty() && stack_.back().is_map && stack_.back().expecting_key) {
          bool merge = s.text == "<<" &&
                       ((d.tag == nullptr && d.plain_implicit) ||
                        (d.tag != nullptr &&
                         std::string_view(reinterpret_cast<const char*>(d.tag)) ==
                             "tag:yaml.org,2002:merge"));
          if (merge) {
            stack_.back().expecting_key = false;
            stack_.back().key_is_merge = true;
          } else {
            KSTACK_RETURN_IF_ERROR(PlaceKey(ScalarToKey(s, e.start_mark), e));
          }
          if (d.anchor != nullptr) {
            Result<Json> v = ScalarToJson(s, e.start_mark);
            anchors_[reinterpret_cast<const char*>(d.anchor)] =
                Anchor{v.ok() ? std::move(*v) : Json(nullptr, sp_), ScalarToKey(s, e.start_mark), 1};
          }
          break;
        }
        KSTACK_ASSIGN_OR_RETURN(Json v, ScalarToJson(s, e.start_mark));
        if (d.anchor != nullptr) {
          anchors_[reinterpret_cast<const char*>(d.anchor)] =
              Anchor{v, ScalarToKey(s, e.start_mark), 1};
        }
        KSTACK_RETURN_IF_ERROR(Place(std::move(v), 1, e.start_mark));
        break;
      }
      case YAML_SEQUENCE_START_EVENT:
      case YAML_MAPPING_START_EVENT: {
        if (!stack_.empty() && stack_.back().is_map && stack_.back().expecting_key) {
          return Error(e.start_mark, "invalid map key: a mapping or a sequence cannot be a key");
        }
        if (stack_.size() >= static_cast<size_t>(kMaxYamlDepth)) {
          return Error(e.start_mark, fmt::format("exceeded max depth of {}", kMaxYamlDepth));
        }
        ++decoded_;
        Frame f;
        f.is_map = e.type == YAML_MAPPING_START_EVENT;
        f.value = f.is_map ? Json(JsonObject(sp_)) : Json(JsonArray(sp_));
        const yaml_char_t* anchor = f.is_map ? e.data.mapping_start.anchor
                                             : e.data.sequence_start.anchor;
        if (anchor != nullptr) f.anchor = reinterpret_cast<const char*>(anchor);
        stack_.push_back(std::move(f));
        break;
      }
      case YAML_SEQUENCE_END_EVENT:
      case YAML_MAPPING_END_EVENT: {
        Frame f = std::move(stack_.back());
        stack_.pop_back();
        if (!f.anchor.empty()) {
          anchors_[f.anchor] = Anchor{f.value, std::nullopt, f.nodes};
        }
        KSTACK_RETURN_IF_ERROR(Place(std::move(f.value), f.nodes, e.start_mark));
        break;
      }
      case YAML_ALIAS_EVENT: {
        std::string name = reinterpret_cast<const char*>(e.data.alias.anchor);
        for (const Frame& f : stack_) {
          if (f.anchor == name) {
            return Error(e.start_mark, fmt::format("anchor '{}' value contains itself", name));
          }
        }
        auto it = anchors_.find(name);
        if (it == anchors_.end()) {
          return Error(e.start_mark, fmt::format("unknown anchor '{}' referenced", name));
        }
        const Anchor& a = it->second;
        decoded_ += a.nodes;
        aliased_ += a.nodes;
        if (aliased_ > 100 && decoded_ > 1000 &&
            static_cast<double>(aliased_) / static_cast<double>(decoded_) >
                AllowedAliasRatio(decoded_)) {
          return Error(e.start_mark, "document contains excessive aliasing");
        }
        if (!stack_.empty() && stack_.back().is_map && stack_.back().expecting_key) {
          if (!a.key) {
            return Error(e.start_mark, "invalid map key: a mapping or a sequence cannot be a key");
          }
          KSTACK_RETURN_IF_ERROR(PlaceKey(*a.key, e));
          break;
        }
        KSTACK_RETURN_IF_ERROR(Place(a.value, a.nodes, e.start_mark));
        break;
      }
    }
  }
}

// Reads one chunk's document into `*doc` (null when it holds none).
Status ReadChunk(const Chunk& original, std::string_view source, const boost::json::storage_ptr& sp,
                 Json* doc) {
  Chunk chunk = original;
  std::string rewritten;
  // go-yaml reads a stream whose last line lacks a newline as if it had one (a block scalar
  // at the end of the file keeps its final line break); libyaml does not.
  if (chunk.text.back() != '\n') {
    rewritten.assign(chunk.text);
    rewritten.push_back('\n');
    chunk.text = rewritten;
  }
  // kubectl takes bytes that are not UTF-8 and turns each into U+FFFD; libyaml refuses them.
  if (!IsValidUtf8(chunk.text)) {
    rewritten = ValidUtf8(chunk.text);
    chunk.text = rewritten;
  }
  for (;;) {
    DocumentReader reader(chunk, source, sp);
    Result<Json> read = reader.Read();
    if (!read.ok() && reader.single_quote_escape() != std::string_view::npos) {
      // go-yaml accepts `\'` in double-quoted scalars, libyaml does not: spell it `\x27`.
      if (rewritten.empty()) rewritten.assign(chunk.text);
      rewritten.replace(reader.single_quote_escape(), 2, "\\x27");
      chunk.text = rewritten;
      continue;
    }
    if (!read.ok()) return read.status();
    *doc = std::move(*read);
    return Status::Ok();
  }
}

// Documents are read on several threads once there is at least this much text per thread,
// documents being independent.
constexpr size_t kParallelBytesPerThread = 512 << 10;

}  // namespace

Result<std::vector<Json>> ParseYamlStream(std::string_view text, std::string_view source,
                                          boost::json::storage_ptr sp) {
  KSTACK_ASSIGN_OR_RETURN(std::vector<Chunk> chunks, SplitDocuments(text, source));
  std::vector<Json> read(chunks.size());
  std::vector<Status> errors(chunks.size());
  auto work = [&](size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) {
      errors[i] = ReadChunk(chunks[i], source, sp, &read[i]);
      if (!errors[i].ok()) return;
    }
  };
  // A memory resource that is not thread-safe (an arena) keeps reading on this thread.
  if (sp.get() != boost::json::storage_ptr().get() || chunks.size() < 2) {
    work(0, chunks.size());
  } else {
    std::vector<size_t> bytes;
    bytes.reserve(chunks.size());
    for (const Chunk& chunk : chunks) bytes.push_back(chunk.text.size());
    ForEachRange(bytes, kParallelBytesPerThread, work);
  }
  std::vector<Json> docs;
  docs.reserve(chunks.size());
  for (size_t i = 0; i < chunks.size(); ++i) {
    if (!errors[i].ok()) return errors[i];
    if (!read[i].is_null()) docs.push_back(std::move(read[i]));
  }
  return docs;
}

Result<Json> ParseYaml(std::string_view text, std::string_view source,
                       boost::json::storage_ptr sp) {
  KSTACK_ASSIGN_OR_RETURN(std::vector<Json> docs, ParseYamlStream(text, source, sp));
  if (docs.size() > 1) {
    return BadRequestError(
        fmt::format("{}: expected one YAML document, found {}", source, docs.size()));
  }
  if (docs.empty()) return Json(nullptr, sp);
  return std::move(docs.front());
}

}  // namespace kstack
