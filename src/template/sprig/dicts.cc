// Sprig's dict functions (dict.go), merge and mergeOverwrite as mergo merges
// map[string]interface{} values.

#include "template/sprig/util.h"

namespace kstack::tmpl::sprig {
namespace {

// mergo.Merge for maps: keys missing in dst are copied, nested maps merged; with `overwrite`,
// non-empty source values replace destination values.
void MergeInto(Map& dst, const Map& src, bool overwrite) {
  for (const auto& [key, sv] : src) {
    auto it = dst.find(key);
    if (it == dst.end()) {
      dst.emplace(key, sv);
      continue;
    }
    Value& dv = it->second;
    if (dv.kind() == Kind::kMap && sv.kind() == Kind::kMap && dv.map() && sv.map()) {
      MergeInto(*dv.map(), *sv.map(), overwrite);
      continue;
    }
    if ((overwrite && !IsEmpty(sv)) || IsEmpty(dv)) dv = sv;
  }
}

FuncResult Merge(Args a, bool overwrite) {
  Value dst = a[0];
  if (!dst.map()) dst = Value::MakeMap({});
  for (size_t i = 1; i < a.size(); ++i) {
    if (a[i].map()) MergeInto(*dst.map(), *a[i].map(), overwrite);
  }
  return dst;
}

}  // namespace

void AddDicts(FuncMap* m) {
  m->Add("dict", VarFn({}, P::kAny, [](CallContext&, Args a) -> FuncResult {
    Map out;
    for (size_t i = 0; i < a.size(); i += 2) {
      std::string key = StrVal(a[i]);
      out.insert_or_assign(key, i + 1 < a.size() ? a[i + 1] : Str(""));
    }
    return Value::MakeMap(std::move(out));
  }));
  m->Add("get", Fn({P::kMap, P::kString}, [](CallContext&, Args a) -> FuncResult {
    if (a[0].map()) {
      auto it = a[0].map()->find(a[1].string_value());
      if (it != a[0].map()->end()) return it->second;
    }
    return Str("");
  }));
  m->Add("set", Fn({P::kMap, P::kString, P::kAny}, [](CallContext&, Args a) -> FuncResult {
    if (!a[0].map()) return BadRequestError("assignment to entry in nil map");
    a[0].map()->insert_or_assign(a[1].string_value(), a[2]);
    return a[0];
  }));
  m->Add("unset", Fn({P::kMap, P::kString}, [](CallContext&, Args a) -> FuncResult {
    if (a[0].map()) a[0].map()->erase(a[1].string_value());
    return a[0];
  }));
  m->Add("hasKey", Fn({P::kMap, P::kString}, [](CallContext&, Args a) -> FuncResult {
    return Value::Bool(a[0].map() && a[0].map()->count(a[1].string_value()) > 0);
  }));
  m->Add("pluck", VarFn({P::kString}, P::kMap, [](CallContext&, Args a) -> FuncResult {
    List out;
    for (size_t i = 1; i < a.size(); ++i) {
      if (!a[i].map()) continue;
      auto it = a[i].map()->find(a[0].string_value());
      if (it != a[i].map()->end()) out.push_back(it->second);
    }
    return MakeList(std::move(out));
  }));
  m->Add("keys", VarFn({}, P::kMap, [](CallContext&, Args a) -> FuncResult {
    List out;
    for (const Value& d : a) {
      if (!d.map()) continue;
      for (const auto& kv : *d.map()) out.push_back(Str(kv.first));
    }
    return Value::MakeList(std::move(out), Type::kListString);
  }));
  m->Add("pick", VarFn({P::kMap}, P::kString, [](CallContext&, Args a) -> FuncResult {
    Map out;
    if (a[0].map()) {
      for (size_t i = 1; i < a.size(); ++i) {
        auto it = a[0].map()->find(a[i].string_value());
        if (it != a[0].map()->end()) out.insert_or_assign(it->first, it->second);
      }
    }
    return Value::MakeMap(std::move(out));
  }));
  m->Add("omit", VarFn({P::kMap}, P::kString, [](CallContext&, Args a) -> FuncResult {
    Map out;
    if (a[0].map()) {
      for (const auto& [k, v] : *a[0].map()) {
        bool drop = false;
        for (size_t i = 1; i < a.size(); ++i) drop = drop || a[i].string_value() == k;
        if (!drop) out.emplace(k, v);
      }
    }
    return Value::MakeMap(std::move(out));
  }));
  m->Add("values", Fn({P::kMap}, [](CallContext&, Args a) -> FuncResult {
    List out;
    if (a[0].map()) {
      for (const auto& kv : *a[0].map()) out.push_back(kv.second);
    }
    return MakeList(std::move(out));
  }));
  auto merge = VarFn({P::kMap}, P::kMap, [](CallContext&, Args a) { return Merge(a, false); });
  m->Add("merge", merge);
  m->Add("mustMerge", merge);
  auto merge_over = VarFn({P::kMap}, P::kMap, [](CallContext&, Args a) { return Merge(a, true); });
  m->Add("mergeOverwrite", merge_over);
  m->Add("mustMergeOverwrite", merge_over);
  auto deep_copy = Fn({P::kAny}, [](CallContext&, Args a) -> FuncResult {
    if (a[0].is_nil()) return BadRequestError("copystructure: nil value");
    return DeepCopy(a[0]);
  });
  m->Add("deepCopy", deep_copy);
  m->Add("mustDeepCopy", deep_copy);
  m->Add("dig", VarFn({}, P::kAny, [](CallContext&, Args a) -> FuncResult {
    if (a.size() < 3) return BadRequestError("dig needs at least three arguments");
    const Value& dict = a.back();
    const Value& def = a[a.size() - 2];
    if (dict.type() != Type::kMapAny) {
      return BadRequestError("interface conversion: interface {} is " +
                             std::string(dict.TypeName()) + ", not map[string]interface {}");
    }
    Value cur = dict;
    for (size_t i = 0; i + 2 < a.size(); ++i) {
      if (a[i].kind() != Kind::kString) {
        return BadRequestError("interface conversion: interface {} is " +
                               std::string(a[i].TypeName()) + ", not string");
      }
      if (cur.type() != Type::kMapAny) {
        return BadRequestError("interface conversion: interface {} is " +
                               std::string(cur.TypeName()) + ", not map[string]interface {}");
      }
      auto it = cur.map() ? cur.map()->find(a[i].string_value()) : Map::iterator();
      if (!cur.map() || it == cur.map()->end()) return def;
      cur = it->second;
    }
    return cur;
  }));
}

}  // namespace kstack::tmpl::sprig
