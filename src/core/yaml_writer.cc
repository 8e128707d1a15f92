// Writing Json as YAML the way `kubectl get -o yaml` does. kubectl goes JSON -> go-yaml v2 ->
// text; go-yaml v2's emitter is a port of libyaml's, so libyaml's emitter decides layout,
// quoting fall-backs and line folding here exactly as there. What go-yaml adds on top (which
// strings it asks to quote, key order, number text) is reproduced below.

#include <yaml.h>

#include <charconv>
#include <cmath>
#include <string>
#include <vector>

#include "core/go_format.h"
#include "core/internal/yaml_resolve.h"
#include "core/yaml.h"

namespace kstack {
namespace {

int AppendToString(void* data, unsigned char* buffer, size_t size) {
  static_cast<std::string*>(data)->append(reinterpret_cast<const char*>(buffer), size);
  return 1;
}

// Decodes one UTF-8 code point starting at s[*i] (input is valid UTF-8).
char32_t NextRune(std::string_view s, size_t* i) {
  unsigned char c = static_cast<unsigned char>(s[*i]);
  int len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
  char32_t r = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
  for (int k = 1; k < len && *i + k < s.size(); ++k) {
    r = (r << 6) | (static_cast<unsigned char>(s[*i + k]) & 0x3F);
  }
  *i += len;
  return r;
}

bool IsLetter(char32_t r) {
  // Non-ASCII letters are treated as letters; Kubernetes keys are ASCII in practice.
  return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= 0x80 && r != 0xA0);
}
bool IsDigitRune(char32_t r) { return r >= '0' && r <= '9'; }

// go-yaml v2's key order: letters after other characters, runs of digits compared by value.
bool KeyLess(std::string_view a_text, std::string_view b_text) {
  std::vector<char32_t> a, b;
  for (size_t i = 0; i < a_text.size();) a.push_back(NextRune(a_text, &i));
  for (size_t i = 0; i < b_text.size();) b.push_back(NextRune(b_text, &i));
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
    if (a[i] == b[i]) continue;
    bool al = IsLetter(a[i]);
    bool bl = IsLetter(b[i]);
    if (al && bl) return a[i] < b[i];
    if (al || bl) return bl;
    int64_t an = 0, bn = 0;
    if (a[i] == '0' || b[i] == '0') {
      for (size_t j = i; j-- > 0 && IsDigitRune(a[j]);) {
        if (a[j] != '0') {
          an = 1;
          bn = 1;
          break;
        }
      }
    }
    size_t ai = i, bi = i;
    for (; ai < a.size() && IsDigitRune(a[ai]); ++ai) an = an * 10 + (a[ai] - '0');
    for (; bi < b.size() && IsDigitRune(b[bi]); ++bi) bn = bn * 10 + (b[bi] - '0');
    if (an != bn) return an < bn;
    if (ai != bi) return ai < bi;
    return a[i] < b[i];
  }
  return a.size() < b.size();
}

// The text go-yaml prints for a float that reached it as JSON text written by Go: an integer
// when that text reads as one, otherwise Go's %g.
std::string NumberText(double d) {
  if (std::isfinite(d) && d == std::trunc(d) && std::fabs(d) < 1e21) {
    std::string text;
    AppendGoJsonFloat(&text, d);
    int64_t i;
    uint64_t u;
    const char* end = text.data() + text.size();
    auto ri = std::from_chars(text.data(), end, i);
    if (ri.ec == std::errc() && ri.ptr == end) return text;
    auto ru = std::from_chars(text.data(), end, u);
    if (ru.ec == std::errc() && ru.ptr == end) return text;
  }
  std::string s = FormatGoFloatG(d);
  if (s == "+Inf") return ".inf";
  if (s == "-Inf") return "-.inf";
  if (s == "NaN") return ".nan";
  return s;
}

class Writer {
 public:
  explicit Writer(std::string* out) {
    yaml_emitter_initialize(&emitter_);
    yaml_emitter_set_output(&emitter_, AppendToString, out);
    yaml_emitter_set_unicode(&emitter_, 1);
  }
  ~Writer() { yaml_emitter_delete(&emitter_); }
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  void Document(const Json& value) {
    yaml_event_t e;
    yaml_stream_start_event_initialize(&e, YAML_UTF8_ENCODING);
    Emit(&e);
    yaml_document_start_event_initialize(&e, nullptr, nullptr, nullptr, 1);
    Emit(&e);
    Node(value);
    yaml_document_end_event_initialize(&e, 1);
    Emit(&e);
    yaml_stream_end_event_initialize(&e);
    Emit(&e);
    yaml_emitter_flush(&emitter_);
  }

