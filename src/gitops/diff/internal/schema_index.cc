#include "gitops/diff/internal/schema_index.h"

#include <algorithm>
#include <unordered_map>

#include "machinery/builtin_schemas.h"

namespace kstack::gitops::diff::internal {
namespace {

struct Facts {
  bool sorted = false;  // properties in name order
  TypedPaths typed;
};

class Index {
 public:
  static const Index& Get() {
    static const Index* index = new Index();
    return *index;
  }

  const Facts* Find(const machinery::Schema* s) const {
    auto it = facts_.find(s);
    return it == facts_.end() ? nullptr : &it->second;
  }

 private:
  Index() {
    std::vector<const machinery::Schema*> pending;
    for (const auto& [name, schema] : machinery::BuiltinSchemas().named()) {
      pending.push_back(schema);
    }
    std::vector<const machinery::Schema*> all;
    while (!pending.empty()) {
      const machinery::Schema* s = pending.back();
      pending.pop_back();
      if (s == nullptr || facts_.count(s) > 0) continue;
      Facts facts;
      facts.typed.any = s->title == kQuantityDefinition || s->int_or_string;
      facts.sorted = std::is_sorted(s->properties.begin(), s->properties.end(),
                                    [](const auto& a, const auto& b) { return a.first < b.first; });
      facts_.emplace(s, std::move(facts));
      all.push_back(s);
      for (const auto& [field, child] : s->properties) pending.push_back(child);
      pending.push_back(s->items);
      pending.push_back(s->additional_properties);
    }
    // A schema is typed when a child is; repeat until nothing changes (schemas may refer to
    // themselves).
    auto typed = [this](const machinery::Schema* c) {
      return c != nullptr && facts_.at(c).typed.any;
    };
    for (bool changed = true; changed;) {
      changed = false;
      for (const machinery::Schema* s : all) {
        if (facts_.at(s).typed.any) continue;
        bool any = typed(s->items) || typed(s->additional_properties);
        for (const auto& [field, child] : s->properties) any = any || typed(child);
        if (any) facts_.at(s).typed.any = changed = true;
      }
    }
    for (const machinery::Schema* s : all) {
      TypedPaths& paths = facts_.at(s).typed;
      for (const auto& [field, child] : s->properties) {
        if (typed(child)) paths.properties.emplace_back(field, child);
      }
      std::sort(paths.properties.begin(), paths.properties.end());
      paths.items = typed(s->items);
      paths.additional = typed(s->additional_properties);
    }
  }

  std::unordered_map<const machinery::Schema*, Facts> facts_;
};

}  // namespace

SchemaFields::SchemaFields(const machinery::Schema* s) : s_(s) {
  if (s == nullptr) return;
  const Facts* facts = Index::Get().Find(s);
  sorted_ = facts != nullptr && facts->sorted;
}

const machinery::Schema* SchemaFields::Of(std::string_view field) const {
  if (s_ == nullptr) return nullptr;
  const machinery::Schema* property = nullptr;
  if (sorted_) {
    auto it = std::lower_bound(s_->properties.begin(), s_->properties.end(), field,
                               [](const auto& p, std::string_view f) { return p.first < f; });
    if (it != s_->properties.end() && it->first == field) property = it->second;
  } else {
    property = s_->Property(field);
  }
  return property != nullptr ? property : s_->additional_properties;
}

const TypedPaths* TypedPathsOf(const machinery::Schema* s) {
  const Facts* facts = Index::Get().Find(s);
  return facts == nullptr ? nullptr : &facts->typed;
}

}  // namespace kstack::gitops::diff::internal
