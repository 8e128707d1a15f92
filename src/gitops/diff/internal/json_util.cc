#include "gitops/diff/internal/json_util.h"

#include <cmath>

namespace kstack::gitops::diff::internal {
namespace {

bool IsNumber(const Json& v) { return v.is_int64() || v.is_uint64() || v.is_double(); }

bool NumbersEqual(const Json& a, const Json& b) {
  if (a.is_double() || b.is_double()) {
    double x = a.is_double()  ? a.get_double()
               : a.is_int64() ? static_cast<double>(a.get_int64())
                              : static_cast<double>(a.get_uint64());
    double y = b.is_double()  ? b.get_double()
               : b.is_int64() ? static_cast<double>(b.get_int64())
                              : static_cast<double>(b.get_uint64());
    return x == y;
  }
  using I128 = __int128;
  I128 x = a.is_int64() ? I128{a.get_int64()} : I128{a.get_uint64()};
  I128 y = b.is_int64() ? I128{b.get_int64()} : I128{b.get_uint64()};
  return x == y;
}

}  // namespace

bool Equivalent(const Json& a, const Json& b) {
  if (IsNumber(a) && IsNumber(b)) return NumbersEqual(a, b);
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case boost::json::kind::object: {
      const JsonObject& x = a.get_object();
      const JsonObject& y = b.get_object();
      if (x.size() != y.size()) return false;
      for (const auto& member : x) {
        const Json* other = y.if_contains(member.key());
        if (other == nullptr || !Equivalent(member.value(), *other)) return false;
      }
      return true;
    }
    case boost::json::kind::array: {
      const JsonArray& x = a.get_array();
      const JsonArray& y = b.get_array();
      if (x.size() != y.size()) return false;
      for (size_t i = 0; i < x.size(); ++i) {
        if (!Equivalent(x[i], y[i])) return false;
      }
      return true;
    }
    default:
      return a == b;
  }
}

bool IsEmptyContainer(const Json& v) {
  return (v.is_object() && v.get_object().empty()) || (v.is_array() && v.get_array().empty());
}

void TidyValues(Json& v) {
  if (v.is_object()) {
    JsonObject& o = v.get_object();
    for (auto it = o.begin(); it != o.end();) {
      if (it->value().is_null()) {
        it = o.erase(it);
      } else {
        TidyValues(it->value());
        ++it;
      }
    }
  } else if (v.is_array()) {
    for (Json& item : v.get_array()) TidyValues(item);
  } else if (v.is_double()) {
    double d = v.get_double();
    // Within ±2^53 every whole double is exactly an integer.
    if (std::floor(d) == d && std::fabs(d) <= 9007199254740992.0) v = static_cast<int64_t>(d);
  }
}

void DropEmptyContainers(Json& v) {
  if (v.is_object()) {
    JsonObject& o = v.get_object();
    for (auto it = o.begin(); it != o.end();) {
      DropEmptyContainers(it->value());
      if (IsEmptyContainer(it->value())) {
        it = o.erase(it);
      } else {
        ++it;
      }
    }
  } else if (v.is_array()) {
    JsonArray& a = v.get_array();
    for (auto it = a.begin(); it != a.end();) {
      DropEmptyContainers(*it);
      if (it->is_object() && it->get_object().empty()) {
        it = a.erase(it);
      } else {
        ++it;
      }
    }
  }
}

Json* MutableMember(Json& v, std::string_view key) {
  if (!v.is_object()) return nullptr;
  return v.get_object().if_contains(key);
}

std::string_view GroupOf(std::string_view api_version) {
  size_t slash = api_version.find('/');
  return slash == std::string_view::npos ? std::string_view() : api_version.substr(0, slash);
}

std::string_view VersionOf(std::string_view api_version) {
  size_t slash = api_version.find('/');
  return slash == std::string_view::npos ? api_version : api_version.substr(slash + 1);
}

}  // namespace kstack::gitops::diff::internal
