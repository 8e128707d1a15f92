#pragma once

// Label selectors (`-l`, `labelSelector=`, and metav1.LabelSelector in Deployments and
// ReplicaSets) and field selectors (`--field-selector`), parsed and matched as Kubernetes does.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "core/result.h"

namespace kstack::machinery {

class LabelSelector {
 public:
  enum class Op { kEquals, kNotEquals, kIn, kNotIn, kExists, kDoesNotExist, kGreaterThan,
                  kLessThan };
  struct Requirement {
    std::string key;
    Op op = Op::kExists;
    std::vector<std::string> values;  // sorted, for kIn/kNotIn; one value for the others
  };

  // Everything matches the empty selector.
  LabelSelector() = default;

  // Parses the text form: comma-separated requirements `k`, `!k`, `k=v`, `k==v`, `k!=v`,
  // `k in (a,b)`, `k notin (a,b)`, `k>1`, `k<1`. Keys must be qualified names and values label
  // values, as Kubernetes validates them. Errors: kBadRequest naming the requirement.
  static Result<LabelSelector> Parse(std::string_view text);

  // A metav1.LabelSelector object ({matchLabels, matchExpressions}). As in Kubernetes, an
  // empty object matches everything and null matches nothing.
  // Errors: kInvalid naming the field ("matchExpressions[0].operator: ...").
  static Result<LabelSelector> FromJson(const Json& selector);

  bool Matches(const std::map<std::string, std::string, std::less<>>& labels) const;
  // The labels of an object (metadata.labels); a missing or malformed map is no labels.
  bool MatchesObject(const Json& object) const;

  bool empty() const { return requirements_.empty() && !nothing_; }
  const std::vector<Requirement>& requirements() const { return requirements_; }

  // The canonical text form, requirements sorted by key ("app=web,tier in (a,b)").
  std::string ToString() const;

 private:
  std::vector<Requirement> requirements_;
  bool nothing_ = false;  // the selector of a null metav1.LabelSelector
};

class FieldSelector {
 public:
  struct Requirement {
    std::string field;
    bool equals = true;  // false for !=
    std::string value;
  };

  FieldSelector() = default;

  // Parses `f=v`, `f==v`, `f!=v`, comma-separated; `\` escapes `,`, `=`, `!` and itself.
  // Errors: kBadRequest.
  static Result<FieldSelector> Parse(std::string_view text);

  // Matches a set of field values (see FieldsOf). A field the set lacks never equals.
  bool Matches(const std::map<std::string, std::string, std::less<>>& fields) const;

  bool empty() const { return requirements_.empty(); }
  const std::vector<Requirement>& requirements() const { return requirements_; }

 private:
  std::vector<Requirement> requirements_;
};

// The fields a field selector may name for objects of `kind` (in `group`), with the object's
// values: metadata.name and metadata.namespace always, and per type what Kubernetes supports
// (Pod status.phase and spec.nodeName, Event involvedObject.*, Secret type, ...).
std::map<std::string, std::string, std::less<>> FieldsOf(std::string_view group,
                                                         std::string_view kind,
                                                         const Json& object);

// kBadRequest "field label not supported: x" when a selector names a field that `kind` does not
// support, as the API server answers.
Status CheckFieldsSupported(const FieldSelector& selector, std::string_view group,
                            std::string_view kind);

}  // namespace kstack::machinery
