#include "core/cancellation_decision.h"

namespace paymentd::core {

CancellationStep decideCancellation(const CancellationFacts& facts) {
  // A payment paymentd never fulfilled gave nothing: its own refunds are the
  // payment service's (and the reconciler's) to finish.
  if (!facts.fulfilled)
    return {CancellationAction::kNothing, {Verdict::kIgnored, kNotFulfilledCode}};
  const bool cancelled = facts.portone_status == PaymentStatus::kCancelled;
  if (!cancelled && facts.portone_status != PaymentStatus::kPartialCancelled) {
    return {CancellationAction::kNothing, {Verdict::kStale, kNotCancelledCode}};
  }
  const std::int64_t outside =
      facts.portone_cancelled - facts.recorded_refunded - facts.own_refunds_in_flight;
  if (outside <= 0) {
    // paymentd's own refund, or a cancellation recorded already.
    return {CancellationAction::kNothing, {Verdict::kCancelled, kRecordedAlreadyCode}};
  }
  if (cancelled) {
    return {CancellationAction::kRevoke, {Verdict::kCancelled, kCancelledAtPortOneCode}, outside};
  }
  return {CancellationAction::kRecordPartial,
          {Verdict::kCancelled, kPartialCancelledAtPortOneCode},
          outside};
}

}  // namespace paymentd::core
