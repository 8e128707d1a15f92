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
  std::vector<std::string> applied_keys;
  for (size_t i = 0; i < applied.size(); ++i) {
    std::string item_at = fmt::format("{}[{}]", at, i);
    Result<std::string> e = ItemElement(sem, applied[i]);
    if (!e.ok()) return e.status().WithContext(item_at);
    if (!applied_index.emplace(*e, i).second) {
      return InvalidError(
          fmt::format("{}: duplicate entries for key {}", item_at, ElementString(*e)));
    }
    applied_keys.push_back(*e);
  }
  // Live items by key; an item that cannot be keyed, or repeats a key, is kept as it is.
  std::vector<std::string> live_keys;
  std::vector<const Json*> live_items;
  std::map<std::string, const Json*> live_index;
  JsonArray unkeyed;
  for (const Json& item : live) {
    Result<std::string> e = ItemElement(sem, item);
    if (!e.ok() || live_index.contains(*e)) {
      if (!e.ok()) unkeyed.push_back(item);
      continue;
    }
    live_index.emplace(*e, &item);
    live_keys.push_back(*e);
    live_items.push_back(&item);
  }
  // The order Kubernetes gives the merged list: items only in the live list keep their place,
  // the configuration's items come in its order, and an item in both comes where the
  // configuration puts it among the other shared ones.
  std::vector<std::string> shared;
  for (const std::string& k : applied_keys) {
    if (live_index.contains(k)) shared.push_back(k);
  }
  size_t next_shared = 0;
  JsonArray out;
  auto emit = [&](const std::string& key) -> Status {
    auto a = applied_index.find(key);
    auto l = live_index.find(key);
    if (a == applied_index.end()) {
      out.push_back(*l->second);
      return Status::Ok();
    }
    if (l == live_index.end()) {
      out.push_back(applied[a->second]);
    } else {
      std::string item_at = fmt::format("{}[{}]", at, a->second);
      KSTACK_ASSIGN_OR_RETURN(Json merged,
                              Merge(*l->second, applied[a->second], s->items, item_at));
      out.push_back(std::move(merged));
    }
    if (next_shared < shared.size() && shared[next_shared] == key) ++next_shared;
    return Status::Ok();
  };
  size_t i = 0, j = 0;
  while (i < live_keys.size() || j < applied_keys.size()) {
    if (i < live_keys.size() && j < applied_keys.size()) {
      if (live_keys[i] == applied_keys[j]) {
        KSTACK_RETURN_IF_ERROR(emit(applied_keys[j]));
        ++i, ++j;
        continue;
      }
      bool in_applied = applied_index.contains(live_keys[i]);
      if (in_applied && next_shared < shared.size() && shared[next_shared] != live_keys[i]) {
        ++i;  // a shared item that the configuration places later
        continue;
      }
    }
    if (i < live_keys.size() && !applied_index.contains(live_keys[i])) {
      KSTACK_RETURN_IF_ERROR(emit(live_keys[i]));
      ++i;
      continue;
    }
    if (j < applied_keys.size()) {
      KSTACK_RETURN_IF_ERROR(emit(applied_keys[j]));
      ++j;
      continue;
    }
    ++i;  // a shared item already merged where the configuration put it
  }
  for (Json& item : unkeyed) out.push_back(std::move(item));
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
