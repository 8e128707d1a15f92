#include "gitops/sync/waves.h"

#include <limits>
#include <string>

#include "gitops/sync/internal/object_checks.h"

namespace kstack::gitops::sync {

namespace {

// Built by appending: GCC 12 warns (wrongly) about `"\"" + std::string(text) + ...` here.
Status Refuse(std::string_view text, std::string_view why) {
  std::string message = "\"";
  message.append(text);
  message.append("\" ");
  message.append(why);
  return InvalidError(std::move(message));
}

}  // namespace

Result<int64_t> ParseWave(std::string_view text) {
  std::string_view digits = text;
  bool negative = false;
  if (!digits.empty() && (digits.front() == '+' || digits.front() == '-')) {
    negative = digits.front() == '-';
    digits.remove_prefix(1);
  }
  if (digits.empty()) return Refuse(text, "is not an integer");
  // Accumulate as a negative number, whose range is one larger, so that INT64_MIN reads.
  int64_t value = 0;
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  for (char c : digits) {
    if (c < '0' || c > '9') return Refuse(text, "is not an integer");
    int digit = c - '0';
    if (value < (kMin + digit) / 10) return Refuse(text, "is out of range");
    value = value * 10 - digit;
  }
  if (!negative) {
    if (value == kMin) return Refuse(text, "is out of range");
    value = -value;
  }
  return value;
}

Result<int64_t> WaveOf(const Json& object) {
  for (std::string_view key : {kSyncWaveAnnotation, kHelmHookWeightAnnotation}) {
    if (std::optional<std::string_view> text = internal::Annotation(object, key)) {
      Result<int64_t> wave = ParseWave(*text);
      if (!wave.ok()) return wave.status().WithContext(key);
      return wave;
    }
  }
  return int64_t{0};
}

int64_t LiveWaveOf(const Json& object) {
  for (std::string_view key : {kSyncWaveAnnotation, kHelmHookWeightAnnotation}) {
    if (std::optional<std::string_view> text = internal::Annotation(object, key)) {
      Result<int64_t> wave = ParseWave(*text);
      if (wave.ok()) return *wave;
    }
  }
  return 0;
}

}  // namespace kstack::gitops::sync
