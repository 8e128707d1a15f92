#pragma once

// Durations as Argo CD reads them in an Application's retry backoff and in argocd-cm: Go's
// time.ParseDuration syntax ("5s", "1m30s", "300ms", "2h", "1.5h"), or a bare whole number, read
// as seconds ("30").

#include <chrono>
#include <string_view>

#include "core/result.h"

namespace kstack::gitops::app {

// Errors: kInvalid naming `field` and the text ("retry.backoff.duration: invalid duration
// \"5x\"").
Result<std::chrono::nanoseconds> ParseDuration(std::string_view text, std::string_view field);

}  // namespace kstack::gitops::app
