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
  ASSERT_TRUE(finals.find("completed"));
  EXPECT_EQ(finals.find("completed")->payment_type, "FIRST_BILLING");
}

TEST(FinalChecks, ForgetsTheOldestBeyondItsCapacity) {
  FinalChecks finals(2);
  finals.remember("a", completed());
  finals.remember("b", completed());
  finals.remember("c", completed());
  EXPECT_FALSE(finals.find("a"));
  EXPECT_TRUE(finals.find("b"));
  EXPECT_TRUE(finals.find("c"));
}

}  // namespace
}  // namespace paymentd::api
