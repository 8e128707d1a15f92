#pragma once

// A set of field paths of an object, as server-side apply tracks ownership, with its `FieldsV1`
// encoding (metadata.managedFields[].fieldsV1). A path is a sequence of elements, each written as
// Kubernetes writes it:
//   f:<name>            a field of an object ("f:spec", "f:replicas", "f:app" of labels)
//   k:{"name":"nginx"}  the item of a map list with these key values (keys sorted by name)
//   v:"a"               the item of a set list with this value
//   i:<n>               an item by position (only read: kstack never writes one)
// The set is a trie: every node may itself be in the set (a member) and have children. In
// FieldsV1 a member without children is `{}`, a member with children carries a "." key.
//
// A value type; not thread-safe for concurrent mutation, safe to read from many threads.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "core/result.h"

namespace kstack::machinery {

class FieldSet {
 public:
  FieldSet() = default;

  bool empty() const { return !member_ && children_.empty(); }
  bool member() const { return member_; }
  void set_member(bool member) { member_ = member; }
  // Children by their encoded element ("f:spec").
  const std::map<std::string, FieldSet, std::less<>>& children() const { return children_; }
  // The child for `element`, created when absent.
  FieldSet& Child(std::string_view element);
  // The child for `element`; null when absent.
  const FieldSet* Find(std::string_view element) const;

  // Adds the path `elements` as a member.
  void Insert(const std::vector<std::string>& elements);
  bool Has(const std::vector<std::string>& elements) const;

  FieldSet Union(const FieldSet& other) const;
  FieldSet Intersection(const FieldSet& other) const;
  // The members of this set that are not members of `other`.
  FieldSet Difference(const FieldSet& other) const;
  // Drops whole subtrees: every path of this set under a member of `other` (and that member).
  FieldSet RecursiveDifference(const FieldSet& other) const;

  // The members of this set at or under a member of `prefixes`.
  FieldSet Within(const FieldSet& prefixes) const;

  // Every member path, in order, as Kubernetes prints them in conflicts:
  // ".spec.replicas", ".spec.containers[name=\"nginx\"].image", ".metadata.finalizers[=\"a\"]".
  std::vector<std::string> PathStrings() const;

  // FieldsV1 JSON (keys sorted as Kubernetes sorts them: "." first, then f:, k:, v:, i:).
  Json ToJson() const;
  // Reads FieldsV1. Errors: kBadRequest naming the element that is not an object or not a
  // valid path element.
  static Result<FieldSet> FromJson(const Json& fields_v1);

  // Drops children left empty by edits through Child().
  void Prune();

  friend bool operator==(const FieldSet& a, const FieldSet& b) {
    return a.member_ == b.member_ && a.children_ == b.children_;
  }

 private:
  void AppendPaths(const std::string& prefix, std::vector<std::string>* out) const;

  bool member_ = false;
  std::map<std::string, FieldSet, std::less<>> children_;
};

// The encoded path elements.
std::string FieldElement(std::string_view name);  // f:name
// k:{...} from the key fields of a map list item (an object of key name → value).
std::string KeyElement(const JsonObject& keys);
std::string ValueElement(const Json& value);  // v:<json>

// One path element as Kubernetes prints it in a path: ".name", "[name=\"x\"]", "[=\"a\"]".
std::string ElementString(std::string_view element);

}  // namespace kstack::machinery