 private:
  void Emit(yaml_event_t* e) {
    // Fails only on invalid event sequences or output errors, neither of which can happen
    // with events built here and a string sink.
    yaml_emitter_emit(&emitter_, e);
  }

  void Scalar(std::string_view text, yaml_scalar_style_t style) {
    yaml_event_t e;
    yaml_scalar_event_initialize(&e, nullptr, nullptr,
                                 reinterpret_cast<const yaml_char_t*>(text.data()),
                                 static_cast<int>(text.size()), 1, 1, style);
    Emit(&e);
  }

  // go-yaml quotes a string that would read back as another type, and writes multi-line
  // strings as literal blocks; the emitter may still pick another style it needs.
  void String(std::string_view s) {
    yaml_scalar_style_t style;
    if (s.find('\n') != std::string_view::npos) {
      style = YAML_LITERAL_SCALAR_STYLE;
    } else if (yaml_internal::ResolvePlain(s).type == yaml_internal::ScalarType::kString &&
               !yaml_internal::IsBase60Float(s)) {
      style = YAML_PLAIN_SCALAR_STYLE;
    } else {
      style = YAML_DOUBLE_QUOTED_SCALAR_STYLE;
    }
    Scalar(s, style);
  }

  void Node(const Json& v) {
    switch (v.kind()) {
      case boost::json::kind::null: Scalar("null", YAML_PLAIN_SCALAR_STYLE); return;
      case boost::json::kind::bool_:
        Scalar(v.get_bool() ? "true" : "false", YAML_PLAIN_SCALAR_STYLE);
        return;
      case boost::json::kind::int64: Scalar(std::to_string(v.get_int64()), YAML_PLAIN_SCALAR_STYLE); return;
      case boost::json::kind::uint64: Scalar(std::to_string(v.get_uint64()), YAML_PLAIN_SCALAR_STYLE); return;
      case boost::json::kind::double_: Scalar(NumberText(v.get_double()), YAML_PLAIN_SCALAR_STYLE); return;
      case boost::json::kind::string: String(v.get_string()); return;
      case boost::json::kind::array: {
        yaml_event_t e;
        yaml_sequence_start_event_initialize(&e, nullptr, nullptr, 1, YAML_BLOCK_SEQUENCE_STYLE);
        Emit(&e);
        for (const Json& item : v.get_array()) Node(item);
        yaml_sequence_end_event_initialize(&e);
        Emit(&e);
        return;
      }
      case boost::json::kind::object: {
        const JsonObject& obj = v.get_object();
        std::vector<const boost::json::key_value_pair*> members;
        members.reserve(obj.size());
        for (const auto& kv : obj) members.push_back(&kv);
        std::stable_sort(members.begin(), members.end(),
                         [](auto* a, auto* b) { return KeyLess(a->key(), b->key()); });
        yaml_event_t e;
        yaml_mapping_start_event_initialize(&e, nullptr, nullptr, 1, YAML_BLOCK_MAPPING_STYLE);
        Emit(&e);
        for (const auto* kv : members) {
          String(kv->key());
          Node(kv->value());
        }
        yaml_mapping_end_event_initialize(&e);
        Emit(&e);
        return;
      }
    }
  }

  yaml_emitter_t emitter_;
};

}  // namespace

std::string WriteYaml(const Json& value) {
  std::string out;
  {
    Writer writer(&out);
    writer.Document(value);
  }
  // libyaml ends a document whose last scalar keeps trailing line breaks (`|+`) with "...";
  // go-yaml does not.
  constexpr std::string_view kEnd = "\n...\n";
  if (out.size() >= kEnd.size() && out.compare(out.size() - kEnd.size(), kEnd.size(), kEnd) == 0) {
    out.resize(out.size() - kEnd.size() + 1);
  }
  return out;
}

std::string WriteYamlStream(std::span<const Json> documents) {
  std::string out;
  for (size_t i = 0; i < documents.size(); ++i) {
    if (i > 0) out += "---\n";
    out += WriteYaml(documents[i]);
  }
  return out;
}

}  // namespace kstack
