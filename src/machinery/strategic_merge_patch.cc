#include "machinery/strategic_merge_patch.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

namespace kstack::machinery {
namespace {

constexpr std::string_view kPatch = "$patch";
constexpr std::string_view kRetainKeys = "$retainKeys";
constexpr std::string_view kSetElementOrder = "$setElementOrder";
constexpr std::string_view kDeleteFromPrimitiveList = "$deleteFromPrimitiveList";

// Where in the patch we are: a chain of keys and indexes, made into text only for an error.
struct Where {
  const Where* parent = nullptr;
  std::string_view key;
  size_t index = 0;
  bool is_index = false;
};

std::string PathText(const Where* at) {
  std::vector<const Where*> chain;
  for (; at != nullptr; at = at->parent) chain.push_back(at);
  std::string out;
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    if ((*it)->is_index) {
      out += fmt::format("[{}]", (*it)->index);
    } else {
      if (!out.empty()) out += '.';
      out += (*it)->key;
    }
  }
  return out;
}

Status Invalid(const Where* at, std::string_view what) {
  std::string path = PathText(at);
  if (path.empty()) return InvalidError(fmt::format("strategic merge patch: {}", what));
  return InvalidError(fmt::format("strategic merge patch at {}: {}", path, what));
}

// JSON kinds as strategic merge patch tells them apart: every number is one kind.
enum class Kind { kNull, kBool, kNumber, kString, kArray, kObject };

Kind KindOf(const Json& v) {
  switch (v.kind()) {
    case boost::json::kind::null:
      return Kind::kNull;
    case boost::json::kind::bool_:
      return Kind::kBool;
    case boost::json::kind::int64:
    case boost::json::kind::uint64:
    case boost::json::kind::double_:
      return Kind::kNumber;
    case boost::json::kind::string:
      return Kind::kString;
    case boost::json::kind::array:
      return Kind::kArray;
    case boost::json::kind::object:
      return Kind::kObject;
  }
  return Kind::kNull;
}

// Equality with 80 and 80.0 equal, as they are once Kubernetes has decoded them.
bool Same(const Json& a, const Json& b) {
  if (a.is_double() != b.is_double() && KindOf(a) == Kind::kNumber && KindOf(b) == Kind::kNumber) {
    return a.to_number<double>() == b.to_number<double>();
  }
  return a == b;
}

bool Is(const Json& v, std::string_view text) { return v.is_string() && v.get_string() == text; }

bool IsDirectiveKey(std::string_view key) {
  return key == kPatch || key == kRetainKeys || key.starts_with(kSetElementOrder) ||
         key.starts_with(kDeleteFromPrimitiveList);
}

// A patch value taken where the original has nothing to merge it with: without null members,
// directive keys and objects that carry $patch (nullopt when `v` is such an object). Null
// elements of lists stay, as they do in Kubernetes.
std::optional<Json> Fresh(const Json& v) {
  if (const JsonObject* obj = v.if_object()) {
    if (obj->contains(kPatch)) return std::nullopt;
    JsonObject out;
    for (const auto& m : *obj) {
      if (m.value().is_null() || IsDirectiveKey(m.key())) continue;
      if (std::optional<Json> f = Fresh(m.value())) out.emplace(m.key(), std::move(*f));
    }
    return Json(std::move(out));
  }
  if (const JsonArray* arr = v.if_array()) {
    JsonArray out;
    for (const Json& e : *arr) {
      if (std::optional<Json> f = Fresh(e)) out.push_back(std::move(*f));
    }
    return Json(std::move(out));
  }
  return v;
}

void SetFresh(JsonObject& original, std::string_view key, const Json& value) {
  if (std::optional<Json> f = Fresh(value)) {
    original.insert_or_assign(key, std::move(*f));
  } else {
    original.erase(key);
  }
}

// The schema of member `key` of an object described by `schema`; null when unknown.
const Schema* FieldSchema(const Schema* schema, std::string_view key) {
  if (schema == nullptr) return nullptr;
  if (const Schema* p = schema->Property(key)) return p;
  return schema->additional_properties;
}

// What a field's x-kubernetes-patch-strategy and -merge-key say (retainKeys only matters to
// the client that builds $retainKeys).
struct FieldPatch {
  bool merge = false;
  bool replace = false;
  std::string_view merge_key;
  const Schema* items = nullptr;
};

FieldPatch Meta(const Schema* field) {
  FieldPatch meta;
  if (field == nullptr) return meta;
  std::string_view strategies = field->patch_strategy;
  while (!strategies.empty()) {
    size_t comma = strategies.find(',');
    std::string_view s = strategies.substr(0, comma);
    meta.merge |= s == "merge";
    meta.replace |= s == "replace";
    strategies.remove_prefix(comma == std::string_view::npos ? strategies.size() : comma + 1);
  }
  meta.merge_key = field->patch_merge_key;
  meta.items = field->items;
  return meta;
}

// The field a "$prefix/<field>" directive key names.
Result<std::string_view> DirectiveField(std::string_view key, std::string_view prefix,
                                        const Where* at) {
  if (key.size() <= prefix.size() || key[prefix.size()] != '/') {
    return Invalid(at, fmt::format("malformed directive key (want {}/<field>)", prefix));
  }
  return key.substr(prefix.size() + 1);
}

// The one kind of all elements of both lists. REQUIRES: at least one element.
Result<Kind> ElementKind(const JsonArray& a, const JsonArray& b, const Where* at) {
  std::optional<Kind> kind;
  for (const JsonArray* list : {&a, &b}) {
    for (const Json& e : *list) {
      Kind k = KindOf(e);
      if (k == Kind::kArray) return Invalid(at, "lists of lists are not supported");
      if (kind && *kind != k) return Invalid(at, "the list's elements are not all of one type");
      kind = k;
    }
  }
  return *kind;
}

// Puts `merged` in Kubernetes' order: the elements that `order` names in its order, the others
// in the order of `server`, the two interleaved where `server` orders an element of each. An
// element is named by its merge key value (by its value in a list of primitives).
Result<JsonArray> Arrange(JsonArray merged, const std::vector<const Json*>& order,
                          const std::vector<const Json*>& server, std::string_view merge_key,
                          const Where* at) {
  auto id = [&](const Json& e) -> const Json* {
    if (merge_key.empty()) return &e;
    const JsonObject* obj = e.if_object();
    return obj == nullptr ? nullptr : obj->if_contains(merge_key);
  };
  constexpr size_t kAbsent = static_cast<size_t>(-1);
  auto index_in = [&](const std::vector<const Json*>& list, const Json& key) {
    for (size_t i = 0; i < list.size(); ++i) {
      const Json* other = id(*list[i]);
      if (other != nullptr && Same(*other, key)) return i;
    }
    return kAbsent;
  };
  struct Item {
    Json* value;
    size_t rank;  // index in `order` (patch items) or `server` (server-only items)
    size_t server_index;
  };
  std::vector<Item> patch_items, server_items;
  for (Json& e : merged) {
    if (merge_key.empty() && (e.is_object() || e.is_array())) {
      return Invalid(at, "a list of objects cannot be ordered without a merge key");
    }
    const Json* key = id(e);
    if (key == nullptr)
      return Invalid(at, fmt::format("an element has no merge key \"{}\"", merge_key));
    size_t in_order = index_in(order, *key);
    size_t in_server = index_in(server, *key);
    if (in_order != kAbsent) {
      patch_items.push_back({&e, in_order, in_server});
    } else {
      server_items.push_back({&e, in_server, in_server});
    }
  }
  auto by_rank = [](const Item& a, const Item& b) { return a.rank < b.rank; };
  std::stable_sort(patch_items.begin(), patch_items.end(), by_rank);
  std::stable_sort(server_items.begin(), server_items.end(), by_rank);

  JsonArray out;
  out.reserve(merged.size());
  size_t i = 0, j = 0;
  while (i < server_items.size() || j < patch_items.size()) {
    bool take_server;
    if (j == patch_items.size()) {
      take_server = true;
    } else if (i == server_items.size()) {
      take_server = false;
    } else {
      size_t l = server_items[i].server_index, r = patch_items[j].server_index;
      take_server = l != kAbsent && r != kAbsent && l < r;
    }
    Item& next = take_server ? server_items[i++] : patch_items[j++];
    out.push_back(std::move(*next.value));
  }
  return out;
}

std::vector<const Json*> Pointers(const JsonArray& list) {
  std::vector<const Json*> out;
  out.reserve(list.size());
  for (const Json& e : list) out.push_back(&e);
  return out;
}

Status MergeObject(JsonObject& original, const JsonObject& patch, const Schema* schema,
                   const Where* at);

// Merges a list whose field has strategy merge, or removes the values of a
// $deleteFromPrimitiveList from it.
Status MergeList(JsonArray& original, const JsonArray& patch, const FieldPatch& meta,
                 bool delete_list, const Where* at) {
  if (original.empty() && patch.empty()) return Status::Ok();
  KSTACK_ASSIGN_OR_RETURN(Kind kind, ElementKind(original, patch, at));

  if (kind != Kind::kObject) {
    auto in = [](const JsonArray& list, const Json& v) {
      return std::any_of(list.begin(), list.end(), [&](const Json& e) { return Same(e, v); });
    };
    if (delete_list) {
      JsonArray kept;
      for (const Json& e : original) {
        if (!in(patch, e)) kept.push_back(e);
      }
      original = std::move(kept);
      return Status::Ok();
    }
    JsonArray merged;
    for (const JsonArray* list : {static_cast<const JsonArray*>(&original), &patch}) {
      for (const Json& e : *list) {
        if (!in(merged, e)) merged.push_back(e);
      }
    }
    KSTACK_ASSIGN_OR_RETURN(JsonArray arranged, Arrange(std::move(merged), Pointers(patch),
                                                        Pointers(original), "", at));
    original = std::move(arranged);
    return Status::Ok();
  }

  if (delete_list) {
    return Invalid(at, "$deleteFromPrimitiveList applies to lists of primitives, not of objects");
  }
  if (meta.merge_key.empty()) {
    return Invalid(at, "a list of objects cannot be merged without a merge key");
  }
  std::string_view key = meta.merge_key;
  auto key_of = [&](const Json& e) { return e.get_object().if_contains(key); };

  // Directive elements first: deletions apply to the original, replace drops it.
  JsonArray base = original;
  std::vector<size_t> plain;  // indexes of the patch's ordinary elements
  bool replace = false;
  for (size_t i = 0; i < patch.size(); ++i) {
    const JsonObject& e = patch[i].get_object();
    Where here{at, {}, i, true};
    const Json* directive = e.if_contains(kPatch);
    if (directive == nullptr) {
      plain.push_back(i);
    } else if (Is(*directive, "delete")) {
      const Json* value = e.if_contains(key);
      if (value == nullptr) {
        return Invalid(&here, fmt::format("$patch delete needs the merge key \"{}\"", key));
      }
      JsonArray kept;
      for (Json& b : base) {
        const Json* k = key_of(b);
        if (k == nullptr || !Same(*k, *value)) kept.push_back(std::move(b));
      }
      base = std::move(kept);
    } else if (Is(*directive, "replace")) {
      replace = true;
    } else if (Is(*directive, "merge")) {
      return Invalid(&here, "$patch merge is not supported in a list");
    } else {
      return Invalid(&here, fmt::format("unknown $patch directive {}", WriteJson(*directive)));
    }
  }
  if (replace) {
    JsonArray out;
    for (size_t i : plain) {
      if (std::optional<Json> f = Fresh(patch[i])) out.push_back(std::move(*f));
    }
    original = std::move(out);
    return Status::Ok();
  }

  JsonArray merged = base;
  std::vector<const Json*> order;
  for (size_t i : plain) {
    Where here{at, {}, i, true};
    const Json* value = key_of(patch[i]);
    if (value == nullptr) {
      return Invalid(&here, fmt::format("the element has no merge key \"{}\"", key));
    }
    order.push_back(&patch[i]);
    auto match = std::find_if(merged.begin(), merged.end(), [&](const Json& m) {
      const Json* k = key_of(m);
      return k != nullptr && Same(*k, *value);
    });
    if (match != merged.end()) {
      KSTACK_RETURN_IF_ERROR(
          MergeObject(match->get_object(), patch[i].get_object(), meta.items, &here));
    } else if (std::optional<Json> f = Fresh(patch[i])) {
      merged.push_back(std::move(*f));
    }
  }
  KSTACK_ASSIGN_OR_RETURN(JsonArray arranged,
                          Arrange(std::move(merged), order, Pointers(base), key, at));
  original = std::move(arranged);
  return Status::Ok();
}

// Checks that the patch's list names its elements in the order of $setElementOrder.
Status CheckOrder(const JsonArray& patch, const JsonArray& order, std::string_view merge_key,
                  const Where* at) {
  // Deletions are not ordered. Other directive elements are passed over while the order list
  // lasts, so one that trails the last ordered element fails the check, as in Kubernetes.
  std::vector<const Json*> listed;
  for (const Json& e : patch) {
    const JsonObject* obj = e.if_object();
    if (!merge_key.empty() && obj == nullptr) {
      return Invalid(at, "the list's elements must be objects");
    }
    const Json* directive = obj != nullptr ? obj->if_contains(kPatch) : nullptr;
    if (!merge_key.empty() && directive != nullptr && Is(*directive, "delete")) continue;
    listed.push_back(&e);
  }
  auto same = [&](const Json& a, const Json& b) -> Result<bool> {
    if (merge_key.empty()) return Same(a, b);
    const JsonObject* ao = a.if_object();
    const JsonObject* bo = b.if_object();
    const Json* ak = ao ? ao->if_contains(merge_key) : nullptr;
    const Json* bk = bo ? bo->if_contains(merge_key) : nullptr;
    if (ak == nullptr || bk == nullptr) {
      return Invalid(at, fmt::format("an element has no merge key \"{}\"", merge_key));
    }
    return Same(*ak, *bk);
  };
  size_t p = 0;
  for (size_t o = 0; p < listed.size() && o < order.size();) {
    const JsonObject* obj = listed[p]->if_object();
    if (obj != nullptr && obj->contains(kPatch)) {
      ++p;
      continue;
    }
    KSTACK_ASSIGN_OR_RETURN(bool equal, same(*listed[p], order[o]));
    if (equal) ++p;
    ++o;
  }
  if (p < listed.size()) {
    return Invalid(at, "the patch's list is not in the order $setElementOrder gives");
  }
  return Status::Ok();
}

// Applies "$setElementOrder/<field>": merges the field's list when the patch holds it too, then
// orders it. Adds the field to `done` when the list is settled.
Status SetElementOrder(JsonObject& original, const JsonObject& patch, std::string_view directive,
                       const Json& order_value, const Schema* schema, const Where* at,
                       std::vector<std::string_view>* done) {
  Where here{at, directive};
  KSTACK_ASSIGN_OR_RETURN(std::string_view field,
                          DirectiveField(directive, kSetElementOrder, &here));
  const JsonArray* order = order_value.if_array();
  if (order == nullptr) return Invalid(&here, "must be a list");
  const Json* current = original.if_contains(field);
  const Json* patch_value = patch.if_contains(field);
  if (current != nullptr && !current->is_array()) {
    return Invalid(&here, fmt::format("\"{}\" is not a list in the original", field));
  }
  if (patch_value != nullptr && !patch_value->is_array()) {
    return Invalid(&here, fmt::format("\"{}\" is not a list in the patch", field));
  }
  FieldPatch meta = Meta(FieldSchema(schema, field));
  if (patch_value != nullptr) {
    KSTACK_RETURN_IF_ERROR(CheckOrder(patch_value->get_array(), *order, meta.merge_key, &here));
  }

  JsonArray merged;
  if (current != nullptr && patch_value != nullptr && meta.merge) {
    merged = current->get_array();
    Where list_at{at, field};
    KSTACK_RETURN_IF_ERROR(MergeList(merged, patch_value->get_array(), meta, false, &list_at));
  } else if (patch_value != nullptr) {
    merged = Fresh(*patch_value)->get_array();
  } else if (current != nullptr) {
    merged = current->get_array();
  } else {
    return Status::Ok();
  }
  std::vector<const Json*> server;
  if (current != nullptr) server = Pointers(current->get_array());
  KSTACK_ASSIGN_OR_RETURN(JsonArray arranged, Arrange(std::move(merged), Pointers(*order), server,
                                                      meta.merge_key, &here));
  original.insert_or_assign(field, std::move(arranged));
  done->push_back(field);
  return Status::Ok();
}

// Applies "$retainKeys": checks the patch against it, then drops the unlisted keys.
Status RetainKeys(JsonObject& original, const JsonObject& patch, const Json& keys,
                  const Where* at) {
  Where here{at, kRetainKeys};
  const JsonArray* list = keys.if_array();
  if (list == nullptr) return Invalid(&here, "must be a list of field names");
  auto listed = [&](std::string_view key) {
    return std::any_of(list->begin(), list->end(),
                       [&](const Json& k) { return k.is_string() && k.get_string() == key; });
  };
  for (const auto& m : patch) {
    if (m.value().is_null() || m.key() == kRetainKeys || m.key().starts_with(kSetElementOrder) ||
        m.key().starts_with(kDeleteFromPrimitiveList)) {
      continue;
    }
    if (!listed(m.key())) {
      return Invalid(&here, fmt::format("the patch sets \"{}\", which it does not list",
                                        std::string_view(m.key())));
    }
  }
  std::vector<std::string> drop;
  for (const auto& m : original) {
    if (!listed(m.key())) drop.emplace_back(m.key());
  }
  for (const std::string& k : drop) original.erase(k);
  return Status::Ok();
}

Status MergeObject(JsonObject& original, const JsonObject& patch, const Schema* schema,
                   const Where* at) {
  if (const Json* directive = patch.if_contains(kPatch)) {
    Where here{at, kPatch};
    if (Is(*directive, "replace")) {
      JsonObject rest;
      for (const auto& m : patch) {
        if (m.key() != kPatch) rest.emplace(m.key(), m.value());
      }
      original = std::move(Fresh(Json(std::move(rest)))->get_object());
      return Status::Ok();
    }
    if (Is(*directive, "delete")) {
      original.clear();
      return Status::Ok();
    }
    if (Is(*directive, "merge")) {
      return Invalid(&here, "$patch merge is not supported in an object (objects merge anyway)");
    }
    return Invalid(&here, fmt::format("unknown $patch directive {}", WriteJson(*directive)));
  }
  if (const Json* keys = patch.if_contains(kRetainKeys)) {
    KSTACK_RETURN_IF_ERROR(RetainKeys(original, patch, *keys, at));
  }
  std::vector<std::string_view> ordered;
  for (const auto& m : patch) {
    if (m.key().starts_with(kSetElementOrder)) {
      KSTACK_RETURN_IF_ERROR(
          SetElementOrder(original, patch, m.key(), m.value(), schema, at, &ordered));
    }
  }

  for (const auto& m : patch) {
    std::string_view key = m.key();
    if (key == kRetainKeys || key.starts_with(kSetElementOrder) ||
        std::find(ordered.begin(), ordered.end(), key) != ordered.end()) {
      continue;
    }
    Where here{at, key};
    bool delete_list = key.starts_with(kDeleteFromPrimitiveList);
    if (delete_list) {
      KSTACK_ASSIGN_OR_RETURN(key, DirectiveField(key, kDeleteFromPrimitiveList, &here));
    }
    const Json& value = m.value();
    if (value.is_null()) {
      original.erase(key);
      continue;
    }
    Json* current = original.if_contains(key);
    if (current == nullptr || KindOf(*current) != KindOf(value) ||
        !(value.is_object() || value.is_array())) {
      if (!delete_list) SetFresh(original, key, value);
      continue;
    }
    const Schema* field = FieldSchema(schema, key);
    FieldPatch meta = Meta(field);
    if (value.is_object()) {
      if (meta.replace) {
        JsonObject replaced;
        KSTACK_RETURN_IF_ERROR(MergeObject(replaced, value.get_object(), field, &here));
        *current = std::move(replaced);
      } else {
        KSTACK_RETURN_IF_ERROR(
            MergeObject(current->get_object(), value.get_object(), field, &here));
      }
    } else if (meta.merge || delete_list) {
      KSTACK_RETURN_IF_ERROR(
          MergeList(current->get_array(), value.get_array(), meta, delete_list, &here));
    } else {
      SetFresh(original, key, value);
    }
  }
  return Status::Ok();
}

}  // namespace

Result<Json> ApplyStrategicMergePatch(const Json& original, const Json& patch,
                                      const Schema* schema) {
  if (!patch.is_object()) {
    return BadRequestError(fmt::format(
        "strategic merge patch: the patch must be a JSON object, not {}", JsonKindName(patch)));
  }
  if (!original.is_object() && !original.is_null()) {
    return BadRequestError(
        fmt::format("strategic merge patch: the original must be a JSON object, not {}",
                    JsonKindName(original)));
  }
  Json result = original.is_null() ? Json(JsonObject()) : original;
  KSTACK_RETURN_IF_ERROR(MergeObject(result.get_object(), patch.get_object(), schema, nullptr));
  return result;
}

}  // namespace kstack::machinery
