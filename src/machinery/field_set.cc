#include "machinery/field_set.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

namespace kstack::machinery {
namespace {

// Kubernetes orders path elements by kind (field names, keys, values, indexes), then by value.
int KindRank(std::string_view element) {
  switch (element.empty() ? ' ' : element[0]) {
    case 'f':
      return 0;
    case 'k':
      return 1;
    case 'v':
      return 2;
    case 'i':
      return 3;
    default:
      return 4;
  }
}

bool ValidElement(std::string_view e) {
  if (e.size() < 2 || e[1] != ':') return false;
  switch (e[0]) {
    case 'f':
      return true;
    case 'k': {
      Result<Json> keys = ParseJson(e.substr(2));
      return keys.ok() && keys->is_object();
    }
    case 'v':
      return ParseJson(e.substr(2)).ok();
    case 'i':
      return e.size() > 2 &&
             std::all_of(e.begin() + 2, e.end(), [](char c) { return c >= '0' && c <= '9'; });
    default:
      return false;
  }
}

// A value as Kubernetes prints it inside a path: strings quoted, the rest as JSON.
std::string ValueText(const Json& v) {
  if (v.is_string()) return WriteJson(v, {.escape_html = false});
  return WriteJson(v, {.escape_html = false});
}

}  // namespace

FieldSet& FieldSet::Child(std::string_view element) {
  auto it = children_.find(element);
  if (it == children_.end()) it = children_.emplace(std::string(element), FieldSet()).first;
  return it->second;
}

const FieldSet* FieldSet::Find(std::string_view element) const {
  auto it = children_.find(element);
  return it == children_.end() ? nullptr : &it->second;
}

void FieldSet::Insert(const std::vector<std::string>& elements) {
  FieldSet* node = this;
  for (const std::string& e : elements) node = &node->Child(e);
  node->member_ = true;
}

bool FieldSet::Has(const std::vector<std::string>& elements) const {
  const FieldSet* node = this;
  for (const std::string& e : elements) {
    node = node->Find(e);
    if (node == nullptr) return false;
  }
  return node->member_;
}

void FieldSet::Prune() {
  for (auto it = children_.begin(); it != children_.end();) {
    it->second.Prune();
    it = it->second.empty() ? children_.erase(it) : std::next(it);
  }
}

FieldSet FieldSet::Union(const FieldSet& other) const {
  FieldSet out = *this;
  out.member_ = member_ || other.member_;
  for (const auto& [k, child] : other.children_) {
    FieldSet& mine = out.Child(k);
    mine = mine.Union(child);
  }
  return out;
}

FieldSet FieldSet::Intersection(const FieldSet& other) const {
  FieldSet out;
  out.member_ = member_ && other.member_;
  for (const auto& [k, child] : children_) {
    if (const FieldSet* theirs = other.Find(k)) {
      FieldSet both = child.Intersection(*theirs);
      if (!both.empty()) out.children_.emplace(k, std::move(both));
    }
  }
  return out;
}

FieldSet FieldSet::Difference(const FieldSet& other) const {
  FieldSet out;
  out.member_ = member_ && !other.member_;
  for (const auto& [k, child] : children_) {
    const FieldSet* theirs = other.Find(k);
    FieldSet rest = theirs ? child.Difference(*theirs) : child;
    if (!rest.empty()) out.children_.emplace(k, std::move(rest));
  }
  return out;
}

FieldSet FieldSet::RecursiveDifference(const FieldSet& other) const {
  if (other.member_) return FieldSet();
  FieldSet out;
  out.member_ = member_;
  for (const auto& [k, child] : children_) {
    const FieldSet* theirs = other.Find(k);
    FieldSet rest = theirs ? child.RecursiveDifference(*theirs) : child;
    if (!rest.empty()) out.children_.emplace(k, std::move(rest));
  }
  return out;
}

FieldSet FieldSet::Within(const FieldSet& prefixes) const {
  if (prefixes.member_) return *this;
  FieldSet out;
  for (const auto& [k, child] : children_) {
    if (const FieldSet* theirs = prefixes.Find(k)) {
      FieldSet under = child.Within(*theirs);
      if (!under.empty()) out.children_.emplace(k, std::move(under));
    }
  }
  return out;
}

std::vector<std::string> FieldSet::PathStrings() const {
  std::vector<std::string> out;
  AppendPaths("", &out);
  return out;
}

void FieldSet::AppendPaths(const std::string& prefix, std::vector<std::string>* out) const {
  if (member_) out->push_back(prefix);
  std::vector<const std::pair<const std::string, FieldSet>*> sorted;
  for (const auto& kv : children_) sorted.push_back(&kv);
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](auto* a, auto* b) { return KindRank(a->first) < KindRank(b->first); });
  for (const auto* kv : sorted) kv->second.AppendPaths(prefix + ElementString(kv->first), out);
}

Json FieldSet::ToJson() const {
  JsonObject obj;
  if (member_ && !children_.empty()) obj["."] = JsonObject();
  std::vector<const std::pair<const std::string, FieldSet>*> sorted;
  for (const auto& kv : children_) sorted.push_back(&kv);
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](auto* a, auto* b) { return KindRank(a->first) < KindRank(b->first); });
  for (const auto* kv : sorted) obj[kv->first] = kv->second.ToJson();
  return obj;
}

Result<FieldSet> FieldSet::FromJson(const Json& fields_v1) {
  if (!fields_v1.is_object()) return BadRequestError("fieldsV1: must be an object");
  FieldSet out;
  const JsonObject& obj = fields_v1.get_object();
  if (obj.empty()) {
    out.member_ = true;
    return out;
  }
  for (const auto& kv : obj) {
    std::string_view key = kv.key();
    if (key == ".") {
      out.member_ = true;
      continue;
    }
    if (!ValidElement(key)) {
      return BadRequestError(fmt::format("fieldsV1: invalid path element {:?}", key));
    }
    Result<FieldSet> child = FromJson(kv.value());
    if (!child.ok()) return child.status().WithContext(std::string(key));
    out.children_.emplace(std::string(key), std::move(*child));
  }
  out.Prune();
  return out;
}

std::string FieldElement(std::string_view name) { return fmt::format("f:{}", name); }

std::string KeyElement(const JsonObject& keys) {
  return "k:" + WriteJson(Json(keys), {.escape_html = false, .sort_keys = true});
}

std::string ValueElement(const Json& value) {
  return "v:" + WriteJson(value, {.escape_html = false});
}

std::string ElementString(std::string_view element) {
  if (element.size() < 2) return std::string(element);
  std::string_view rest = element.substr(2);
  switch (element[0]) {
    case 'f':
      return fmt::format(".{}", rest);
    case 'i':
      return fmt::format("[{}]", rest);
    case 'v': {
      Result<Json> v = ParseJson(rest);
      return fmt::format("[={}]", v.ok() ? ValueText(*v) : std::string(rest));
    }
    case 'k': {
      Result<Json> v = ParseJson(rest);
      if (!v.ok() || !v->is_object()) return std::string(element);
      std::vector<std::string> parts;
      for (const auto& kv : v->get_object()) {
        parts.push_back(fmt::format("{}={}", std::string_view(kv.key()), ValueText(kv.value())));
      }
      std::sort(parts.begin(), parts.end());
      return fmt::format("[{}]", fmt::join(parts, ","));
    }
    default:
      return std::string(element);
  }
}

}  // namespace kstack::machinery
