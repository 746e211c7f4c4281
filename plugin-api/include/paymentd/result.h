// paymentd/result.h: a value or the Outcome that explains why there is none.
#pragma once

#include <cassert>
#include <utility>
#include <variant>

#include "paymentd/outcome.h"

namespace paymentd {

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}  // NOLINT: implicit by design
  /// @param failure a rejected or transient Outcome (never ok).
  Result(Outcome failure) : state_(std::move(failure)) {  // NOLINT: implicit by design
    assert(!std::get<Outcome>(state_).isOk());
  }

  bool hasValue() const { return std::holds_alternative<T>(state_); }
  explicit operator bool() const { return hasValue(); }

  const T& value() const& { return std::get<T>(state_); }
  T& value() & { return std::get<T>(state_); }
  T&& value() && { return std::get<T>(std::move(state_)); }
  const T& operator*() const& { return value(); }
  const T* operator->() const { return &value(); }

  /// The failure; only valid when !hasValue().
  const Outcome& error() const { return std::get<Outcome>(state_); }

 private:
  std::variant<T, Outcome> state_;
};

}  // namespace paymentd
