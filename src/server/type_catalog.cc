#include "server/type_catalog.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <tuple>

#include "machinery/openapi_schema.h"

namespace kstack::server {
namespace {

// (kind rank, major, minor): GA 0, beta 1, alpha 2; not a Kubernetes version 3.
std::tuple<int, int, int> VersionKey(std::string_view v) {
  if (v.size() < 2 || v[0] != 'v' || !std::isdigit(static_cast<unsigned char>(v[1]))) {
    return {3, 0, 0};
  }
  int major = 0;
  auto [p, ec] = std::from_chars(v.data() + 1, v.data() + v.size(), major);
  std::string_view rest(p, v.data() + v.size() - p);
  if (rest.empty()) return {0, -major, 0};
  int rank;
  if (rest.starts_with("beta")) {
    rank = 1;
    rest.remove_prefix(4);
  } else if (rest.starts_with("alpha")) {
    rank = 2;
    rest.remove_prefix(5);
  } else {
    return {3, 0, 0};
  }
  int minor = 0;
  auto [q, ec2] = std::from_chars(rest.data(), rest.data() + rest.size(), minor);
  if (ec2 != std::errc() || q != rest.data() + rest.size()) return {3, 0, 0};
  return {rank, -major, -minor};
}

bool Established(const Json& crd) {
  const Json* status = FindMember(crd, "status");
  const JsonArray* conditions = status ? FindArray(*status, "conditions") : nullptr;
  if (conditions == nullptr) return false;
  for (const Json& c : *conditions) {
    if (FindString(c, "type") == "Established") return FindString(c, "status") == "True";
  }
  return false;
}

}  // namespace

bool VersionPriorityLess(std::string_view a, std::string_view b) {
  auto ka = VersionKey(a), kb = VersionKey(b);
  if (ka != kb) return ka < kb;
  return a < b;
}

TypeSet::TypeSet() : TypeSet(std::span<const Json>()) {}

TypeSet::TypeSet(std::span<const Json> crds) {
  auto builtin = machinery::BuiltinResourceTypes();
  types_.assign(builtin.begin(), builtin.end());
  custom_.resize(types_.size());
  std::vector<const Json*> sorted;
  for (const Json& crd : crds) {
    if (Established(crd)) sorted.push_back(&crd);
  }
  std::sort(sorted.begin(), sorted.end(), [](const Json* a, const Json* b) {
    return FindString(a->at("metadata"), "name") < FindString(b->at("metadata"), "name");
  });
  for (const Json* crd : sorted) AddCrd(*crd);
  // Custom groups by name, then versions by priority; stable keeps resources in CRD order.
  auto first_custom = types_.begin() + static_cast<std::ptrdiff_t>(builtin.size());
  std::vector<size_t> order(types_.size() - builtin.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = builtin.size() + i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (types_[a].group != types_[b].group) return types_[a].group < types_[b].group;
    if (types_[a].version != types_[b].version) {
      return VersionPriorityLess(types_[a].version, types_[b].version);
    }
    return false;
  });
  std::vector<ResourceType> types(first_custom, types_.end());
  std::vector<CustomType> custom(custom_.begin() + static_cast<std::ptrdiff_t>(builtin.size()),
                                 custom_.end());
  for (size_t i = 0; i < order.size(); ++i) {
    types_[builtin.size() + i] = types[order[i] - builtin.size()];
    custom_[builtin.size() + i] = std::move(custom[order[i] - builtin.size()]);
  }
}

std::string_view TypeSet::Keep(std::string_view text) { return strings_.emplace_back(text); }

std::span<const std::string_view> TypeSet::KeepList(const Json* array) {
  std::vector<std::string_view>& list = lists_.emplace_back();
  if (array != nullptr && array->is_array()) {
    for (const Json& v : array->get_array()) {
      if (v.is_string()) list.push_back(Keep(v.get_string()));
    }
  }
  return list;
}

