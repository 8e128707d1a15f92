#pragma once

// The retry of a failed sync, as Argo CD reads `syncPolicy.retry` (and `operation.retry`):
//   limit: 5            retries after the first attempt; a negative limit retries forever
//   backoff:
//     duration: 5s      the wait before the first retry (a bare number is seconds)
//     factor: 2         each further wait is the previous one times the factor
//     maxDuration: 3m   no wait is longer
// Defaults are Argo CD's: 5 s, factor 2, at most 3 min. The wait before retry n (n counted from
// 0) is duration * factor^n, capped at maxDuration.

#include <chrono>
#include <cstdint>

#include "core/json.h"
#include "core/result.h"

namespace kstack::gitops::app {

struct RetryStrategy {
  int64_t limit = 0;  // 0: no retry
  std::chrono::nanoseconds duration = std::chrono::seconds(5);
  int64_t factor = 2;
  std::chrono::nanoseconds max_duration = std::chrono::minutes(3);

  // Whether an operation that failed after `retry_count` retries is tried again.
  bool ShouldRetry(int64_t retry_count) const { return limit < 0 || retry_count < limit; }
  // The wait before the retry that follows `retry_count` retries.
  std::chrono::nanoseconds Delay(int64_t retry_count) const;
};

// Reads a `retry` block; null or absent reads as no retry. `field` names it in errors
// ("spec.syncPolicy.retry").
// Errors: kInvalid naming the field ("spec.syncPolicy.retry.backoff.factor: must be an integer").
Result<RetryStrategy> ParseRetryStrategy(const Json* retry, std::string_view field);

}  // namespace kstack::gitops::app
