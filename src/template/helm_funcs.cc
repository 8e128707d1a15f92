// Helm's template functions (pkg/engine/funcs.go and engine.go): include, tpl, required, the
// YAML/JSON/TOML converters and lookup, which renders offline as `helm template` does (an
// empty map).

#include <algorithm>

#include "core/json.h"
#include "core/yaml.h"
#include "template/funcs.h"
#include "template/go_fmt.h"
#include "template/sprig/util.h"

namespace kstack::tmpl {
namespace {

using sprig::Args;
using sprig::Str;
using P = Param;

std::string ReplaceNoValue(std::string s) {
  static constexpr std::string_view kNoValue = "<no value>";
  std::string out;
  size_t pos = 0;
  while (true) {
    size_t next = s.find(kNoValue, pos);
    if (next == std::string::npos) break;
    out.append(s, pos, next - pos);
    pos = next + kNoValue.size();
  }
  out.append(s, pos, std::string::npos);
  return out;
}

Value ErrorMap(const std::string& message) {
  Map m;
  m.emplace("Error", Str(message));
  return Value::MakeMap(std::move(m));
}

// TOML as BurntSushi/toml encodes a map: plain keys first, then tables and arrays of tables,
// keys sorted.
std::string TomlKey(const std::string& k) {
  bool bare = !k.empty() && std::all_of(k.begin(), k.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  });
  return bare ? k : GoQuote(k);
}

bool IsTable(const Value& v) { return v.kind() == Kind::kMap; }
bool IsTableArray(const Value& v) {
  if (v.kind() != Kind::kList || v.size() == 0) return false;
  return std::all_of(v.list()->begin(), v.list()->end(), IsTable);
}

Status TomlValue(std::string* out, const Value& v) {
  switch (v.kind()) {
    case Kind::kString: *out += GoQuote(v.string_value()); return Status::Ok();
    case Kind::kBool: *out += v.bool_value() ? "true" : "false"; return Status::Ok();
    case Kind::kInt: *out += std::to_string(v.int_value()); return Status::Ok();
    case Kind::kUint: *out += std::to_string(v.uint_value()); return Status::Ok();
    case Kind::kFloat: {
      std::string s = GoString(v);
      if (s.find_first_of(".eEIN") == std::string::npos) s += ".0";
      if (s == "+Inf") s = "inf";
      if (s == "-Inf") s = "-inf";
      if (s == "NaN") s = "nan";
      *out += s;
      return Status::Ok();
    }
    case Kind::kList: {
      *out += "[";
      for (size_t i = 0; i < v.size(); ++i) {
        if (i > 0) *out += ", ";
        KSTACK_RETURN_IF_ERROR(TomlValue(out, (*v.list())[i]));
      }
      *out += "]";
      return Status::Ok();
    }
    case Kind::kMap: {
      *out += "{";
      bool first = true;
      if (v.map()) {
        for (const auto& [k, item] : *v.map()) {
          if (item.is_nil()) continue;
          if (!first) *out += ", ";
          first = false;
          *out += TomlKey(k) + " = ";
          KSTACK_RETURN_IF_ERROR(TomlValue(out, item));
        }
      }
      *out += "}";
      return Status::Ok();
    }
    default:
      return BadRequestError("toml: cannot encode a value of type " + std::string(v.TypeName()));
  }
}

Status TomlTable(std::string* out, const Map& m, const std::string& prefix, int depth) {
  std::string indent(depth * 2, ' ');
  for (const auto& [k, v] : m) {
    if (v.is_nil() || IsTable(v) || IsTableArray(v)) continue;
    *out += indent + TomlKey(k) + " = ";
    KSTACK_RETURN_IF_ERROR(TomlValue(out, v));
    *out += "\n";
  }
  for (const auto& [k, v] : m) {
    std::string name = prefix.empty() ? TomlKey(k) : prefix + "." + TomlKey(k);
    std::string sub_indent(depth * 2, ' ');
    if (IsTable(v)) {
      *out += "\n" + sub_indent + "[" + name + "]\n";
      if (v.map()) KSTACK_RETURN_IF_ERROR(TomlTable(out, *v.map(), name, depth + 1));
    } else if (IsTableArray(v)) {
      for (const Value& item : *v.list()) {
        *out += "\n" + sub_indent + "[[" + name + "]]\n";
        if (item.map()) KSTACK_RETURN_IF_ERROR(TomlTable(out, *item.map(), name, depth + 1));
      }
    }
  }
  return Status::Ok();
}

}  // namespace

