// Sprig's reflection functions (reflect.go), fail, and the environment functions.

#include <cstdlib>

#include "template/sprig/util.h"

namespace kstack::tmpl::sprig {

void AddReflect(FuncMap* m) {
  m->Add("typeOf", Fn({P::kAny}, [](CallContext&, Args a) -> FuncResult {
    return Str(std::string(a[0].TypeName()));
  }));
  m->Add("typeIs", Fn({P::kString, P::kAny}, [](CallContext&, Args a) -> FuncResult {
    return Value::Bool(a[0].string_value() == a[1].TypeName());
  }));
  m->Add("typeIsLike", Fn({P::kString, P::kAny}, [](CallContext&, Args a) -> FuncResult {
    std::string_view t = a[1].TypeName();
    return Value::Bool(a[0].string_value() == t || "*" + a[0].string_value() == t);
  }));
  m->Add("kindOf", Fn({P::kAny}, [](CallContext&, Args a) -> FuncResult {
    return Str(std::string(a[0].KindName()));
  }));
  m->Add("kindIs", Fn({P::kString, P::kAny}, [](CallContext&, Args a) -> FuncResult {
    return Value::Bool(a[0].string_value() == a[1].KindName());
  }));
  m->Add("deepEqual", Fn({P::kAny, P::kAny}, [](CallContext&, Args a) -> FuncResult {
    return Value::Bool(DeepEqual(a[0], a[1]));
  }));
  m->Add("hello", Fn({}, [](CallContext&, Args) -> FuncResult { return Str("Hello!"); }));
  m->Add("fail", Fn({P::kString}, [](CallContext&, Args a) -> FuncResult {
    return BadRequestError(a[0].string_value());
  }));
  m->Add("env", Fn({P::kString}, [](CallContext&, Args a) -> FuncResult {
    const char* v = std::getenv(a[0].string_value().c_str());
    return Str(v ? v : "");
  }));
  m->Add("expandenv", Fn({P::kString}, [](CallContext&, Args a) -> FuncResult {
    // os.ExpandEnv: $VAR and ${VAR}.
    const std::string& s = a[0].string_value();
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
      if (s[i] != '$' || i + 1 >= s.size()) {
        out += s[i];
        continue;
      }
      size_t start = i + 1, end = start;
      std::string name;
      if (s[start] == '{') {
        end = s.find('}', start);
        if (end == std::string::npos) {
          out += s.substr(i);
          break;
        }
        name = s.substr(start + 1, end - start - 1);
        i = end;
      } else {
        while (end < s.size() && (std::isalnum(static_cast<unsigned char>(s[end])) || s[end] == '_')) ++end;
        if (end == start) {
          out += '$';
          continue;
        }
        name = s.substr(start, end - start);
        i = end - 1;
      }
      const char* v = std::getenv(name.c_str());
      if (v) out += v;
    }
    return Str(out);
  }));
}

}  // namespace kstack::tmpl::sprig
