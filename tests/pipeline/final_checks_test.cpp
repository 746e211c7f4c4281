#include "api/final_checks.h"

#include <gtest/gtest.h>

namespace paymentd::api {
namespace {

using storage::PaymentCheck;

PaymentCheck completed() {
  PaymentCheck check;
  check.status = PaymentCheck::Status::kCompleted;
  check.payment_type = "FIRST_BILLING";
  return check;
}

PaymentCheck refundedByOperator() {
  PaymentCheck check = completed();
  check.refunded = true;
  check.reason = "REFUNDED_BY_OPERATOR";
  return check;
}

TEST(FinalChecks, KeepsOnlyAnswersThatCannotChange) {
  FinalChecks finals(10);
  PaymentCheck pending;
  PaymentCheck refund_failed;
  refund_failed.status = PaymentCheck::Status::kFailed;
  refund_failed.reason = "AMOUNT_MISMATCH";
  PaymentCheck refunded = refund_failed;
  refunded.refunded = true;
  finals.remember("pending", pending);
  finals.remember("refund-failed", refund_failed);
  finals.remember("refunded", refunded);
  finals.remember("completed", completed());
  EXPECT_FALSE(finals.find("pending"));
  EXPECT_FALSE(finals.find("refund-failed"));  // the next delivery may still refund it
  ASSERT_TRUE(finals.find("refunded"));
  EXPECT_EQ(finals.find("refunded")->reason, "AMOUNT_MISMATCH");
  // An operator may still refund a completed payment, on any daemon.
  EXPECT_FALSE(finals.find("completed"));
  finals.remember("given-back", refundedByOperator());
  ASSERT_TRUE(finals.find("given-back"));
  EXPECT_EQ(finals.find("given-back")->reason, "REFUNDED_BY_OPERATOR");
}

TEST(FinalChecks, ForgetsTheOldestBeyondItsCapacity) {
  FinalChecks finals(2);
  finals.remember("a", refundedByOperator());
  finals.remember("b", refundedByOperator());
  finals.remember("c", refundedByOperator());
  EXPECT_FALSE(finals.find("a"));
  EXPECT_TRUE(finals.find("b"));
  EXPECT_TRUE(finals.find("c"));
}

}  // namespace
}  // namespace paymentd::api
