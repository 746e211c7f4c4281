#include <gtest/gtest.h>

#include "payment_fixture.h"
#include "plugin_under_test.h"

namespace paymentd::testing {
namespace {

TEST(CardValidator, AcceptsACardPaymentWithABillingKey) {
  PaymentFixture f;
  EXPECT_TRUE(createPlugin<Validator>()->validate(f.context(), f.store).isOk());
}

TEST(CardValidator, RejectsAVirtualAccountForABillingType) {
  PaymentFixture f;
  f.payment.method = PaymentMethodType::kVirtualAccount;
  f.payment.card.reset();
  Outcome outcome = createPlugin<Validator>()->validate(f.context(), f.store);
  EXPECT_EQ(outcome.code(), "NOT_A_CARD_PAYMENT");
  EXPECT_EQ(outcome.message(), "FIRST_BILLING needs a card payment");
}

TEST(CardValidator, CountsAnEasyPayFundedByACardAsACard) {
  PaymentFixture f;
  f.payment.method = PaymentMethodType::kEasyPay;
  EXPECT_TRUE(createPlugin<Validator>()->validate(f.context(), f.store).isOk());
}

TEST(CardValidator, RejectsABillingTypeWithoutABillingKey) {
  PaymentFixture f;
  f.payment.billing_key.reset();
  EXPECT_EQ(createPlugin<Validator>()->validate(f.context(), f.store).code(),
            "MISSING_BILLING_KEY");
  f.claims.payment_type = "LUMP_SUM";  // a card, but no billing key needed
  EXPECT_TRUE(createPlugin<Validator>()->validate(f.context(), f.store).isOk());
}

TEST(CardValidator, FollowsTheConfiguredTypes) {
  PaymentFixture f;
  f.claims.payment_type = "TRIAL";
  f.payment.method = PaymentMethodType::kTransfer;
  f.payment.card.reset();
  EXPECT_TRUE(createPlugin<Validator>()->validate(f.context(), f.store).isOk());
  auto strict = createPlugin<Validator>({{"card_types", "TRIAL, BILLING"}});
  EXPECT_EQ(strict->validate(f.context(), f.store).code(), "NOT_A_CARD_PAYMENT");
}

}  // namespace
}  // namespace paymentd::testing
