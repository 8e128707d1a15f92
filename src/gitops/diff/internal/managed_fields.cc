#include "gitops/diff/internal/managed_fields.h"

#include <algorithm>

#include "gitops/diff/internal/json_util.h"

namespace kstack::gitops::diff::internal {
namespace {

bool ParseStep(std::string_view name, ManagedStep* step) {
  if (name.size() < 2 || name[1] != ':') return false;
  std::string_view rest = name.substr(2);
  switch (name[0]) {
    case 'f':
      step->kind = ManagedStep::Kind::kField;
      step->field = std::string(rest);
      return true;
    case 'k':
    case 'v': {
      Result<Json> v = ParseJson(rest, "fieldsV1");
      if (!v.ok()) return false;
      if (name[0] == 'k' && !v->is_object()) return false;
      step->kind = name[0] == 'k' ? ManagedStep::Kind::kKey : ManagedStep::Kind::kValue;
      step->value = std::move(*v);
      return true;
    }
    case 'i': {
      if (rest.empty() || rest.size() > 18) return false;
      int64_t n = 0;
      for (char c : rest) {
        if (c < '0' || c > '9') return false;
        n = n * 10 + (c - '0');
      }
      step->kind = ManagedStep::Kind::kIndex;
      step->index = n;
      return true;
    }
    default:
      return false;
  }
}

void CollectLeaves(const Json& node, ManagedPath* prefix, std::vector<ManagedPath>* out) {
  bool has_children = false;
  if (node.is_object()) {
    for (const auto& member : node.get_object()) {
      if (member.key() == ".") continue;
      ManagedStep step;
      if (!ParseStep(member.key(), &step)) continue;
      has_children = true;
      prefix->push_back(std::move(step));
      CollectLeaves(member.value(), prefix, out);
      prefix->pop_back();
    }
  }
  if (!has_children && !prefix->empty()) out->push_back(*prefix);
}

bool KeyMatches(const Json& element, const Json& key) {
  if (!element.is_object()) return false;
  for (const auto& field : key.get_object()) {
    const Json* v = element.get_object().if_contains(field.key());
    if (v == nullptr || !Equivalent(*v, field.value())) return false;
  }
  return true;
}

// The index of the element `step` names in `list`; -1 when none.
int64_t ElementIndex(const JsonArray& list, const ManagedStep& step) {
  for (size_t i = 0; i < list.size(); ++i) {
    if (step.kind == ManagedStep::Kind::kKey && KeyMatches(list[i], step.value)) {
      return static_cast<int64_t>(i);
    }
    if (step.kind == ManagedStep::Kind::kValue && Equivalent(list[i], step.value)) {
      return static_cast<int64_t>(i);
    }
  }
  if (step.kind == ManagedStep::Kind::kIndex && step.index < static_cast<int64_t>(list.size())) {
    return step.index;
  }
  return -1;
}

const Json* StepInto(const Json& v, const ManagedStep& step) {
  if (step.kind == ManagedStep::Kind::kField) {
    return v.is_object() ? v.get_object().if_contains(step.field) : nullptr;
  }
  if (!v.is_array()) return nullptr;
  int64_t i = ElementIndex(v.get_array(), step);
  return i < 0 ? nullptr : &v.get_array()[static_cast<size_t>(i)];
}

}  // namespace

std::vector<const Json*> FieldSetsOf(const Json& managed_fields,
                                     const std::vector<std::string>& managers,
                                     std::string_view operation) {
  std::vector<const Json*> out;
  if (!managed_fields.is_array()) return out;
  for (const Json& entry : managed_fields.get_array()) {
    std::string_view manager = FindString(entry, "manager");
    if (std::find(managers.begin(), managers.end(), manager) == managers.end()) continue;
    if (!operation.empty() && FindString(entry, "operation") != operation) continue;
    if (const Json* fields = FindMember(entry, "fieldsV1"); fields && fields->is_object()) {
      out.push_back(fields);
    }
  }
  return out;
}

std::vector<ManagedPath> LeafPaths(const Json& fields_v1) {
  std::vector<ManagedPath> out;
  ManagedPath prefix;
  CollectLeaves(fields_v1, &prefix, &out);
  return out;
}

const Json* Resolve(const Json& object, const ManagedPath& path) {
  const Json* v = &object;
  for (const ManagedStep& step : path) {
    v = StepInto(*v, step);
    if (v == nullptr) return nullptr;
  }
  return v;
}

bool Remove(Json& object, const ManagedPath& path) {
  if (path.empty()) return false;
  ManagedPath parent_path(path.begin(), path.end() - 1);
  Json* parent = const_cast<Json*>(Resolve(object, parent_path));
  if (parent == nullptr) return false;
  const ManagedStep& last = path.back();
  if (last.kind == ManagedStep::Kind::kField) {
    return parent->is_object() && parent->get_object().erase(last.field) > 0;
  }
  if (!parent->is_array()) return false;
  int64_t i = ElementIndex(parent->get_array(), last);
  if (i < 0) return false;
  parent->get_array().erase(parent->get_array().begin() + i);
  return true;
}

Json AppliedSkeleton(const Json& fields_v1) {
  if (!fields_v1.is_object()) return true;
  JsonObject object;
  JsonArray list;
  bool is_list = false;
  for (const auto& member : fields_v1.get_object()) {
    ManagedStep step;
    if (member.key() == "." || !ParseStep(member.key(), &step)) continue;
    switch (step.kind) {
      case ManagedStep::Kind::kField:
        object[step.field] = AppliedSkeleton(member.value());
        break;
      case ManagedStep::Kind::kKey: {
        is_list = true;
        // The key identifies the element; only the f: children are fields the manager set (a
        // key field it left to its default, such as a port's protocol, is not one).
        Json element = AppliedSkeleton(member.value());
        if (!element.is_object()) element = JsonObject();
        element.get_object()[kSkeletonKeys] = std::move(step.value);
        list.push_back(std::move(element));
        break;
      }
      case ManagedStep::Kind::kValue:
        is_list = true;
        list.push_back(step.value);
        break;
      case ManagedStep::Kind::kIndex:
        is_list = true;  // an element by position says nothing about which one it was
        break;
    }
  }
  if (is_list) return list;
  if (object.empty()) return true;
  return object;
}

}  // namespace kstack::gitops::diff::internal
