// What a cancellation PortOne reports means for a payment paymentd fulfilled,
// as a table: facts in, step out. End to end (the console refund, the webhook
// of paymentd's own refund, a redelivery) in tests/pipeline/outside_changes_test.cpp.
#include "core/cancellation_decision.h"

#include <gtest/gtest.h>

#include <vector>

namespace paymentd::core {
namespace {

using Action = CancellationAction;
constexpr auto kCancelled = PaymentStatus::kCancelled;
constexpr auto kPartial = PaymentStatus::kPartialCancelled;

struct Row {
  const char* why;
  CancellationFacts facts;
  Action action;
  Decision answer;
  std::int64_t outside_amount;
};

TEST(CancellationDecision, DecidesEveryCombinationAsTheTableSays) {
  const std::vector<Row> rows = {
      {"never fulfilled: the payment service's refunds are not ours to judge",
       {false, kCancelled, 59000, 0, 0},
       Action::kNothing,
       {Verdict::kIgnored, kNotFulfilledCode},
       0},
      {"PortOne shows it paid: nothing cancelled yet",
       {true, PaymentStatus::kPaid, 0, 0, 0},
       Action::kNothing,
       {Verdict::kStale, kNotCancelledCode},
       0},
      {"refunded in the console in full",
       {true, kCancelled, 59000, 0, 0},
       Action::kRevoke,
       {Verdict::kCancelled, kCancelledAtPortOneCode},
       59000},
      {"the rest cancelled in the console after an operator's partial refund",
       {true, kCancelled, 59000, 9000, 0},
       Action::kRevoke,
       {Verdict::kCancelled, kCancelledAtPortOneCode},
       50000},
      {"partly refunded in the console",
       {true, kPartial, 20000, 0, 0},
       Action::kRecordPartial,
       {Verdict::kCancelled, kPartialCancelledAtPortOneCode},
       20000},
      {"a second partial refund in the console",
       {true, kPartial, 30000, 20000, 0},
       Action::kRecordPartial,
       {Verdict::kCancelled, kPartialCancelledAtPortOneCode},
       10000},
      {"the webhook of paymentd's own full refund",
       {true, kCancelled, 59000, 59000, 0},
       Action::kNothing,
       {Verdict::kCancelled, kRecordedAlreadyCode},
       0},
      {"the webhook of paymentd's own partial refund",
       {true, kPartial, 9000, 9000, 0},
       Action::kNothing,
       {Verdict::kCancelled, kRecordedAlreadyCode},
       0},
      {"paymentd's own refund whose answer was lost: still in flight",
       {true, kCancelled, 59000, 0, 59000},
       Action::kNothing,
       {Verdict::kCancelled, kRecordedAlreadyCode},
       0},
      {"a redelivery of a console refund recorded already",
       {true, kCancelled, 59000, 59000, 0},
       Action::kNothing,
       {Verdict::kCancelled, kRecordedAlreadyCode},
       0},
  };
  for (const Row& row : rows) {
    const CancellationStep step = decideCancellation(row.facts);
    EXPECT_EQ(step.action, row.action) << row.why;
    EXPECT_EQ(step.answer.verdict, row.answer.verdict) << row.why;
    EXPECT_EQ(step.answer.code, row.answer.code) << row.why;
    EXPECT_EQ(step.outside_amount, row.outside_amount) << row.why;
    EXPECT_TRUE(step.answer.isFinal()) << row.why;
  }
}

}  // namespace
}  // namespace paymentd::core