void TypeSet::AddCrd(const Json& crd) {
  const Json* spec = FindMember(crd, "spec");
  const Json* names = spec ? FindMember(*spec, "names") : nullptr;
  const JsonArray* versions = spec ? FindArray(*spec, "versions") : nullptr;
  if (names == nullptr || versions == nullptr) return;
  std::string_view group = Keep(FindString(*spec, "group"));
  std::string_view kind = Keep(FindString(*names, "kind"));
  std::string_view plural = Keep(FindString(*names, "plural"));
  std::string singular(FindString(*names, "singular"));
  if (singular.empty()) {
    singular = std::string(kind);
    std::transform(singular.begin(), singular.end(), singular.begin(),
                   [](unsigned char c) { return std::tolower(c); });
  }
  std::string_view singular_kept = Keep(singular);
  auto short_names = KeepList(FindMember(*names, "shortNames"));
  auto categories = KeepList(FindMember(*names, "categories"));
  bool namespaced = FindString(*spec, "scope") != "Cluster";
  const ResourceType* configmaps = machinery::FindBuiltinResource("", "v1", "configmaps");
  std::string crd_name(FindString(crd.at("metadata"), "name"));
  for (const Json& v : *versions) {
    if (const Json* served = FindMember(v, "served"); served && served->is_bool() &&
                                                       !served->get_bool()) {
      continue;
    }
    std::string_view version = Keep(FindString(v, "name"));
    const Json* subresources = FindMember(v, "subresources");
    ResourceType type{.group = group,
                      .version = version,
                      .group_version = Keep(std::string(group) + "/" + std::string(version)),
                      .kind = kind,
                      .resource = plural,
                      .singular = singular_kept,
                      .namespaced = namespaced,
                      .short_names = short_names,
                      .categories = categories,
                      .verbs = configmaps->verbs,
                      .has_status = subresources && FindMember(*subresources, "status"),
                      .has_scale = false,
                      .uses_generation = true};
    CustomType custom{.crd_name = crd_name};
    if (const Json* storage = FindMember(v, "storage"); storage && storage->is_bool()) {
      custom.storage = storage->get_bool();
    }
    const Json* schema = FindMember(v, "schema");
    const Json* openapi = schema ? FindMember(*schema, "openAPIV3Schema") : nullptr;
    if (openapi != nullptr) {
      auto set = std::make_unique<machinery::SchemaSet>();
      std::vector<machinery::FieldError> errors;
      const machinery::Schema* root =
          machinery::ParseOpenApiV3Schema(*openapi, "openAPIV3Schema", set.get(), &errors);
      // The CRD was validated when it was written; a schema that no longer parses is not
      // enforced rather than refusing every object.
      if (errors.empty()) custom.schema = root;
      schemas_.push_back(std::move(set));
    }
    if (const JsonArray* columns = FindArray(v, "additionalPrinterColumns")) {
      for (const Json& c : *columns) {
        PrinterColumn column{.name = std::string(FindString(c, "name")),
                             .type = std::string(FindString(c, "type")),
                             .format = std::string(FindString(c, "format")),
                             .description = std::string(FindString(c, "description")),
                             .json_path = std::string(FindString(c, "jsonPath"))};
        if (const Json* p = FindMember(c, "priority"); p && p->is_int64()) {
          column.priority = static_cast<int>(p->get_int64());
        }
        custom.printer_columns.push_back(std::move(column));
      }
    }
    types_.push_back(type);
    custom_.push_back(std::move(custom));
  }
}

const ResourceType* TypeSet::FindResource(std::string_view group, std::string_view version,
                                          std::string_view resource) const {
  for (const ResourceType& t : types_) {
    if (t.resource == resource && t.group == group && t.version == version) return &t;
  }
  return nullptr;
}

const ResourceType* TypeSet::FindKind(std::string_view group, std::string_view version,
                                      std::string_view kind) const {
  for (const ResourceType& t : types_) {
    if (t.kind == kind && t.group == group && t.version == version) return &t;
  }
  return nullptr;
}

const CustomType* TypeSet::Custom(const ResourceType* type) const {
  if (type < types_.data() || type >= types_.data() + types_.size()) return nullptr;
  const CustomType& c = custom_[static_cast<size_t>(type - types_.data())];
  return c.crd_name.empty() ? nullptr : &c;
}

}  // namespace kstack::server
