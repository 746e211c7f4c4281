#include <gtest/gtest.h>

#include "payment_fixture.h"
#include "paymentd/outbox.h"
#include "plugin_under_test.h"

namespace paymentd::testing {
namespace {

class AmountValidatorTest : public ::testing::Test {
 protected:
  Outcome validate() { return validator_->validate(f_.context(), f_.store); }

  PaymentFixture f_;
  std::unique_ptr<Validator> validator_ = createPlugin<Validator>();
};

TEST_F(AmountValidatorTest, AcceptsThePlanPrice) {
  EXPECT_TRUE(validate().isOk());
}

TEST_F(AmountValidatorTest, RejectsATotalBelowThePlanPrice) {
  f_.payment.amount.total = 58999;
  Outcome outcome = validate();
  EXPECT_EQ(outcome.code(), "AMOUNT_MISMATCH");
  EXPECT_EQ(outcome.message(), "paid 58999, expected 59000 (plan monthly-4: 59000 less coupon 0)");
}

TEST_F(AmountValidatorTest, ChargesPriceTimesMonthsForALumpSum) {
  f_.claims.subscribe_id = "yearly-8";
  f_.payment.amount.total = 89000 * 12;
  EXPECT_TRUE(validate().isOk());
  f_.payment.amount.total = 89000;
  EXPECT_EQ(validate().code(), "AMOUNT_MISMATCH");
}

TEST_F(AmountValidatorTest, SubtractsTheUsersCoupon) {
  f_.store.coupons["c-1"] = Coupon{"c-1", "42", 9000, std::nullopt, std::nullopt};
  f_.claims.coupon_id = "c-1";
  f_.payment.amount.total = 50000;
  EXPECT_TRUE(validate().isOk());
  f_.payment.amount.total = 59000;
  EXPECT_EQ(validate().message(),
            "paid 59000, expected 50000 (plan monthly-4: 59000 less coupon 9000)");
}

TEST_F(AmountValidatorTest, NeverExpectsLessThanZero) {
  f_.store.coupons["c-1"] = Coupon{"c-1", "42", 100000, std::nullopt, std::nullopt};
  f_.claims.coupon_id = "c-1";
  f_.payment.amount.total = 0;
  EXPECT_TRUE(validate().isOk());
}

TEST_F(AmountValidatorTest, RejectsAnotherUsersCouponAUsedOneAndAnExpiredOne) {
  f_.claims.coupon_id = "c-1";
  f_.payment.amount.total = 50000;
  f_.store.coupons["c-1"] = Coupon{"c-1", "43", 9000, std::nullopt, std::nullopt};
  EXPECT_EQ(validate().code(), "COUPON_NOT_OWNED");
  f_.store.coupons["c-1"] = Coupon{"c-1", "42", 9000, std::string("pay-0"), std::nullopt};
  EXPECT_EQ(validate().code(), "COUPON_ALREADY_USED");
  f_.store.coupons["c-1"] = Coupon{"c-1", "42", 9000, std::string("pay-1"), std::nullopt};
  EXPECT_TRUE(validate().isOk()) << "used by this very payment: a redelivery";
  f_.store.coupons["c-1"] = Coupon{"c-1", "42", 9000, std::nullopt, kNow - std::chrono::seconds(1)};
  EXPECT_EQ(validate().code(), "COUPON_EXPIRED");
  f_.claims.coupon_id = "c-404";
  EXPECT_EQ(validate().code(), "COUPON_NOT_FOUND");
}

TEST_F(AmountValidatorTest, RejectsAnotherCurrencyAndAnUnknownPlan) {
  f_.payment.currency = "USD";
  EXPECT_EQ(validate().code(), "CURRENCY_MISMATCH");
  f_.payment.currency = "KRW";
  f_.claims.subscribe_id = "gold";
  EXPECT_EQ(validate().code(), "UNKNOWN_PLAN");
  f_.claims.subscribe_id.reset();
  EXPECT_EQ(validate().code(), "MISSING_CLAIM");
}

// A renewal scheduled at 59000 before the plan's price went up to 69000.
class ScheduledAmountTest : public AmountValidatorTest {
 protected:
  void SetUp() override {
    f_.payment.id = scheduledPaymentId(7, 2, 1);
    f_.claims.payment_type = "BILLING";
    f_.store.plans["monthly-4"].price = 69000;
    f_.scheduled_amount = 59000;
  }
};

TEST_F(ScheduledAmountTest, AcceptsTheScheduledAmountAfterThePlanPriceChanged) {
  EXPECT_TRUE(validate().isOk());
}

TEST_F(ScheduledAmountTest, RejectsTheCurrentPlanPriceWhenItDiffersFromTheScheduledAmount) {
  f_.payment.amount.total = 69000;
  const Outcome outcome = validate();
  EXPECT_EQ(outcome.code(), "AMOUNT_MISMATCH");
  EXPECT_EQ(outcome.message(), "paid 69000, expected 59000 (the amount paymentd scheduled)");
}

TEST_F(ScheduledAmountTest, RejectsAnyOtherAmountThanTheScheduledOne) {
  f_.payment.amount.total = 58999;
  EXPECT_EQ(validate().code(), "AMOUNT_MISMATCH");
  f_.payment.amount.total = 59001;
  EXPECT_EQ(validate().code(), "AMOUNT_MISMATCH");
}

TEST_F(ScheduledAmountTest, NeverSubtractsACouponFromTheScheduledAmount) {
  f_.store.coupons["c-1"] = Coupon{"c-1", "42", 9000, std::nullopt, std::nullopt};
  f_.claims.coupon_id = "c-1";
  f_.payment.amount.total = 50000;
  EXPECT_EQ(validate().code(), "AMOUNT_MISMATCH");
  f_.payment.amount.total = 59000;
  EXPECT_TRUE(validate().isOk());
}

TEST_F(ScheduledAmountTest, StillRejectsAnotherCurrency) {
  f_.payment.currency = "USD";
  EXPECT_EQ(validate().code(), "CURRENCY_MISMATCH");
}

TEST_F(ScheduledAmountTest, RejectsAScheduledLookingIdThatPaymentdNeverScheduled) {
  f_.scheduled_amount.reset();
  const Outcome outcome = validate();
  EXPECT_TRUE(outcome.isRejected());
  EXPECT_EQ(outcome.code(), "UNKNOWN_SCHEDULE");
  EXPECT_EQ(outcome.message(),
            "payment id paymentd-sub7-c2-a1 looks scheduled, but paymentd never scheduled it");
  f_.payment.amount.total = 69000;  // not even at the current price
  EXPECT_EQ(validate().code(), "UNKNOWN_SCHEDULE");
}

TEST_F(ScheduledAmountTest, UsesThePlanPriceForAPaymentIdNoScheduleMade) {
  f_.payment.id = "pay-browser-1";
  f_.scheduled_amount.reset();
  EXPECT_EQ(validate().code(), "AMOUNT_MISMATCH");
  f_.payment.amount.total = 69000;
  EXPECT_TRUE(validate().isOk());
}

TEST_F(AmountValidatorTest, IgnoresFailureWebhooks) {
  f_.event = WebhookEvent::kTransactionFailed;
  f_.payment.amount.total = 1;
  EXPECT_TRUE(validate().isOk());
}

}  // namespace
}  // namespace paymentd::testing
