// core/cancellation_decision.h: what a cancellation PortOne reports
// (Transaction.Cancelled, Transaction.PartialCancelled) means for a payment
// paymentd fulfilled, as a pure function of the facts.
//
// Money paymentd gave back itself (an operator's refund, finished or still in
// flight) is already accounted for; only what PortOne shows cancelled beyond
// it came from outside (a refund in PortOne's console, a chargeback). A
// redelivery finds that amount recorded and changes nothing.
#pragma once

#include <cstdint>

#include "core/decision.h"
#include "paymentd/payment.h"

namespace paymentd::core {

struct CancellationFacts {
  bool fulfilled = false;  // paymentd fulfilled the payment
  PaymentStatus portone_status = PaymentStatus::kUnrecognized;
  std::int64_t portone_cancelled = 0;  // amount.cancelled as PortOne shows it now
  /// What paymentd recorded as given back: its own refunds and the outside
  /// cancellations it has recorded before.
  std::int64_t recorded_refunded = 0;
  std::int64_t own_refunds_in_flight = 0;  // operator refunds asked and not yet marked done
};

enum class CancellationAction {
  kNothing = 1,    // answer, change nothing
  kRecordPartial,  // record the amount cancelled outside; entitlements stay
  kRevoke,         // record it, and revoke what the payment paid for (cancel now)
};

struct CancellationStep {
  CancellationAction action = CancellationAction::kNothing;
  Decision answer;
  std::int64_t outside_amount = 0;  // cancelled outside paymentd, not yet recorded
};

inline constexpr const char* kCancelledAtPortOneCode = "CANCELLED_AT_PORTONE";
inline constexpr const char* kPartialCancelledAtPortOneCode = "PARTIAL_CANCELLED_AT_PORTONE";
inline constexpr const char* kNotFulfilledCode = "NOT_FULFILLED_BY_PAYMENTD";
inline constexpr const char* kNotCancelledCode = "NOT_CANCELLED_AT_PORTONE";
inline constexpr const char* kRecordedAlreadyCode = "CANCELLATION_RECORDED";

CancellationStep decideCancellation(const CancellationFacts& facts);

}  // namespace paymentd::core
