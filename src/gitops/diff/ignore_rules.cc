#include "gitops/diff/ignore_rules.h"

#include <fmt/format.h>

#include <algorithm>

#include "gitops/diff/internal/glob.h"
#include "gitops/diff/internal/jq_paths.h"
#include "gitops/diff/internal/json_paths.h"
#include "gitops/diff/internal/json_util.h"
#include "machinery/json_pointer.h"

namespace kstack::gitops::diff {
namespace {

// A JSON pointer as a path: a token that reads as an index is one for arrays, a key for objects.
std::vector<internal::Path> PointerPaths(const Json& doc, const std::vector<std::string>& tokens) {
  internal::Path path;
  const Json* at = &doc;
  for (const std::string& token : tokens) {
    if (at != nullptr && at->is_array()) {
      bool digits = !token.empty() && std::all_of(token.begin(), token.end(),
                                                  [](char c) { return c >= '0' && c <= '9'; });
      if (!digits || (token.size() > 1 && token[0] == '0') || token.size() > 18) return {};
      path.emplace_back(static_cast<int64_t>(std::stoll(token)));
    } else {
      path.emplace_back(token);
    }
    at = at == nullptr ? nullptr : internal::ValueAt(*at, {path.back()});
    if (at == nullptr) return {};
  }
  return {path};
}

}  // namespace

bool IgnoreRules::Rule::Matches(const ResourceKey& key) const {
  return internal::GlobMatch(group, key.group) && internal::GlobMatch(kind, key.kind) &&
         (name.empty() || name == key.name) && (ns.empty() || ns == key.ns);
}

Result<IgnoreRules> IgnoreRules::Compile(std::span<const ResourceIgnoreDifferences> rules) {
  IgnoreRules out;
  for (const ResourceIgnoreDifferences& r : rules) {
    Rule rule{.group = r.group, .kind = r.kind, .name = r.name, .ns = r.ns};
    std::string what = fmt::format("ignoreDifferences for {}/{}", r.group, r.kind);
    for (const std::string& pointer : r.json_pointers) {
      Result<std::vector<std::string>> tokens = machinery::ParseJsonPointer(pointer);
      if (!tokens.ok()) return InvalidError(what + ": " + tokens.status().message());
      rule.pointers.push_back(std::move(*tokens));
    }
    for (const std::string& expression : r.jq_path_expressions) {
      auto compiled = internal::JqPathExpression::Compile(expression);
      if (!compiled.ok()) return InvalidError(what + ": " + compiled.status().message());
      rule.expressions.push_back(std::move(*compiled));
    }
    rule.managers = r.managed_fields_managers;
    out.rules_.push_back(std::move(rule));
  }
  return out;
}

bool IgnoreRules::Apply(const ResourceKey& key, Json& object) const {
  bool matched = false;
  for (const Rule& rule : rules_) {
    if ((rule.pointers.empty() && rule.expressions.empty()) || !rule.Matches(key)) continue;
    matched = true;
    for (const std::vector<std::string>& tokens : rule.pointers) {
      if (tokens.empty()) continue;  // "" names the whole object, which is never removed
      internal::RemovePaths(object, PointerPaths(object, tokens));
    }
    for (const auto& expression : rule.expressions) {
      Result<std::vector<internal::Path>> paths = expression->Paths(object);
      if (paths.ok()) internal::RemovePaths(object, std::move(*paths));
    }
  }
  if (matched) internal::DropEmptyContainers(object);
  return matched;
}

std::vector<std::string> IgnoreRules::TrustedManagers(const ResourceKey& key) const {
  std::vector<std::string> out;
  for (const Rule& rule : rules_) {
    if (rule.managers.empty() || !rule.Matches(key)) continue;
    for (const std::string& m : rule.managers) {
      if (std::find(out.begin(), out.end(), m) == out.end()) out.push_back(m);
    }
  }
  return out;
}

}  // namespace kstack::gitops::diff
