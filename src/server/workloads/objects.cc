#include "server/workloads/objects.h"

#include <fmt/format.h>

#include <cmath>

namespace kstack::server::workloads {

std::string KeyOf(std::string_view ns, std::string_view name) {
  if (ns.empty()) return std::string(name);
  return fmt::format("{}/{}", ns, name);
}

std::string KeyOf(const Json& object) {
  return KeyOf(Meta(object, "namespace"), Meta(object, "name"));
}

std::pair<std::string, std::string> SplitKey(std::string_view key) {
  size_t slash = key.find('/');
  if (slash == std::string_view::npos) return {"", std::string(key)};
  return {std::string(key.substr(0, slash)), std::string(key.substr(slash + 1))};
}

std::string_view Meta(const Json& object, std::string_view field) {
  const Json* meta = FindMember(object, "metadata");
  return meta ? FindString(*meta, field) : std::string_view();
}

const Json* At(const Json& value, std::initializer_list<std::string_view> path) {
  const Json* at = &value;
  for (std::string_view key : path) {
    at = FindMember(*at, key);
    if (at == nullptr) return nullptr;
  }
  return at;
}

int64_t IntAt(const Json& value, std::initializer_list<std::string_view> path, int64_t fallback) {
  const Json* at = At(value, path);
  if (at == nullptr) return fallback;
  if (at->is_int64()) return at->get_int64();
  if (at->is_uint64()) return static_cast<int64_t>(at->get_uint64());
  if (at->is_double()) return static_cast<int64_t>(at->get_double());
  return fallback;
}

JsonObject& EnsureObject(JsonObject& object, std::string_view key) {
  Json& member = object[key];
  if (!member.is_object()) member = JsonObject();
  return member.get_object();
}

Json ControllerReference(const Json& owner, std::string_view api_version, std::string_view kind) {
  return JsonObject{{"apiVersion", api_version},   {"kind", kind},
                    {"name", Meta(owner, "name")}, {"uid", Meta(owner, "uid")},
                    {"controller", true},          {"blockOwnerDeletion", true}};
}

const Json* ControllerOf(const Json& object) {
  const Json* meta = FindMember(object, "metadata");
  const JsonArray* refs = meta ? FindArray(*meta, "ownerReferences") : nullptr;
  if (refs == nullptr) return nullptr;
  for (const Json& ref : *refs) {
    const Json* controller = FindMember(ref, "controller");
    if (controller && controller->is_bool() && controller->get_bool()) return &ref;
  }
  return nullptr;
}

bool ControlledBy(const Json& object, std::string_view kind, std::string_view uid) {
  const Json* ref = ControllerOf(object);
  return ref && FindString(*ref, "kind") == kind && FindString(*ref, "uid") == uid;
}

bool SetCondition(Json& conditions, std::string_view type, std::string_view status,
                  std::string_view reason, std::string_view message, const std::string& now,
                  bool with_update_time) {
  if (!conditions.is_array()) conditions = JsonArray();
  JsonArray& list = conditions.get_array();
  for (Json& c : list) {
    if (FindString(c, "type") != type) continue;
    JsonObject& cond = c.as_object();
    bool same_status = FindString(c, "status") == status;
    if (same_status && FindString(c, "reason") == reason && FindString(c, "message") == message) {
      return false;
    }
    if (!same_status) cond["lastTransitionTime"] = now;
    if (with_update_time) cond["lastUpdateTime"] = now;
    cond["status"] = status;
    cond["reason"] = reason;
    cond["message"] = message;
    return true;
  }
  JsonObject cond{{"type", type}, {"status", status}};
  if (with_update_time) cond["lastUpdateTime"] = now;
  cond["lastTransitionTime"] = now;
  cond["reason"] = reason;
  cond["message"] = message;
  list.push_back(std::move(cond));
  return true;
}

const Json* FindCondition(const Json& object, std::string_view type) {
  const Json* conditions = At(object, {"status", "conditions"});
  if (conditions == nullptr || !conditions->is_array()) return nullptr;
  for (const Json& c : conditions->get_array()) {
    if (FindString(c, "type") == type) return &c;
  }
  return nullptr;
}

bool IsTerminal(const Json& pod) {
  const Json* phase = At(pod, {"status", "phase"});
  if (phase == nullptr || !phase->is_string()) return false;
  return phase->get_string() == "Succeeded" || phase->get_string() == "Failed";
}

bool IsActive(const Json& pod) {
  return !IsTerminal(pod) && At(pod, {"metadata", "deletionTimestamp"}) == nullptr;
}

bool IsReady(const Json& pod) {
  const Json* ready = FindCondition(pod, "Ready");
  return ready && FindString(*ready, "status") == "True";
}

std::optional<int64_t> MilliValue(std::string_view text) {
  size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
  long double mantissa = 0;
  bool digits = false;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
    mantissa = mantissa * 10 + (text[i++] - '0');
    digits = true;
  }
  if (i < text.size() && text[i] == '.') {
    ++i;
    long double scale = 0.1L;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      mantissa += scale * (text[i++] - '0');
      scale /= 10;
      digits = true;
    }
  }
  if (!digits) return std::nullopt;
  std::string_view suffix = text.substr(i);
  long double factor = 0;
  static constexpr std::pair<std::string_view, long double> kSuffixes[] = {
      {"n", 1e-9L},
      {"u", 1e-6L},
      {"m", 1e-3L},
      {"", 1.0L},
      {"k", 1e3L},
      {"M", 1e6L},
      {"G", 1e9L},
      {"T", 1e12L},
      {"P", 1e15L},
      {"E", 1e18L},
      {"Ki", 1024.0L},
      {"Mi", 1048576.0L},
      {"Gi", 1073741824.0L},
      {"Ti", 1099511627776.0L},
      {"Pi", 1125899906842624.0L},
      {"Ei", 1152921504606846976.0L}};
  for (const auto& [s, f] : kSuffixes) {
    if (suffix == s) factor = f;
  }
  if (factor == 0 && suffix.size() > 1 && (suffix[0] == 'e' || suffix[0] == 'E')) {
    char* end = nullptr;
    std::string exponent(suffix.substr(1));
    long value = std::strtol(exponent.c_str(), &end, 10);
    if (end == exponent.c_str() || *end != '\0' || value > 30 || value < -30) return std::nullopt;
    factor = std::pow(10.0L, static_cast<long double>(value));
  }
  if (factor == 0) return std::nullopt;
  long double milli = std::ceil(mantissa * factor * 1000.0L - 1e-9L);
  if (milli > 9.2e18L) return std::nullopt;
  return negative ? -static_cast<int64_t>(milli) : static_cast<int64_t>(milli);
}

