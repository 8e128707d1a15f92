// Reading objects and formatting the cell texts shared by the printers of every API area.

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "machinery/quantity.h"
#include "machinery/selector.h"
#include "server/internal/table_printer.h"
#include "server/table.h"

namespace kstack::server::internal {
namespace {

const Json kNull = nullptr;
const JsonArray kNoItems;

}  // namespace

const Json& At(const Json& v, std::initializer_list<std::string_view> path) {
  const Json* at = &v;
  for (std::string_view step : path) {
    at = FindMember(*at, step);
    if (at == nullptr) return kNull;
  }
  return *at;
}

std::string Str(const Json& v, std::initializer_list<std::string_view> path,
                std::string_view fallback) {
  const Json& x = At(v, path);
  if (x.is_string() && !x.get_string().empty()) return std::string(x.get_string());
  return std::string(fallback);
}

std::optional<int64_t> OptInt(const Json& v, std::initializer_list<std::string_view> path) {
  const Json& x = At(v, path);
  if (x.is_int64()) return x.get_int64();
  if (x.is_uint64()) return static_cast<int64_t>(x.get_uint64());
  if (x.is_double() && std::trunc(x.get_double()) == x.get_double()) {
    return static_cast<int64_t>(x.get_double());
  }
  return std::nullopt;
}

int64_t Int(const Json& v, std::initializer_list<std::string_view> path, int64_t fallback) {
  return OptInt(v, path).value_or(fallback);
}

bool IsTrue(const Json& v, std::initializer_list<std::string_view> path) {
  const Json& x = At(v, path);
  return x.is_bool() && x.get_bool();
}

const JsonArray& Items(const Json& v, std::initializer_list<std::string_view> path) {
  const Json& x = At(v, path);
  return x.is_array() ? x.get_array() : kNoItems;
}

int64_t Count(const Json& v, std::initializer_list<std::string_view> path) {
  const Json& x = At(v, path);
  if (x.is_object()) return static_cast<int64_t>(x.get_object().size());
  if (x.is_array()) return static_cast<int64_t>(x.get_array().size());
  return 0;
}

std::string Join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += sep;
    out += parts[i];
  }
  return out;
}

std::string LabelsText(const Json& map) {
  std::vector<std::pair<std::string_view, std::string_view>> pairs;
  if (map.is_object()) {
    for (const auto& kv : map.get_object()) {
      std::string_view value;
      if (kv.value().is_string()) value = kv.value().get_string();
      pairs.emplace_back(kv.key(), value);
    }
  }
  if (pairs.empty()) return "<none>";
  std::sort(pairs.begin(), pairs.end());
  std::string out;
  for (const auto& [key, value] : pairs) {
    if (!out.empty()) out += ",";
    out.append(key).append("=").append(value);
  }
  return out;
}

std::string SelectorString(const Json& selector) {
  Result<machinery::LabelSelector> parsed = machinery::LabelSelector::FromJson(selector);
  if (!parsed.ok()) return "<invalid>";
  return parsed->ToString();
}

std::string SelectorText(const Json& selector) {
  Result<machinery::LabelSelector> parsed = machinery::LabelSelector::FromJson(selector);
  if (!parsed.ok()) return "<error>";
  std::string text = parsed->ToString();
  return text.empty() ? "<none>" : text;
}

std::pair<std::string, std::string> ContainerCells(const Json& pod_spec) {
  std::vector<std::string> names, images;
  for (const Json& c : Items(pod_spec, {"containers"})) {
    names.emplace_back(FindString(c, "name"));
    images.emplace_back(FindString(c, "image"));
  }
  return {Join(names, ","), Join(images, ",")};
}

std::string QuantityText(const Json& quantity) {
  if (!quantity.is_string() && !quantity.is_number()) return "0";
  std::optional<std::string> canonical = machinery::CanonicalQuantityOf(quantity);
  return canonical              ? *canonical
         : quantity.is_string() ? std::string(quantity.get_string())
                                : WriteJson(quantity);
}

std::string IntOrStringText(const Json& v) {
  if (v.is_string()) return std::string(v.get_string());
  if (v.is_int64()) return std::to_string(v.get_int64());
  if (v.is_uint64()) return std::to_string(v.get_uint64());
  if (v.is_double()) return WriteJson(v);
  return "";
}

std::string BoolText(bool b) { return b ? "True" : "False"; }

std::optional<Clock::WallTime> ParseTime(std::string_view text) {
  Clock::WallTime t;
  if (!ParseRfc3339(text, &t)) return std::nullopt;
  return t;
}

std::string Since(const Json& time, Clock::WallTime now) {
  if (!time.is_string()) return "<unknown>";
  std::optional<Clock::WallTime> at = ParseTime(time.get_string());
  if (!at) return "<unknown>";
  return HumanDuration(std::chrono::duration_cast<std::chrono::seconds>(now - *at));
}

}  // namespace kstack::server::internal
