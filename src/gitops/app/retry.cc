#include "gitops/app/retry.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "gitops/app/duration.h"

namespace kstack::gitops::app {
namespace {

Result<int64_t> IntegerField(const Json& object, std::string_view key, std::string_view field,
                             int64_t fallback) {
  const Json* value = FindMember(object, key);
  if (value == nullptr || value->is_null()) return fallback;
  if (value->is_int64()) return value->get_int64();
  if (value->is_uint64()) return static_cast<int64_t>(value->get_uint64());
  if (value->is_double() && std::trunc(value->get_double()) == value->get_double()) {
    return static_cast<int64_t>(value->get_double());
  }
  return InvalidError(fmt::format("{}.{}: must be an integer", field, key));
}

Result<std::chrono::nanoseconds> DurationField(const Json& object, std::string_view key,
                                               std::string_view field,
                                               std::chrono::nanoseconds fallback) {
  const Json* value = FindMember(object, key);
  if (value == nullptr || value->is_null()) return fallback;
  if (!value->is_string()) {
    return InvalidError(fmt::format("{}.{}: must be a duration string", field, key));
  }
  if (value->get_string().empty()) return fallback;
  return ParseDuration(value->get_string(), fmt::format("{}.{}", field, key));
}

}  // namespace

std::chrono::nanoseconds RetryStrategy::Delay(int64_t retry_count) const {
  double wait = static_cast<double>(duration.count()) *
                std::pow(static_cast<double>(factor), static_cast<double>(retry_count));
  if (max_duration.count() > 0) wait = std::min(wait, static_cast<double>(max_duration.count()));
  wait = std::min(wait, 9.2e18);
  return std::chrono::nanoseconds(static_cast<int64_t>(wait));
}

Result<RetryStrategy> ParseRetryStrategy(const Json* retry, std::string_view field) {
  RetryStrategy out;
  if (retry == nullptr || retry->is_null()) return out;
  if (!retry->is_object()) return InvalidError(fmt::format("{}: must be an object", field));
  KSTACK_ASSIGN_OR_RETURN(out.limit, IntegerField(*retry, "limit", field, 0));
  const Json* backoff = FindMember(*retry, "backoff");
  if (backoff == nullptr || backoff->is_null()) return out;
  std::string backoff_field = fmt::format("{}.backoff", field);
  if (!backoff->is_object()) return InvalidError(backoff_field + ": must be an object");
  KSTACK_ASSIGN_OR_RETURN(out.duration,
                          DurationField(*backoff, "duration", backoff_field, out.duration));
  KSTACK_ASSIGN_OR_RETURN(out.factor, IntegerField(*backoff, "factor", backoff_field, out.factor));
  KSTACK_ASSIGN_OR_RETURN(out.max_duration,
                          DurationField(*backoff, "maxDuration", backoff_field, out.max_duration));
  return out;
}

}  // namespace kstack::gitops::app
