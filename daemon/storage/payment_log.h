// storage/payment_log.h: a payment's trace and failure, and what the check API shows.
//
// Each write is its own short transaction on its own connection, so it
// survives the rollback of the payment's work. On SQLite there is one writer
// at a time: do not write here while this thread holds an open Transaction
// (it would wait for itself until the busy timeout); write after it ends.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/payment_decision.h"
#include "paymentd/payment.h"
#include "storage/database.h"
#include "storage/event_outbox.h"

namespace paymentd::storage {

struct PaymentEvent {
  std::string payment_id;
  Timestamp at;
  std::string stage;   // received, lock, verified, validator:amount, processor, committed, ...
  std::string result;  // ok, rejected, transient, ...
  std::string detail;  // one line; never secrets or card numbers
  std::chrono::microseconds duration{0};  // how long the step took (0: a point in time)
};

/// How far a recorded refund got; the core decides on it as it is stored.
using RefundState = core::RefundState;

struct PaymentFailure {
  std::string payment_id;
  std::optional<std::string> payment_type;
  std::string code;  // AMOUNT_MISMATCH, DUPLICATE_SUBSCRIPTION, ...
  std::string message;
  RefundState refund = RefundState::kNone;
};

/// The check API's reason for a fulfilled payment an operator refunded.
inline constexpr const char* kRefundedByOperatorCode = "REFUNDED_BY_OPERATOR";
/// Everything given back was cancelled in PortOne's console, not by paymentd.
inline constexpr const char* kCancelledAtPortOneCode = "CANCELLED_AT_PORTONE";

struct PaymentCheck {
  enum class Status { kPending = 1, kCompleted, kFailed };
  Status status = Status::kPending;
  std::optional<std::string> payment_type;
  std::optional<std::string> reason;  // the failure code
  bool refunded = false;
};

/// "NONE", "INTENDED", "DONE", "FAILED": as stored, and as operators read it.
const char* refundStateName(RefundState state);
/// "pending", "completed", "failed": as the check API and the trace show it.
const char* checkStatusName(PaymentCheck::Status status);

/// An outbox item a payment set in motion, as the trace shows it.
struct TracedOutboxItem {
  std::string kind;
  std::string dedupe_key;
  std::string status;  // PENDING, DONE, DEAD
  std::int64_t attempts = 0;
  Timestamp due_at;
  std::string last_error;
};

class PaymentLog {
 public:
  explicit PaymentLog(Database& database) : database_(database) {}

  void recordEvent(const PaymentEvent& event);
  /// Several steps in one statement, in order.
  void recordEvents(const std::vector<PaymentEvent>& events);
  /// Records (or replaces) the payment's failure.
  void recordFailure(const PaymentFailure& failure);
  /// Moves the refund along (INTENDED before calling PortOne, DONE or FAILED after).
  /// `refunded`: the refund that finished with it (kDone), told to the
  /// application in the same transaction when events are configured.
  void setRefund(const std::string& payment_id, RefundState refund,
                 const std::optional<RefundedPayment>& refunded = std::nullopt);

  /// completed if fulfilled, failed if a failure is recorded, else pending.
  PaymentCheck check(const std::string& payment_id);
  std::optional<PaymentFailure> failure(const std::string& payment_id);
  /// Failures whose refund is INTENDED or FAILED, untouched since `before` and
  /// first recorded at or after `since` (older ones are given up:
  /// storage/abandoned_work.h), least recently tried first: the reconciler
  /// finishes them.
  std::vector<PaymentFailure> unfinishedRefunds(Timestamp before, Timestamp since,
                                                std::size_t limit);
  /// In the order they were written.
  std::vector<PaymentEvent> events(const std::string& payment_id);
  /// The outbox items enqueued while working on this payment, oldest first.
  std::vector<TracedOutboxItem> outboxItems(const std::string& payment_id);

 private:
  Database& database_;
};

}  // namespace paymentd::storage
