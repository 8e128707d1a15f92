#pragma once

// The types the server serves at a moment: the built-in table plus one entry per served version
// of every established CustomResourceDefinition. Discovery, OpenAPI, routing and the object
// registry all read the same immutable snapshot, which is replaced whole when a CRD is
// created, changed or deleted; a request keeps the snapshot it started with alive for as long
// as it needs it (a watch, for its whole life).
//
// Thread safety: TypeSet is immutable; TypeCatalog's methods may be called from any thread.

#include <deque>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "machinery/resource_types.h"
#include "machinery/schema.h"

namespace kstack::server {

using machinery::ResourceType;

// A column of a custom resource's `kubectl get` table (additionalPrinterColumns).
struct PrinterColumn {
  std::string name;
  std::string type;  // integer, number, string, boolean, date
  std::string format;
  std::string description;
  int priority = 0;
  std::string json_path;  // ".spec.replicas"
};

// What the server knows of a custom resource type beyond its ResourceType.
struct CustomType {
  std::string crd_name;                         // "widgets.example.com"
  const machinery::Schema* schema = nullptr;    // this version's structural schema
  std::vector<PrinterColumn> printer_columns;   // empty: NAME and AGE
  bool storage = false;                         // the version objects are stored in
};

class TypeSet {
 public:
  // The built-in types only.
  TypeSet();
  // The built-in types and the served versions of `crds` (CustomResourceDefinition objects
  // whose Established condition is True; others are skipped).
  explicit TypeSet(std::span<const Json> crds);
  TypeSet(const TypeSet&) = delete;
  TypeSet& operator=(const TypeSet&) = delete;

  // Every served type, grouped by group/version in discovery order: built-in groups first,
  // then custom groups by name, each group's versions by Kubernetes' version priority.
  std::span<const ResourceType> types() const { return types_; }

  const ResourceType* FindResource(std::string_view group, std::string_view version,
                                   std::string_view resource) const;
  const ResourceType* FindKind(std::string_view group, std::string_view version,
                               std::string_view kind) const;
  // The custom part of a type of this set; null for built-in types (and for pointers that are
  // not into this set).
  const CustomType* Custom(const ResourceType* type) const;

 private:
  void AddCrd(const Json& crd);
  std::string_view Keep(std::string_view text);
  std::span<const std::string_view> KeepList(const Json* array);

  std::vector<ResourceType> types_;
  std::vector<CustomType> custom_;  // parallel to types_; default for built-in types
  std::deque<std::string> strings_;
  std::deque<std::vector<std::string_view>> lists_;
  std::vector<std::unique_ptr<machinery::SchemaSet>> schemas_;
};

class TypeCatalog {
 public:
  TypeCatalog() : current_(std::make_shared<const TypeSet>()) {}
  std::shared_ptr<const TypeSet> Current() const {
    std::lock_guard lock(mu_);
    return current_;
  }
  void Replace(std::shared_ptr<const TypeSet> types) {
    std::lock_guard lock(mu_);
    current_ = std::move(types);
  }

 private:
  mutable std::mutex mu_;
  std::shared_ptr<const TypeSet> current_;
};

// Kubernetes' ordering of API versions: GA before beta before alpha, higher numbers first,
// then anything else by name ("v1" < "v1beta2" < "v1beta1" < "v1alpha1" < "foo").
bool VersionPriorityLess(std::string_view a, std::string_view b);

}  // namespace kstack::server
