#include "machinery/apply_merge.h"

#include <fmt/format.h>

#include <map>

#include "machinery/builtin_schemas.h"
#include "machinery/object_fields.h"

namespace kstack::machinery {
namespace {

Result<Json> Merge(const Json& live, const Json& applied, const Schema* s, const std::string& at,
                   bool root = false);

Result<Json> MergeList(const JsonArray& live, const JsonArray& applied, const Schema* s,
                       const std::string& at) {
  ListSemantics sem = ListSemanticsOf(s);
  std::map<std::string, size_t> applied_index;
  std::vector<std::string> applied_elements;
  for (size_t i = 0; i < applied.size(); ++i) {
    std::string item_at = fmt::format("{}[{}]", at, i);
    Result<std::string> e = ItemElement(sem, applied[i]);
    if (!e.ok()) return e.status().WithContext(item_at);
    if (!applied_index.emplace(*e, i).second) {
      return InvalidError(
          fmt::format("{}: duplicate entries for key {}", item_at, ElementString(*e)));
    }
    applied_elements.push_back(*e);
  }
  JsonArray out;
  std::map<std::string, bool> seen;
  for (const Json& item : live) {
    Result<std::string> e = ItemElement(sem, item);
    auto it = e.ok() ? applied_index.find(*e) : applied_index.end();
    if (it == applied_index.end()) {
      out.push_back(item);
      continue;
    }
    if (seen[*e]) continue;  // a live duplicate collapses into the applied item
    seen[*e] = true;
    std::string item_at = fmt::format("{}[{}]", at, it->second);
    KSTACK_ASSIGN_OR_RETURN(Json merged, Merge(item, applied[it->second], s->items, item_at));
    out.push_back(std::move(merged));
  }
  for (size_t i = 0; i < applied.size(); ++i) {
    if (!seen[applied_elements[i]]) out.push_back(applied[i]);
  }
  return Json(std::move(out));
}

Json WithoutNulls(const Json& v) {
  if (!v.is_object()) return v;
  JsonObject out;
  for (const auto& kv : v.get_object()) {
    if (!kv.value().is_null()) out[kv.key()] = WithoutNulls(kv.value());
  }
  return out;
}

Result<Json> Merge(const Json& live, const Json& applied, const Schema* s, const std::string& at,
                   bool root) {
  if (live.is_object() && applied.is_object() && !AtomicObject(s)) {
    Json out = live;
    JsonObject& obj = out.get_object();
    for (const auto& kv : applied.get_object()) {
      if (kv.value().is_null()) {
        obj.erase(kv.key());
        continue;
      }
      bool struct_field = false;
      const Schema* cs =
          root && kv.key() == "metadata"
              ? BuiltinSchemas().Find("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta")
              : MemberSchema(s, kv.key(), &struct_field);
      std::string child_at = fmt::format("{}.{}", at, kv.key());
      if (const Json* current = obj.if_contains(kv.key())) {
        KSTACK_ASSIGN_OR_RETURN(Json merged, Merge(*current, kv.value(), cs, child_at));
        obj[kv.key()] = std::move(merged);
      } else {
        obj[kv.key()] = WithoutNulls(kv.value());
      }
    }
    return out;
  }
  if (live.is_array() && applied.is_array() &&
      ListSemanticsOf(s).kind != ListSemantics::Kind::kAtomic) {
    return MergeList(live.get_array(), applied.get_array(), s, at);
  }
  return WithoutNulls(applied);
}

}  // namespace

Result<Json> MergeApplied(const Json& live, const Json& applied, const Schema* schema) {
  return Merge(live, applied, schema, "", true);
}

}  // namespace kstack::machinery
