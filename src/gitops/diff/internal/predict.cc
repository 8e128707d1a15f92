#include "gitops/diff/internal/predict.h"

#include <algorithm>
#include <span>
#include <string>
#include <vector>

#include "gitops/diff/internal/json_util.h"
#include "gitops/diff/internal/managed_fields.h"
#include "gitops/diff/internal/schema_index.h"

namespace kstack::gitops::diff::internal {
namespace {

using machinery::Schema;

enum class ListKind { kAtomic, kKeyed, kSet };

struct ListStrategy {
  ListKind kind = ListKind::kAtomic;
  std::span<const std::string> keys;  // kKeyed; strings the schema owns
};

ListStrategy StrategyOf(const Schema* s) {
  ListStrategy out;
  if (s == nullptr) return out;
  if (s->list_type == "map" && !s->list_map_keys.empty()) {
    out.kind = ListKind::kKeyed;
    out.keys = s->list_map_keys;
    return out;
  }
  if (s->list_type == "set") {
    out.kind = ListKind::kSet;
    return out;
  }
  if (s->list_type == "atomic") return out;
  if (s->patch_strategy.find("merge") == std::string::npos) return out;
  if (s->patch_merge_key.empty()) {
    out.kind = ListKind::kSet;
    return out;
  }
  out.kind = ListKind::kKeyed;
  out.keys = std::span<const std::string>(&s->patch_merge_key, 1);
  return out;
}

// Whether two list elements are the same element: keys both set must agree, and at least one
// must be set on both.
// The key field `key` of a list element; a skeleton's element (managed_fields.h) keeps its key
// apart from its fields.
const Json* KeyField(const JsonObject& element, std::string_view key) {
  if (const Json* keys = element.if_contains(kSkeletonKeys); keys && keys->is_object()) {
    return keys->get_object().if_contains(key);
  }
  return element.if_contains(key);
}

bool SameElement(const Json& a, const Json& b, const ListStrategy& strategy) {
  if (strategy.kind == ListKind::kSet) return Equivalent(a, b);
  if (!a.is_object() || !b.is_object()) return false;
  bool any = false;
  for (const std::string& key : strategy.keys) {
    const Json* x = KeyField(a.get_object(), key);
    const Json* y = KeyField(b.get_object(), key);
    if (x == nullptr || y == nullptr) continue;
    if (!Equivalent(*x, *y)) return false;
    any = true;
  }
  return any;
}

const Json* FindElement(const JsonArray& list, const Json& element, const ListStrategy& strategy,
                        std::vector<bool>* used = nullptr) {
  for (size_t i = 0; i < list.size(); ++i) {
    if (used != nullptr && (*used)[i]) continue;
    if (SameElement(list[i], element, strategy)) {
      if (used != nullptr) (*used)[i] = true;
      return &list[i];
    }
  }
  return nullptr;
}

// Each step sets *changed when it makes `live` differ from what it was, so that an object in
// sync needs no comparison afterwards.
void Merge(Json& live, const Json& desired, const Json* last, const Schema* s, bool* changed);

void MergeObject(JsonObject& live, const JsonObject& desired, const Json* last, const Schema* s,
                 bool* changed) {
  const JsonObject* last_object =
      last != nullptr && last->is_object() ? &last->get_object() : nullptr;
  SchemaFields fields(s);
  for (const auto& member : desired) {
    Json* live_value = live.if_contains(member.key());
    if (live_value == nullptr) {
      if (!IsEmptyContainer(member.value())) {
        live[member.key()] = member.value();
        *changed = true;
      }
      continue;
    }
    const Json* last_value = last_object ? last_object->if_contains(member.key()) : nullptr;
    Merge(*live_value, member.value(), last_value, fields.Of(member.key()), changed);
  }
  if (last_object != nullptr) {
    for (const auto& member : *last_object) {
      if (!desired.contains(member.key()) && live.erase(member.key()) > 0) *changed = true;
    }
  }
}

void MergeList(Json& live_value, const JsonArray& desired, const Json* last, const Schema* s,
               bool* changed) {
  JsonArray& live = live_value.get_array();
  const Schema* items = s != nullptr ? s->items : nullptr;
  const JsonArray* last_list = last != nullptr && last->is_array() ? &last->get_array() : nullptr;
  ListStrategy strategy = StrategyOf(s);

  if (strategy.kind == ListKind::kAtomic) {
    if (live.size() != desired.size()) {
      live_value = desired;
      *changed = true;
      return;
    }
    bool pairs_with_last = last_list != nullptr && last_list->size() == desired.size();
    for (size_t i = 0; i < desired.size(); ++i) {
      Merge(live[i], desired[i], pairs_with_last ? &(*last_list)[i] : nullptr, items, changed);
    }
    return;
  }

  // Desired elements in the desired order, each merged into its live element.
  std::vector<bool> live_used(live.size(), false);
  std::vector<ptrdiff_t> live_slot(live.size(), -1);  // where a matched live element went
  std::vector<ptrdiff_t> origin;  // the live index of each merged element; -1 for a new one
  origin.reserve(desired.size());
  JsonArray merged(live.storage());
  merged.reserve(desired.size());
  for (const Json& element : desired) {
    const Json* match = FindElement(live, element, strategy, &live_used);
    if (match == nullptr) {
      merged.push_back(element);
      origin.push_back(-1);
      continue;
    }
    size_t index = static_cast<size_t>(match - live.data());
    live_slot[index] = static_cast<ptrdiff_t>(merged.size());
    origin.push_back(static_cast<ptrdiff_t>(index));
    if (strategy.kind == ListKind::kSet) {
      merged.push_back(element);
      continue;
    }
    const Json* last_element = last_list ? FindElement(*last_list, element, strategy) : nullptr;
    Merge(live[index], element, last_element, items, changed);
    merged.push_back(std::move(live[index]));
  }
  // Live-only elements survive unless the last applied configuration had them, each after the
  // element it followed in the live list (or first, when it led the list).
  std::vector<std::vector<size_t>> after(merged.size() + 1);
  size_t anchor = 0;
  for (size_t i = 0; i < live.size(); ++i) {
    if (live_used[i]) {
      anchor = static_cast<size_t>(live_slot[i]) + 1;
      continue;
    }
    if (last_list != nullptr && FindElement(*last_list, live[i], strategy) != nullptr) {
      *changed = true;  // removed from Git: the apply removes it
      continue;
    }
    after[anchor].push_back(i);
  }
  JsonArray out(live.storage());
  out.reserve(merged.size() + live.size());
  ptrdiff_t previous = -1;  // the live index last placed: live order kept when they only grow
  auto place_survivors = [&](size_t slot) {
    for (size_t i : after[slot]) {
      if (static_cast<ptrdiff_t>(i) < previous) *changed = true;
      previous = static_cast<ptrdiff_t>(i);
      out.push_back(std::move(live[i]));
    }
  };
  place_survivors(0);
  for (size_t j = 0; j < merged.size(); ++j) {
    if (origin[j] < 0 || origin[j] < previous) *changed = true;
    previous = std::max(previous, origin[j]);
    out.push_back(std::move(merged[j]));
    place_survivors(j + 1);
  }
  live = std::move(out);
}

void Merge(Json& live, const Json& desired, const Json* last, const Schema* s, bool* changed) {
  if (live.is_object() && desired.is_object()) {
    MergeObject(live.get_object(), desired.get_object(), last, s, changed);
  } else if (live.is_array() && desired.is_array()) {
    MergeList(live, desired.get_array(), last, s, changed);
  } else if (!Equivalent(live, desired)) {
    live = desired;
    *changed = true;
  }
}

}  // namespace

bool PredictLive(Json& live, const Json& desired, const Json* last_applied,
                 const machinery::Schema* schema) {
  bool changed = false;
  Merge(live, desired, last_applied, schema, &changed);
  return changed;
}

}  // namespace kstack::gitops::diff::internal
