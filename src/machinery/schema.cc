#include "machinery/schema.h"

namespace kstack::machinery {

const Schema* Schema::Property(std::string_view name) const {
  for (const auto& [key, schema] : properties) {
    if (key == name) return schema;
  }
  return nullptr;
}

const Schema* SchemaSet::Find(std::string_view name) const {
  auto it = named_.find(name);
  return it == named_.end() ? nullptr : it->second;
}

}  // namespace kstack::machinery
