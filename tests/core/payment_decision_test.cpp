// The rules for one verified payment, as a table: facts in, step out. No
// database, no HTTP: what the service does with each step is tested end to end
// in tests/pipeline/.
#include "core/payment_decision.h"

#include <gtest/gtest.h>

#include <ostream>
#include <vector>

namespace paymentd::core {

void PrintTo(const Decision& decision, std::ostream* out) {
  *out << verdictName(decision.verdict) << "(" << decision.code << ")";
}

namespace {

using State = RecordedPayment::State;
constexpr auto kPaidEvent = WebhookEvent::kTransactionPaid;
constexpr auto kFailedEvent = WebhookEvent::kTransactionFailed;

RecordedPayment nothing() {
  return RecordedPayment{};
}
RecordedPayment fulfilled() {
  return RecordedPayment{State::kFulfilled, "", "", RefundState::kNone};
}
RecordedPayment failed(RefundState refund, std::string code = "AMOUNT_MISMATCH") {
  return RecordedPayment{State::kFailed, std::move(code), "total 9000 != 10000", refund};
}

struct Row {
  const char* why;
  PaymentFacts facts;
  Action action;
  Decision answer;  // for kAnswer, kCountDecline, kMarkRefunded
  std::string failure_code;
  bool record_failure;
};

std::vector<Row> rows() {
  const auto facts = [](WebhookEvent event, PaymentStatus status, RecordedPayment recorded,
                        bool scheduled = false) {
    return PaymentFacts{event, status, scheduled, std::move(recorded)};
  };
  return {
      {"a test-channel payment is refunded where only live payments count "
       "(portone.require_live)",
       PaymentFacts{kPaidEvent, PaymentStatus::kPaid, false, nothing(), true},
       Action::kReject,
       {},
       "TEST_CHANNEL_PAYMENT",
       false},
      {"a test-channel payment fulfilled before require_live stays fulfilled",
       PaymentFacts{kPaidEvent, PaymentStatus::kPaid, false, fulfilled(), true},
       Action::kAnswer,
       {Verdict::kAlreadyFulfilled, "ALREADY_FULFILLED"},
       "",
       false},
      {"a fulfilled payment stays fulfilled, whatever PortOne says now",
       facts(kPaidEvent, PaymentStatus::kCancelled, fulfilled()),
       Action::kAnswer,
       {Verdict::kAlreadyFulfilled, "ALREADY_FULFILLED"},
       "",
       false},
      {"a fulfilled payment's late Transaction.Failed changes nothing",
       facts(kFailedEvent, PaymentStatus::kFailed, fulfilled(), true),
       Action::kAnswer,
       {Verdict::kAlreadyFulfilled, "ALREADY_FULFILLED"},
       "",
       false},
      {"Transaction.Failed for a payment PortOne shows paid is stale",
       facts(kFailedEvent, PaymentStatus::kPaid, nothing()),
       Action::kAnswer,
       {Verdict::kStale, ""},
       "",
       false},
      {"a decline of a browser payment is recorded",
       facts(kFailedEvent, PaymentStatus::kFailed, nothing()),
       Action::kAnswer,
       {Verdict::kDeclined, "PAYMENT_FAILED"},
       "PAYMENT_FAILED",
       true},
      {"a decline of a renewal is recorded and counted",
       facts(kFailedEvent, PaymentStatus::kFailed, nothing(), true),
       Action::kCountDecline,
       {Verdict::kDeclined, "PAYMENT_FAILED"},
       "PAYMENT_FAILED",
       true},
      {"a redelivered decline of a renewal is counted again (counting is idempotent), not "
       "recorded",
       facts(kFailedEvent, PaymentStatus::kFailed, failed(RefundState::kNone, "PAYMENT_FAILED"),
             true),
       Action::kCountDecline,
       {Verdict::kDeclined, "PAYMENT_FAILED"},
       "PAYMENT_FAILED",
       false},
      {"a payment cancelled at PortOne before paymentd saw it is recorded, not refunded",
       facts(kPaidEvent, PaymentStatus::kCancelled, nothing()),
       Action::kAnswer,
       {Verdict::kCancelled, "CANCELLED_PAYMENT"},
       "CANCELLED_PAYMENT",
       true},
      {"our unfinished refund that PortOne shows done is marked done",
       facts(kPaidEvent, PaymentStatus::kCancelled, failed(RefundState::kIntended)),
       Action::kMarkRefunded,
       {Verdict::kRefunded, "AMOUNT_MISMATCH"},
       "",
       false},
      {"a refund that failed and PortOne now shows done is marked done",
       facts(kPaidEvent, PaymentStatus::kCancelled, failed(RefundState::kFailed)),
       Action::kMarkRefunded,
       {Verdict::kRefunded, "AMOUNT_MISMATCH"},
       "",
       false},
      {"part of an unfinished refund still charged is refunded again with its code",
       facts(kPaidEvent, PaymentStatus::kPartialCancelled, failed(RefundState::kFailed)),
       Action::kReject,
       {},
       "AMOUNT_MISMATCH",
       false},
      {"a refunded payment's cancellation webhook answers refunded",
       facts(kPaidEvent, PaymentStatus::kCancelled, failed(RefundState::kDone)),
       Action::kAnswer,
       {Verdict::kRefunded, "AMOUNT_MISMATCH"},
       "",
       false},
      {"a cancelled payment with a failure recorded keeps its code",
       facts(kPaidEvent, PaymentStatus::kPartialCancelled,
             failed(RefundState::kNone, "CANCELLED_PAYMENT")),
       Action::kAnswer,
       {Verdict::kCancelled, "CANCELLED_PAYMENT"},
       "",
       false},
      {"READY is not paid yet",
       facts(kPaidEvent, PaymentStatus::kReady, nothing()),
       Action::kAnswer,
       {Verdict::kNotPaid, "PAYMENT_NOT_PAID"},
       "",
       false},
      {"PAY_PENDING is not paid yet",
       facts(kPaidEvent, PaymentStatus::kPayPending, nothing()),
       Action::kAnswer,
       {Verdict::kNotPaid, "PAYMENT_NOT_PAID"},
       "",
       false},
      {"an issued virtual account is not paid yet",
       facts(kPaidEvent, PaymentStatus::kVirtualAccountIssued, nothing()),
       Action::kAnswer,
       {Verdict::kNotPaid, "PAYMENT_NOT_PAID"},
       "",
       false},
      {"an unknown status is not paid",
       facts(kPaidEvent, PaymentStatus::kUnrecognized, nothing()),
       Action::kAnswer,
       {Verdict::kNotPaid, "PAYMENT_NOT_PAID"},
       "",
       false},
      {"Transaction.Paid for a payment PortOne shows failed is not paid",
       facts(kPaidEvent, PaymentStatus::kFailed, nothing()),
       Action::kAnswer,
       {Verdict::kNotPaid, "PAYMENT_NOT_PAID"},
       "",
       false},
      {"a paid payment with nothing recorded is fulfilled",
       facts(kPaidEvent, PaymentStatus::kPaid, nothing()),
       Action::kFulfil,
       {},
       "",
       false},
      {"a paid payment whose earlier attempt failed without a refund is fulfilled now",
       facts(kPaidEvent, PaymentStatus::kPaid, failed(RefundState::kNone, "PAYMENT_FAILED")),
       Action::kFulfil,
       {},
       "",
       false},
      {"a paid payment refunded before answers refunded, never refunds twice",
       facts(kPaidEvent, PaymentStatus::kPaid, failed(RefundState::kDone)),
       Action::kAnswer,
       {Verdict::kRefunded, "AMOUNT_MISMATCH"},
       "",
       false},
      {"a paid payment with a refund intended finishes the refund",
       facts(kPaidEvent, PaymentStatus::kPaid, failed(RefundState::kIntended)),
       Action::kReject,
       {},
       "AMOUNT_MISMATCH",
       false},
      {"a paid payment whose refund failed tries it again",
       facts(kPaidEvent, PaymentStatus::kPaid, failed(RefundState::kFailed)),
       Action::kReject,
       {},
       "AMOUNT_MISMATCH",
       false},
  };
}

TEST(PaymentDecision, EachRowOfTheTableDecidesItsStep) {
  for (const Row& row : rows()) {
    SCOPED_TRACE(row.why);
    const Step step = decide(row.facts);
    EXPECT_EQ(step.action, row.action);
    if (row.action == Action::kAnswer || row.action == Action::kCountDecline ||
        row.action == Action::kMarkRefunded) {
      EXPECT_EQ(step.answer, row.answer);
    }
    EXPECT_EQ(step.failure_code, row.failure_code);
    EXPECT_EQ(step.record_failure, row.record_failure);
  }
}

TEST(PaymentDecision, ARejectionIsRefundedUnlessTheMoneyIsNotOursToGiveBack) {
  struct Case {
    const char* why;
    Outcome outcome;
    bool fulfilled;
    Action action;
    Decision answer;
    bool record_failure;
  };
  const std::vector<Case> cases = {
      {"the database shows it fulfilled after all",
       Outcome::rejected("AMOUNT_MISMATCH", "x"),
       true,
       Action::kAnswer,
       {Verdict::kAlreadyFulfilled, "ALREADY_FULFILLED"},
       false},
      {"another worker's commit won",
       Outcome::rejected("ALREADY_FULFILLED", "x"),
       true,
       Action::kAnswer,
       {Verdict::kAlreadyFulfilled, "ALREADY_FULFILLED"},
       false},
      {"an outage is never refunded",
       Outcome::transient("STORAGE_UNAVAILABLE", "x"),
       false,
       Action::kAnswer,
       {Verdict::kUnavailable, "STORAGE_UNAVAILABLE"},
       false},
      {"not paid yet is redelivered, not refunded",
       Outcome::rejected("PAYMENT_NOT_PAID", "x"),
       false,
       Action::kAnswer,
       {Verdict::kNotPaid, "PAYMENT_NOT_PAID"},
       false},
      {"cancelled at PortOne is recorded, not refunded",
       Outcome::rejected("CANCELLED_PAYMENT", "x"),
       false,
       Action::kAnswer,
       {Verdict::kCancelled, "CANCELLED_PAYMENT"},
       true},
      {"a business failure is refunded",
       Outcome::rejected("DUPLICATE_SUBSCRIPTION", "x"),
       false,
       Action::kRefund,
       {},
       false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.why);
    const Step step = afterRejection(c.outcome, c.fulfilled);
    EXPECT_EQ(step.action, c.action);
    if (c.action == Action::kAnswer) {
      EXPECT_EQ(step.answer, c.answer);
    } else {
      EXPECT_EQ(step.failure_code, c.outcome.code());
    }
    EXPECT_EQ(step.record_failure, c.record_failure);
  }
}

TEST(PaymentDecision, ACommittedTransactionIsFulfilledAndAnOutageRefundsNothing) {
  EXPECT_EQ(afterTransaction(Outcome::ok()), (Decision{Verdict::kFulfilled, ""}));
  EXPECT_EQ(afterTransaction(Outcome::transient("STORAGE_UNAVAILABLE", "down")),
            (Decision{Verdict::kUnavailable, "STORAGE_UNAVAILABLE"}));
  EXPECT_EQ(afterTransaction(Outcome::rejected("AMOUNT_MISMATCH", "x")), std::nullopt);
}

TEST(PaymentDecision, ARefundEndsRefundedOrRecordedForARetry) {
  EXPECT_EQ(afterRefund(true, "AMOUNT_MISMATCH"),
            (Decision{Verdict::kRefunded, "AMOUNT_MISMATCH"}));
  EXPECT_EQ(afterRefund(false, "AMOUNT_MISMATCH"),
            (Decision{Verdict::kRefundFailed, "AMOUNT_MISMATCH"}));
}

TEST(PaymentDecision, ALockHeldElsewhereIsRedeliveredAndALockOutageIsOurs) {
  EXPECT_EQ(afterLock(LockStatus::kAcquired), std::nullopt);
  EXPECT_EQ(afterLock(LockStatus::kHeldElsewhere),
            (Decision{Verdict::kLockedElsewhere, "ALREADY_PROCESSING"}));
  EXPECT_EQ(afterLock(LockStatus::kUnavailable),
            (Decision{Verdict::kUnavailable, "LOCK_UNAVAILABLE"}));
}

TEST(PaymentDecision, APaymentPortOneDoesNotKnowIsNotFoundAndARefusalIsOurs) {
  EXPECT_EQ(afterLookup(LookupStatus::kFound), std::nullopt);
  EXPECT_EQ(afterLookup(LookupStatus::kNotFound),
            (Decision{Verdict::kNotFound, "PAYMENT_NOT_FOUND"}));
  EXPECT_EQ(afterLookup(LookupStatus::kUnavailable),
            (Decision{Verdict::kUnavailable, "PORTONE_UNAVAILABLE"}));
  EXPECT_EQ(afterLookup(LookupStatus::kRefused),
            (Decision{Verdict::kUnavailable, "PORTONE_REFUSED"}));
}

}  // namespace
}  // namespace paymentd::core
