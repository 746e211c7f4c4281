#include "core/payment_decision.h"

namespace paymentd::core {
namespace {

using State = RecordedPayment::State;

bool refundUnfinished(const RecordedPayment& recorded) {
  return recorded.state == State::kFailed &&
         (recorded.refund == RefundState::kIntended || recorded.refund == RefundState::kFailed);
}

// Finish the refund a run started and did not see through, with the same key.
Step resumeRefund(const RecordedPayment& recorded) {
  return Step{Action::kReject, {}, recorded.failure_code, recorded.failure_message, false};
}

// Transaction.Failed: only PortOne's FAILED counts, and a decline is recorded once.
Step decideDecline(const PaymentFacts& facts) {
  if (facts.portone_status != PaymentStatus::kFailed) return Step::answerWith(Verdict::kStale);
  // Recorded once; counted against a renewal on every run, which counts a
  // payment id once (so a redelivery, or a retry after an outage, is safe).
  return Step{facts.scheduled_by_paymentd ? Action::kCountDecline : Action::kAnswer,
              {Verdict::kDeclined, kPaymentFailedCode},
              kPaymentFailedCode,
              "",
              facts.recorded.state != State::kFailed};
}

// PortOne shows it (partly) cancelled: finish our own refund, or note theirs.
Step decideCancelled(const PaymentFacts& facts) {
  const RecordedPayment& recorded = facts.recorded;
  if (refundUnfinished(recorded)) {
    // Part of the money is still charged: refund the rest, with the same key.
    if (facts.portone_status == PaymentStatus::kPartialCancelled) return resumeRefund(recorded);
    // Our refund, finished at PortOne (by our last call, or an operator).
    return Step{Action::kMarkRefunded, {Verdict::kRefunded, recorded.failure_code}, "", "", false};
  }
  if (recorded.state == State::kFailed) {
    if (recorded.refund == RefundState::kDone) {
      return Step::answerWith(Verdict::kRefunded, recorded.failure_code);
    }
    return Step::answerWith(Verdict::kCancelled, recorded.failure_code);
  }
  return Step{Action::kAnswer,
              {Verdict::kCancelled, kCancelledCode},
              kCancelledCode,
              "PortOne shows the payment as cancelled",
              true};
}

}  // namespace

Step Step::answerWith(Verdict verdict, std::string code) {
  return Step{Action::kAnswer, {verdict, std::move(code)}, "", "", false};
}

Step decide(const PaymentFacts& facts) {
  const RecordedPayment& recorded = facts.recorded;
  if (recorded.state == State::kFulfilled) {
    return Step::answerWith(Verdict::kAlreadyFulfilled, kAlreadyFulfilledCode);
  }
  if (facts.event == WebhookEvent::kTransactionFailed) return decideDecline(facts);
  if (facts.portone_status == PaymentStatus::kCancelled ||
      facts.portone_status == PaymentStatus::kPartialCancelled) {
    return decideCancelled(facts);
  }
  if (facts.portone_status != PaymentStatus::kPaid) {
    return Step::answerWith(Verdict::kNotPaid, kNotPaidCode);
  }
  if (recorded.state == State::kFailed) {
    if (recorded.refund == RefundState::kDone) {
      return Step::answerWith(Verdict::kRefunded, recorded.failure_code);
    }
    // A refund was started and did not finish (PortOne failed, or we stopped).
    if (refundUnfinished(recorded)) return resumeRefund(recorded);
    // A failure without a refund (an earlier attempt failed): PortOne shows it paid now.
  }
  if (facts.test_channel_refused) {
    return Step{Action::kReject, {}, kTestChannelCode, "paid on PortOne's test channel", false};
  }
  return Step{Action::kFulfil, {}, "", "", false};
}

std::optional<Decision> afterTransaction(const Outcome& outcome) {
  if (outcome.isOk()) return Decision{Verdict::kFulfilled, ""};
  if (outcome.isTransient()) return Decision{Verdict::kUnavailable, outcome.code()};
  return std::nullopt;
}

Step afterRejection(const Outcome& outcome, bool fulfilled) {
  if (fulfilled) return Step::answerWith(Verdict::kAlreadyFulfilled, kAlreadyFulfilledCode);
  if (outcome.isTransient()) return Step::answerWith(Verdict::kUnavailable, outcome.code());
  if (outcome.code() == kNotPaidCode) return Step::answerWith(Verdict::kNotPaid, kNotPaidCode);
  if (outcome.code() == kCancelledCode) {
    return Step{Action::kAnswer,
                {Verdict::kCancelled, kCancelledCode},
                kCancelledCode,
                outcome.message(),
                true};
  }
  return Step{Action::kRefund, {}, outcome.code(), outcome.message(), false};
}

Decision afterRefund(bool refunded, const std::string& code) {
  return Decision{refunded ? Verdict::kRefunded : Verdict::kRefundFailed, code};
}

std::optional<Decision> afterLock(LockStatus status) {
  switch (status) {
    case LockStatus::kAcquired:
      return std::nullopt;
    case LockStatus::kHeldElsewhere:
      return Decision{Verdict::kLockedElsewhere, "ALREADY_PROCESSING"};
    case LockStatus::kUnavailable:
      return Decision{Verdict::kUnavailable, "LOCK_UNAVAILABLE"};
  }
  return Decision{Verdict::kUnavailable, "LOCK_UNAVAILABLE"};
}

std::optional<Decision> afterLookup(LookupStatus status) {
  switch (status) {
    case LookupStatus::kFound:
      return std::nullopt;
    case LookupStatus::kNotFound:
      // Signed by PortOne yet unknown to it: nothing was charged, nothing to do.
      return Decision{Verdict::kNotFound, "PAYMENT_NOT_FOUND"};
    case LookupStatus::kUnavailable:
      return Decision{Verdict::kUnavailable, "PORTONE_UNAVAILABLE"};
    case LookupStatus::kRefused:
      // UNAUTHORIZED, FORBIDDEN, ...: our credentials, not the payment. Retry later.
      return Decision{Verdict::kUnavailable, "PORTONE_REFUSED"};
  }
  return Decision{Verdict::kUnavailable, "PORTONE_UNAVAILABLE"};
}

}  // namespace paymentd::core
