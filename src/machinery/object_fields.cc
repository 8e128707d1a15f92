#include "machinery/object_fields.h"

#include <fmt/format.h>

#include <map>
#include <optional>

#include "machinery/builtin_schemas.h"

namespace kstack::machinery {
namespace {

bool HasStrategy(const Schema* s, std::string_view strategy) {
  std::string_view all = s->patch_strategy;
  while (!all.empty()) {
    size_t comma = all.find(',');
    if (all.substr(0, comma) == strategy) return true;
    all.remove_prefix(comma == std::string_view::npos ? all.size() : comma + 1);
  }
  return false;
}

bool ScalarSchema(const Schema* s) {
  return s == nullptr || (s->type != Schema::Type::kObject && s->type != Schema::Type::kArray &&
                          !(s->type == Schema::Type::kAny && !s->int_or_string));
}

bool Granular(const Json& v, const Schema* s) { return v.is_object() && !AtomicObject(s); }

// The schema of a member; at the root of an object apiVersion, kind and metadata are the
// fields of every Kubernetes object (ObjectMeta), whatever the type's own schema says.
const Schema* Member(const Schema* s, std::string_view key, bool root, bool* struct_field) {
  if (root && (key == "apiVersion" || key == "kind" || key == "metadata")) {
    *struct_field = true;
    if (key != "metadata") return nullptr;
    static const Schema* object_meta =
        BuiltinSchemas().Find("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta");
    return object_meta;
  }
  return MemberSchema(s, key, struct_field);
}

// The elements of a list's items; nullopt when one cannot be keyed (the list is then compared
// and merged whole).
std::optional<std::vector<std::string>> Elements(const JsonArray& list, const ListSemantics& sem) {
  std::vector<std::string> out;
  for (const Json& item : list) {
    Result<std::string> e = ItemElement(sem, item);
    if (!e.ok()) return std::nullopt;
    out.push_back(std::move(*e));
  }
  return out;
}

// Where a walk is, written out only for an error (".spec.containers[0]").
struct Where {
  const Where* parent = nullptr;
  std::string_view key;  // a field name, or empty for a list index
  size_t index = 0;
  std::string Path() const {
    std::string out = parent ? parent->Path() : std::string();
    if (parent == nullptr) return out;
    return key.empty() ? fmt::format("{}[{}]", out, index) : fmt::format("{}.{}", out, key);
  }
};

Status Walk(const Json& v, const Schema* s, FieldSet& node, const Where& path, bool root = false) {
  if (Granular(v, s)) {
    for (const auto& kv : v.get_object()) {
      bool struct_field = false;
      const Schema* cs = Member(s, kv.key(), root, &struct_field);
      FieldSet& child = node.Child(FieldElement(kv.key()));
      const Json& cv = kv.value();
      KSTACK_RETURN_IF_ERROR(Walk(cv, cs, child, Where{&path, kv.key()}));
      if (cv.is_null() || (cv.is_object() && cv.get_object().empty()) || !struct_field) {
        child.set_member(true);
      }
    }
    return Status::Ok();
  }
  if (v.is_array()) {
    ListSemantics sem = ListSemanticsOf(s);
    if (sem.kind == ListSemantics::Kind::kAtomic) {
      node.set_member(true);
      return Status::Ok();
    }
    const JsonArray& list = v.get_array();
    for (size_t i = 0; i < list.size(); ++i) {
      Where at{&path, {}, i};
      Result<std::string> e = ItemElement(sem, list[i]);
      if (!e.ok()) return e.status().WithContext(at.Path());
      if (node.Find(*e) != nullptr) {
        return InvalidError(
            fmt::format("{}: duplicate entries for key {}", at.Path(), ElementString(*e)));
      }
      FieldSet& child = node.Child(*e);
      KSTACK_RETURN_IF_ERROR(Walk(list[i], s->items, child, at));
      child.set_member(true);
    }
    return Status::Ok();
  }
  node.set_member(true);
  return Status::Ok();
}

void MarkAll(FieldSet& node) {
  node.set_member(true);
  std::vector<std::string> names;
  for (const auto& kv : node.children()) names.push_back(kv.first);
  for (const std::string& n : names) MarkAll(node.Child(n));
}

// Every path of `v`, itself included.
void AllPaths(const Json& v, const Schema* s, FieldSet& node, bool root) {
  if (Walk(v, s, node, Where{}, root).ok()) {
    MarkAll(node);
  } else {
    node = FieldSet();
    node.set_member(true);
  }
}

void Compare(const Json* before, const Json* after, const Schema* s, FieldSet& mod, FieldSet& add,
             FieldSet& rem, bool root = false) {
  if (before == nullptr) {
    AllPaths(*after, s, add, root);
    return;
  }
  if (after == nullptr) {
    AllPaths(*before, s, rem, root);
    return;
  }
  if (Granular(*before, s) && Granular(*after, s)) {
    const JsonObject& b = before->get_object();
    const JsonObject& a = after->get_object();
    auto visit = [&](std::string_view key) {
      bool struct_field = false;
      const Schema* cs = Member(s, key, root, &struct_field);
      std::string e = FieldElement(key);
      Compare(b.if_contains(key), a.if_contains(key), cs, mod.Child(e), add.Child(e), rem.Child(e));
    };
    for (const auto& kv : b) visit(kv.key());
    for (const auto& kv : a) {
      if (!b.contains(kv.key())) visit(kv.key());
    }
    return;
  }
  if (before->is_array() && after->is_array()) {
    ListSemantics sem = ListSemanticsOf(s);
    if (sem.kind != ListSemantics::Kind::kAtomic) {
      auto be = Elements(before->get_array(), sem);
      auto ae = Elements(after->get_array(), sem);
      if (be && ae) {
        std::map<std::string, const Json*> bi, ai;
        for (size_t i = 0; i < be->size(); ++i) bi.emplace((*be)[i], &before->get_array()[i]);
        for (size_t i = 0; i < ae->size(); ++i) ai.emplace((*ae)[i], &after->get_array()[i]);
        for (const auto& [e, item] : bi) {
          auto it = ai.find(e);
          Compare(item, it == ai.end() ? nullptr : it->second, s->items, mod.Child(e), add.Child(e),
                  rem.Child(e));
        }
        for (const auto& [e, item] : ai) {
          if (!bi.contains(e)) {
            Compare(nullptr, item, s->items, mod.Child(e), add.Child(e), rem.Child(e));
          }
        }
        return;
      }
    }
  }
  if (*before != *after) mod.set_member(true);
}

}  // namespace

ListSemantics ListSemanticsOf(const Schema* list) {
  ListSemantics sem;
  if (list == nullptr) return sem;
  if (list->list_type == "map") {
    sem.kind = ListSemantics::Kind::kMap;
    sem.keys = list->list_map_keys;
  } else if (list->list_type == "set") {
    sem.kind = ListSemantics::Kind::kSet;
  } else if (list->list_type.empty() && HasStrategy(list, "merge")) {
    if (!list->patch_merge_key.empty()) {
      sem.kind = ListSemantics::Kind::kMap;
      sem.keys = {list->patch_merge_key};
    } else if (ScalarSchema(list->items)) {
      sem.kind = ListSemantics::Kind::kSet;
    }
  }
  if (sem.kind == ListSemantics::Kind::kMap) {
    const Schema* item = list->items;
    for (const std::string& key : sem.keys) {
      const Schema* field = item ? item->Property(key) : nullptr;
      Json fallback;
      if (field != nullptr && field->default_value) {
        fallback = *field->default_value;
      } else if (key == "protocol" && item != nullptr &&
                 (item->title == "io.k8s.api.core.v1.ContainerPort" ||
                  item->title == "io.k8s.api.core.v1.ServicePort")) {
        fallback = "TCP";
      }
      sem.key_defaults.push_back(std::move(fallback));
    }
  }
  return sem;
}

Result<std::string> ItemElement(const ListSemantics& list, const Json& item) {
  if (list.kind == ListSemantics::Kind::kSet) {
    if (item.is_object() || item.is_array()) {
      return InvalidError("a set list may hold only scalar values");
    }
    return ValueElement(item);
  }
  if (!item.is_object()) {
    return InvalidError(
        fmt::format("a map list item must be an object, not {}", JsonKindName(item)));
  }
  JsonObject keys;
  for (size_t i = 0; i < list.keys.size(); ++i) {
    const std::string& key = list.keys[i];
    // A key field that an item omits takes its default, or else is left out of the key.
    if (const Json* v = item.get_object().if_contains(key); v && !v->is_null()) {
      keys[key] = *v;
    } else if (i < list.key_defaults.size() && !list.key_defaults[i].is_null()) {
      keys[key] = list.key_defaults[i];
    }
  }
  if (keys.empty()) {
    return InvalidError(
        fmt::format("associative list with keys has an element that omits key field \"{}\"",
                    list.keys.empty() ? "" : list.keys.front()));
  }
  return KeyElement(keys);
}

const Schema* MemberSchema(const Schema* object, std::string_view key, bool* struct_field) {
  *struct_field = false;
  if (object == nullptr) return nullptr;
  if (const Schema* p = object->Property(key)) {
    *struct_field = true;
    return p;
  }
  return object->additional_properties;
}

bool AtomicObject(const Schema* object) {
  return object != nullptr && object->map_type == "atomic";
}

Result<FieldSet> FieldSetOf(const Json& object, const Schema* schema) {
  FieldSet set;
  KSTACK_RETURN_IF_ERROR(Walk(object, schema, set, Where{}, true));
  set.Prune();
  return set;
}

Comparison CompareObjects(const Json& before, const Json& after, const Schema* schema) {
  Comparison c;
  Compare(&before, &after, schema, c.modified, c.added, c.removed, true);
  c.modified.Prune();
  c.added.Prune();
  c.removed.Prune();
  return c;
}

namespace {

void Remove(Json& object, const FieldSet& fields, const Schema* schema, bool root) {
  if (Granular(object, schema)) {
    JsonObject& obj = object.get_object();
    for (const auto& [element, child] : fields.children()) {
      if (!element.starts_with("f:")) continue;
      std::string_view key = std::string_view(element).substr(2);
      Json* v = obj.if_contains(key);
      if (v == nullptr) continue;
      if (child.member()) {
        obj.erase(key);
      } else {
        bool struct_field = false;
        Remove(*v, child, Member(schema, key, root, &struct_field), false);
        // A map or list that the removal empties goes too, as Kubernetes drops it.
        bool emptied = (v->is_object() && v->get_object().empty()) ||
                       (v->is_array() && v->get_array().empty());
        if (emptied) obj.erase(key);
      }
    }
    return;
  }
  if (!object.is_array()) return;
  ListSemantics sem = ListSemanticsOf(schema);
  if (sem.kind == ListSemantics::Kind::kAtomic) return;
  JsonArray kept;
  for (Json& item : object.get_array()) {
    Result<std::string> e = ItemElement(sem, item);
    const FieldSet* child = e.ok() ? fields.Find(*e) : nullptr;
    if (child != nullptr && child->member()) continue;
    if (child != nullptr) Remove(item, *child, schema->items, false);
    kept.push_back(std::move(item));
  }
  object = std::move(kept);
}

}  // namespace

void RemoveFields(Json& object, const FieldSet& fields, const Schema* schema) {
  Remove(object, fields, schema, true);
}

}  // namespace kstack::machinery