void AddHelmFuncs(FuncMap* m) {
  // Helm removes these from Sprig's map: charts must not read the environment.
  m->Remove("env");
  m->Remove("expandenv");
  m->Add("include", Fn({P::kString, P::kAny}, [](CallContext& ctx, Args a) -> FuncResult {
    KSTACK_ASSIGN_OR_RETURN(std::string s, ctx.ExecuteNamed(a[0].string_value(), a[1]));
    return Str(std::move(s));
  }));
  m->Add("tpl", Fn({P::kString, P::kAny}, [](CallContext& ctx, Args a) -> FuncResult {
    KSTACK_ASSIGN_OR_RETURN(std::string s, ctx.ExecuteText(a[0].string_value(), a[1]));
    return Str(ReplaceNoValue(std::move(s)));
  }));
  m->Add("required", Fn({P::kString, P::kAny}, [](CallContext&, Args a) -> FuncResult {
    if (a[1].is_nil() || !a[1].valid() ||
        (a[1].kind() == Kind::kString && a[1].string_value().empty())) {
      return BadRequestError(a[0].string_value());
    }
    return a[1];
  }));
  m->Add("toYaml", Fn({P::kAny}, [](CallContext&, Args a) -> FuncResult {
    Result<Json> j = ToJson(a[0]);
    if (!j.ok()) return Str("");
    std::string y = WriteYaml(*j);
    if (!y.empty() && y.back() == '\n') y.pop_back();
    return Str(std::move(y));
  }));
  m->Add("fromYaml", Fn({P::kString}, [](CallContext&, Args a) -> FuncResult {
    Result<Json> j = ParseYaml(a[0].string_value());
    if (!j.ok()) return ErrorMap(j.status().message());
    if (j->is_null()) return Value::MakeMap({});
    if (!j->is_object()) {
      return ErrorMap("error unmarshaling JSON: json: cannot unmarshal " +
                      std::string(JsonKindName(*j)) + " into Go value of type map[string]interface {}");
    }
    return FromJson(*j, FromJsonOptions{.integers_as_float = true});
  }));
  m->Add("fromYamlArray", Fn({P::kString}, [](CallContext&, Args a) -> FuncResult {
    Result<Json> j = ParseYaml(a[0].string_value());
    if (!j.ok()) return sprig::MakeList({Str(j.status().message())});
    if (j->is_null()) return sprig::MakeList({});
    if (!j->is_array()) {
      return sprig::MakeList({Str("error unmarshaling JSON: json: cannot unmarshal " +
                                  std::string(JsonKindName(*j)) +
                                  " into Go value of type []interface {}")});
    }
    return FromJson(*j, FromJsonOptions{.integers_as_float = true});
  }));
  m->Add("toJson", Fn({P::kAny}, [](CallContext&, Args a) -> FuncResult {
    Result<Json> j = ToJson(a[0]);
    if (!j.ok()) return Str("");
    return Str(WriteJson(*j));
  }));
  m->Add("fromJson", Fn({P::kString}, [](CallContext&, Args a) -> FuncResult {
    Result<Json> j = ParseJson(a[0].string_value());
    if (!j.ok()) return ErrorMap(j.status().message());
    if (!j->is_object()) {
      return ErrorMap("json: cannot unmarshal " + std::string(JsonKindName(*j)) +
                      " into Go value of type map[string]interface {}");
    }
    return FromJson(*j, FromJsonOptions{.integers_as_float = true});
  }));
  m->Add("fromJsonArray", Fn({P::kString}, [](CallContext&, Args a) -> FuncResult {
    Result<Json> j = ParseJson(a[0].string_value());
    if (!j.ok()) return sprig::MakeList({Str(j.status().message())});
    if (!j->is_array()) {
      return sprig::MakeList({Str("json: cannot unmarshal " + std::string(JsonKindName(*j)) +
                                  " into Go value of type []interface {}")});
    }
    return FromJson(*j, FromJsonOptions{.integers_as_float = true});
  }));
  m->Add("toToml", Fn({P::kAny}, [](CallContext&, Args a) -> FuncResult {
    if (a[0].kind() != Kind::kMap) {
      return Str("toml: top-level values must be Go maps or structs");
    }
    std::string out;
    Status s = a[0].map() ? TomlTable(&out, *a[0].map(), "", 0) : Status::Ok();
    if (!s.ok()) return Str(s.message());
    return Str(std::move(out));
  }));
  m->Add("lookup", Fn({P::kString, P::kString, P::kString, P::kString},
                      [](CallContext&, Args) -> FuncResult { return Value::MakeMap({}); }));
}

}  // namespace kstack::tmpl
