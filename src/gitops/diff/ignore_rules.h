#pragma once

// ignoreDifferences, compiled: the rules of an Application and of the system settings, ready to
// apply to the objects of a comparison.
//
// A rule applies to a resource when its group and kind globs match the resource's and its name
// and namespace, when set, are the resource's. Applying the matching rules to an object removes
// what their JSON pointers and jq path expressions name (a pointer or expression that finds
// nothing, or on which jq fails, removes nothing, as Argo CD skips it); then, when at least one
// such rule matched, empty objects and lists left anywhere in the object are removed too, so that
// removing the last key of a map does not leave a difference between `{}` and nothing. The
// managers a rule trusts (managedFieldsManagers) are read by the comparison itself (diff.h).

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/json.h"
#include "core/result.h"
#include "gitops/diff/resource_key.h"
#include "gitops/diff/settings.h"

namespace kstack::gitops::diff {

namespace internal {
class JqPathExpression;
}

class IgnoreRules {
 public:
  IgnoreRules() = default;  // no rules

  // Compiles rules (an Application's and the system's together, in any order).
  // Errors: kInvalid naming the rule and the JSON pointer or jq expression that does not parse.
  static Result<IgnoreRules> Compile(std::span<const ResourceIgnoreDifferences> rules);

  bool empty() const { return rules_.empty(); }

  // Removes the ignored fields from `object`, the resource `key`; true when a rule with pointers
  // or expressions matched it (and so empty containers were removed as well).
  bool Apply(const ResourceKey& key, Json& object) const;

  // The managedFieldsManagers of every rule matching `key`, without repeats.
  std::vector<std::string> TrustedManagers(const ResourceKey& key) const;

  // Thread safety: a compiled IgnoreRules is immutable; Apply and TrustedManagers may run on
  // any number of threads at once.

 private:
  struct Rule {
    std::string group, kind, name, ns;
    std::vector<std::vector<std::string>> pointers;  // parsed JSON pointers
    std::vector<std::shared_ptr<const internal::JqPathExpression>> expressions;
    std::vector<std::string> managers;
    bool Matches(const ResourceKey& key) const;
  };
  std::vector<Rule> rules_;
};

}  // namespace kstack::gitops::diff
