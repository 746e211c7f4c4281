#include <gtest/gtest.h>

#include "payment_fixture.h"
#include "plugin_under_test.h"

namespace paymentd::testing {
namespace {

struct TrialFixture : PaymentFixture {
  TrialFixture() {
    store.plans["trial"] = Plan{"trial", "Trial lesson", 9900, 1, 1, true};
    store.plans["trial-free"] = Plan{"trial-free", "Free trial lesson", 0, 1, 1, true};
    claims.payment_type = "TRIAL";
    claims.subscribe_id = "trial";
    payment.billing_key.reset();
    payment.amount.total = payment.amount.paid = 9900;
  }
};

TEST(TrialProcessor, CreatesATrialSubscriptionAndReservesTheLesson) {
  TrialFixture f;
  Outcome outcome = createPlugin<Processor>({{"trial_days", "10"}})->process(f.context(), f.store);
  ASSERT_TRUE(outcome.isOk()) << outcome.message();
  ASSERT_EQ(f.store.subscriptions.size(), 1u);
  EXPECT_TRUE(f.store.subscriptions[0].trial);
  EXPECT_EQ(f.store.subscriptions[0].period_end, kNow + std::chrono::days(10));
  ASSERT_EQ(f.store.lessons.size(), 1u);
  EXPECT_EQ(f.store.lessons[0].kind, "TRIAL");
  EXPECT_EQ(f.store.lessons[0].subscription_id, 1);
  EXPECT_EQ(f.store.lessons[0].user_id, "42");
  EXPECT_TRUE(f.store.tickets.empty());
  EXPECT_TRUE(f.store.outbox.empty());
  EXPECT_TRUE(f.store.schedules.empty());
}

TEST(TrialProcessor, AcceptsAFreeTrialOfZeroWon) {
  TrialFixture f;
  f.claims.payment_type = "TRIAL_FREE";
  f.claims.subscribe_id = "trial-free";
  f.payment.amount.total = f.payment.amount.paid = 0;
  ASSERT_TRUE(createPlugin<Processor>()->process(f.context(), f.store).isOk());
  EXPECT_EQ(f.store.lessons.size(), 1u);
}

TEST(TrialProcessor, RefusesAFreeTrialThatWasCharged) {
  TrialFixture f;
  f.claims.payment_type = "TRIAL_FREE";
  EXPECT_EQ(createPlugin<Processor>()->process(f.context(), f.store).code(), "FREE_TRIAL_CHARGED");
  EXPECT_TRUE(f.store.subscriptions.empty());
}

TEST(TrialProcessor, RefusesASecondTrialThroughTheStore) {
  TrialFixture f;
  ASSERT_TRUE(createPlugin<Processor>()->process(f.context(), f.store).isOk());
  f.payment.id = "pay-2";
  EXPECT_EQ(createPlugin<Processor>()->process(f.context(), f.store).code(), kDuplicateCode);
  EXPECT_EQ(f.store.lessons.size(), 1u);
}

TEST(TrialProcessor, RefusesARegularPlan) {
  TrialFixture f;
  f.claims.subscribe_id = "monthly-4";
  EXPECT_EQ(createPlugin<Processor>()->process(f.context(), f.store).code(), "PLAN_NOT_TRIAL");
}

TEST(TrialProcessor, RefusesABadTrialLength) {
  EXPECT_THROW(createPlugin<Processor>({{"trial_days", "0"}}), std::runtime_error);
}

}  // namespace
}  // namespace paymentd::testing
