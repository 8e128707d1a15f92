#pragma once

// Result<T>: a value or the error Status explaining why there is none. Shaped like
// std::expected (which C++20 lacks): value(), operator*, operator->, ok(), status().

#include <cassert>
#include <type_traits>
#include <utility>
#include <variant>

#include "core/status.h"

namespace kstack {

template <typename T>
class [[nodiscard]] Result {
 public:
  // REQUIRES: !status.ok(). An OK status without a value is a programming error.
  Result(Status status) : data_(std::move(status)) {  // NOLINT: implicit by design
    assert(!std::get<Status>(data_).ok());
  }
  template <typename U = T,
            typename = std::enable_if_t<std::is_constructible_v<T, U&&> &&
                                        !std::is_same_v<std::decay_t<U>, Status> &&
                                        !std::is_same_v<std::decay_t<U>, Result>>>
  Result(U&& value) : data_(std::in_place_index<0>, std::forward<U>(value)) {}  // NOLINT

  bool ok() const { return data_.index() == 0; }
  explicit operator bool() const { return ok(); }

  // The error; an OK status when there is a value.
  Status status() const { return ok() ? Status() : std::get<1>(data_); }

  T& value() & { return std::get<0>(data_); }
  const T& value() const& { return std::get<0>(data_); }
  T&& value() && { return std::get<0>(std::move(data_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  template <typename U>
  T value_or(U&& fallback) const& {
    return ok() ? value() : static_cast<T>(std::forward<U>(fallback));
  }

 private:
  std::variant<T, Status> data_;
};

}  // namespace kstack

#define KSTACK_CONCAT_INNER_(a, b) a##b
#define KSTACK_CONCAT_(a, b) KSTACK_CONCAT_INNER_(a, b)

// KSTACK_ASSIGN_OR_RETURN(auto x, Compute()); returns Compute()'s Status when it failed.
#define KSTACK_ASSIGN_OR_RETURN(lhs, expr) \
  KSTACK_ASSIGN_OR_RETURN_IMPL_(KSTACK_CONCAT_(kstack_result_, __LINE__), lhs, expr)
#define KSTACK_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                  \
  if (!tmp.ok()) return tmp.status();                 \
  lhs = std::move(tmp).value()
