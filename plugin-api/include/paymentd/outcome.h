// paymentd/outcome.h: the result of a plugin call, as a value.
//
// Nothing crosses the plugin boundary as an exception. A call ends in one of:
//   ok         the step passed;
//   rejected   a deterministic business failure: the payment will never be
//              fulfilled, so the host rolls back and refunds it. `code` is a
//              machine code (UPPER_SNAKE, e.g. AMOUNT_MISMATCH) the client sees;
//   transient  an outage (database, network): the host rolls back, answers 503,
//              refunds nothing, and PortOne redelivers later.
#pragma once

#include <string>
#include <utility>

namespace paymentd {

class [[nodiscard]] Outcome {
 public:
  enum class Kind { kOk = 1, kRejected, kTransient };

  static Outcome ok() { return Outcome(Kind::kOk, {}, {}); }
  /// @param code    machine code shown to the client and in the trace.
  /// @param message one line for operators; never secrets or card numbers.
  static Outcome rejected(std::string code, std::string message) {
    return Outcome(Kind::kRejected, std::move(code), std::move(message));
  }
  static Outcome transient(std::string code, std::string message) {
    return Outcome(Kind::kTransient, std::move(code), std::move(message));
  }

  Kind kind() const { return kind_; }
  bool isOk() const { return kind_ == Kind::kOk; }
  bool isRejected() const { return kind_ == Kind::kRejected; }
  bool isTransient() const { return kind_ == Kind::kTransient; }
  const std::string& code() const { return code_; }
  const std::string& message() const { return message_; }

 private:
  Outcome(Kind kind, std::string code, std::string message)
      : kind_(kind), code_(std::move(code)), message_(std::move(message)) {}

  Kind kind_;
  std::string code_;
  std::string message_;
};

}  // namespace paymentd
