#include <gtest/gtest.h>

#include "payment_fixture.h"
#include "plugin_under_test.h"

namespace paymentd::testing {
namespace {

TEST(DuplicateRequestValidator, PassesANewPayment) {
  PaymentFixture f;
  f.store.fulfilled_payments = {"pay-0"};
  EXPECT_TRUE(createPlugin<Validator>()->validate(f.context(), f.store).isOk());
}

TEST(DuplicateRequestValidator, StopsAFulfilledPaymentAsAlreadyFulfilled) {
  PaymentFixture f;
  f.store.fulfilled_payments = {"pay-1"};
  Outcome outcome = createPlugin<Validator>()->validate(f.context(), f.store);
  EXPECT_EQ(outcome.code(), "ALREADY_FULFILLED");
  EXPECT_EQ(outcome.message(), "payment pay-1 was fulfilled already");
}

}  // namespace
}  // namespace paymentd::testing
