// lifecycle/operation_result.h: what an operator's operation answers: its
// value, or why it was refused, in words both the admin API and the CLI use.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace paymentd::lifecycle {

/// Who asked for a change, and why: written into the audit trail.
struct Audit {
  std::string actor;
  std::string reason;
};

struct Refusal {
  enum class Kind {
    kInvalid = 1,  // the request is malformed (400)
    kNotFound,     // no such subscription, user or payment (404)
    kConflict,     // not possible in the current state (409)
    kRefused,      // PortOne refused it (409, PortOne's error type as the code)
    kUnavailable,  // the database or PortOne cannot be reached: try again (503)
  };
  Kind kind = Kind::kInvalid;
  std::string code;  // SUBSCRIPTION_NOT_FOUND, NOT_CANCELLABLE, ...
  std::string message;
};

template <typename T>
class OperationResult {
 public:
  OperationResult(T value) : value_(std::move(value)) {}            // NOLINT: implicit by design
  OperationResult(Refusal refusal) : value_(std::move(refusal)) {}  // NOLINT

  bool ok() const { return std::holds_alternative<T>(value_); }
  const T& value() const { return std::get<T>(value_); }
  const Refusal& refusal() const { return std::get<Refusal>(value_); }

 private:
  std::variant<T, Refusal> value_;
};

inline Refusal refused(Refusal::Kind kind, std::string code, std::string message) {
  return Refusal{kind, std::move(code), std::move(message)};
}

}  // namespace paymentd::lifecycle
