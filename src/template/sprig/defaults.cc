// Sprig's defaults.go: default, empty, coalesce, all, any, ternary and the JSON functions.

#include "core/json.h"
#include "template/sprig/util.h"

namespace kstack::tmpl::sprig {
namespace {

Result<std::string> Marshal(const Value& v, JsonWriteOptions options) {
  KSTACK_ASSIGN_OR_RETURN(Json j, ToJson(v));
  return WriteJson(j, options);
}

FuncResult FromJsonText(const std::string& text) {
  Result<Json> j = ParseJson(text);
  if (!j.ok()) return j.status();
  return FromJson(*j, FromJsonOptions{.integers_as_float = true});
}

}  // namespace

void AddDefaults(FuncMap* m) {
  m->Add("default", VarFn({P::kAny}, P::kAny, [](CallContext&, Args a) -> FuncResult {
    if (a.size() < 2 || IsEmpty(a[1])) return a[0];
    return a[1];
  }));
  m->Add("empty", Fn({P::kAny}, [](CallContext&, Args a) -> FuncResult {
    return Value::Bool(IsEmpty(a[0]));
  }));
  m->Add("coalesce", VarFn({}, P::kAny, [](CallContext&, Args a) -> FuncResult {
    for (const Value& v : a) {
      if (!IsEmpty(v)) return v;
    }
    return Value::Nil();
  }));
  m->Add("all", VarFn({}, P::kAny, [](CallContext&, Args a) -> FuncResult {
    for (const Value& v : a) {
      if (IsEmpty(v)) return Value::Bool(false);
    }
    return Value::Bool(true);
  }));
  m->Add("any", VarFn({}, P::kAny, [](CallContext&, Args a) -> FuncResult {
    for (const Value& v : a) {
      if (!IsEmpty(v)) return Value::Bool(true);
    }
    return Value::Bool(false);
  }));
  m->Add("ternary", Fn({P::kAny, P::kAny, P::kBool}, [](CallContext&, Args a) -> FuncResult {
    return a[2].bool_value() ? a[0] : a[1];
  }));
  m->Add("fromJson", Fn({P::kString}, [](CallContext&, Args a) -> FuncResult {
    FuncResult r = FromJsonText(a[0].string_value());
    return r.ok() ? r : Value::Nil();
  }));
  m->Add("mustFromJson", Fn({P::kString}, [](CallContext&, Args a) -> FuncResult {
    return FromJsonText(a[0].string_value());
  }));
  struct Variant {
    const char* name;
    JsonWriteOptions options;
  };
  for (const Variant& v : {Variant{"ToJson", {}}, Variant{"ToPrettyJson", {.indent = 2}},
                           Variant{"ToRawJson", {.escape_html = false}}}) {
    std::string base = std::string("to") + (v.name + 2);
    JsonWriteOptions options = v.options;
    m->Add(base, Fn({P::kAny}, [options](CallContext&, Args a) -> FuncResult {
      Result<std::string> s = Marshal(a[0], options);
      return Str(s.ok() ? *s : "");
    }));
    m->Add(std::string("must") + v.name, Fn({P::kAny}, [options](CallContext&, Args a) -> FuncResult {
      KSTACK_ASSIGN_OR_RETURN(std::string s, Marshal(a[0], options));
      return Str(std::move(s));
    }));
  }
}

}  // namespace kstack::tmpl::sprig