std::optional<int64_t> MilliValueOf(const Json& quantity) {
  if (quantity.is_string()) return MilliValue(quantity.get_string());
  if (quantity.is_int64()) return quantity.get_int64() * 1000;
  if (quantity.is_double()) return static_cast<int64_t>(std::ceil(quantity.get_double() * 1000));
  return std::nullopt;
}

std::string TemplateHash(const Json& pod_template, int64_t collision_count) {
  std::string text = WriteJson(pod_template, {.sort_keys = true});
  if (collision_count > 0) text += std::to_string(collision_count);
  uint32_t hash = 2166136261u;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 16777619u;
  }
  // The alphabet of Kubernetes' rand.SafeEncodeString: no vowels, no look-alike characters.
  static constexpr std::string_view kAlphabet = "bcdfghjklmnpqrstvwxz2456789";
  std::string out;
  std::string decimal = std::to_string(hash);
  for (char c : decimal) out += kAlphabet[static_cast<size_t>(c) % kAlphabet.size()];
  return out;
}

int64_t ScaledValue(const Json* value, int64_t total, bool round_up, int64_t fallback) {
  if (value == nullptr || value->is_null()) return fallback;
  if (value->is_int64()) return value->get_int64();
  if (value->is_uint64()) return static_cast<int64_t>(value->get_uint64());
  if (!value->is_string()) return fallback;
  std::string_view text = value->get_string();
  if (!text.ends_with('%')) {
    int64_t v = 0;
    for (char c : text) {
      if (c < '0' || c > '9') return fallback;
      v = v * 10 + (c - '0');
    }
    return v;
  }
  int64_t percent = 0;
  for (char c : text.substr(0, text.size() - 1)) {
    if (c < '0' || c > '9') return fallback;
    percent = percent * 10 + (c - '0');
  }
  return round_up ? (percent * total + 99) / 100 : percent * total / 100;
}

}  // namespace kstack::server::workloads
