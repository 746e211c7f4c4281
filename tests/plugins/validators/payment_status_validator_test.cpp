#include <gtest/gtest.h>

#include "payment_fixture.h"
#include "plugin_under_test.h"

namespace paymentd::testing {
namespace {

class PaymentStatusValidatorTest : public ::testing::Test {
 protected:
  Outcome validate() { return validator_->validate(f_.context(), f_.store); }

  PaymentFixture f_;
  std::unique_ptr<Validator> validator_ = createPlugin<Validator>();
};

TEST_F(PaymentStatusValidatorTest, AcceptsAPaidPaymentOfTheClaimedCustomer) {
  EXPECT_TRUE(validate().isOk());
}

TEST_F(PaymentStatusValidatorTest, SaysNotPaidWhenPortOneIsNotThereYet) {
  f_.payment.status = PaymentStatus::kReady;
  EXPECT_EQ(validate().code(), "PAYMENT_NOT_PAID");
  f_.payment.status = PaymentStatus::kUnrecognized;
  EXPECT_EQ(validate().code(), "PAYMENT_NOT_PAID");
}

TEST_F(PaymentStatusValidatorTest, SaysCancelledForACancelledPayment) {
  f_.payment.status = PaymentStatus::kCancelled;
  EXPECT_EQ(validate().code(), "CANCELLED_PAYMENT");
  f_.payment.status = PaymentStatus::kPartialCancelled;
  EXPECT_EQ(validate().code(), "CANCELLED_PAYMENT");
}

TEST_F(PaymentStatusValidatorTest, RejectsAFailureWebhookForAPaidPayment) {
  f_.event = WebhookEvent::kTransactionFailed;
  EXPECT_EQ(validate().code(), "PAYMENT_STATUS_MISMATCH");
  f_.payment.status = PaymentStatus::kFailed;
  EXPECT_TRUE(validate().isOk());
}

TEST_F(PaymentStatusValidatorTest, RejectsAnotherCustomer) {
  f_.payment.customer_id = "43";
  EXPECT_EQ(validate().code(), "CUSTOMER_MISMATCH");
  f_.payment.customer_id.reset();  // PortOne has none: nothing to compare
  EXPECT_TRUE(validate().isOk());
}

TEST_F(PaymentStatusValidatorTest, RenewalNeedsALiveSubscription) {
  f_.claims.payment_type = "BILLING";
  EXPECT_EQ(validate().code(), "SUBSCRIPTION_NOT_ACTIVE");
  f_.store.subscriptions.push_back(
      f_.liveSubscription("monthly-4", SubscriptionStatus::kCancelled));
  EXPECT_EQ(validate().code(), "SUBSCRIPTION_NOT_ACTIVE");
  f_.store.subscriptions.push_back(f_.liveSubscription("monthly-4", SubscriptionStatus::kPastDue));
  EXPECT_TRUE(validate().isOk());
}

}  // namespace
}  // namespace paymentd::testing
