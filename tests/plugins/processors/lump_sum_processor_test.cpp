#include <gtest/gtest.h>

#include "payment_fixture.h"
#include "paymentd/calendar.h"
#include "plugin_under_test.h"

namespace paymentd::testing {
namespace {

struct LumpSumFixture : PaymentFixture {
  LumpSumFixture() {
    claims.payment_type = "LUMP_SUM";
    claims.subscribe_id = "yearly-8";
    payment.amount.total = payment.amount.paid = 89000 * 12;
  }
};

TEST(LumpSumProcessor, CreatesTheSubscriptionAndTwelveTicketsInOneBatch) {
  LumpSumFixture f;
  Outcome outcome = createPlugin<Processor>()->process(f.context(), f.store);
  ASSERT_TRUE(outcome.isOk()) << outcome.message();

  ASSERT_EQ(f.store.subscriptions.size(), 1u);
  EXPECT_EQ(f.store.subscriptions[0].plan_id, "yearly-8");
  EXPECT_EQ(f.store.subscriptions[0].period_end, addMonths(kNow, 12));
  EXPECT_EQ(f.store.ticket_batches, 1);
  ASSERT_EQ(f.store.tickets.size(), 12u);
  for (int i = 0; i < 12; ++i) {
    EXPECT_EQ(f.store.tickets[i].period_start, addMonths(kNow, i)) << i;
    EXPECT_EQ(f.store.tickets[i].period_end, addMonths(kNow, i + 1)) << i;
    EXPECT_EQ(f.store.tickets[i].lessons, 8);
    EXPECT_EQ(f.store.tickets[i].payment_id, "pay-1");
  }
  // Paid 09:00 January 31 in Seoul: the second month starts on the last day of February.
  EXPECT_EQ(f.store.tickets[1].period_start,
            Timestamp(std::chrono::sys_days(std::chrono::year{2026} / 2 / 28)));
  EXPECT_TRUE(f.store.outbox.empty());
  EXPECT_TRUE(f.store.schedules.empty());  // no next payment
}

TEST(LumpSumProcessor, UsesTheCoupon) {
  LumpSumFixture f;
  f.store.coupons["c-1"] = Coupon{"c-1", "42", 10000, std::nullopt, std::nullopt};
  f.claims.coupon_id = "c-1";
  ASSERT_TRUE(createPlugin<Processor>()->process(f.context(), f.store).isOk());
  EXPECT_EQ(f.store.coupons["c-1"].used_by_payment_id, "pay-1");
}

TEST(LumpSumProcessor, RefusesATrialPlan) {
  LumpSumFixture f;
  f.store.plans["trial"] = Plan{"trial", "Trial", 0, 1, 1, true};
  f.claims.subscribe_id = "trial";
  EXPECT_EQ(createPlugin<Processor>()->process(f.context(), f.store).code(), "PLAN_NOT_LUMP_SUM");
  EXPECT_TRUE(f.store.subscriptions.empty());
}

TEST(LumpSumProcessor, PassesTheStoresDuplicateOn) {
  LumpSumFixture f;
  f.store.subscriptions.push_back(f.liveSubscription("yearly-8", SubscriptionStatus::kActive));
  EXPECT_EQ(createPlugin<Processor>()->process(f.context(), f.store).code(), kDuplicateCode);
  EXPECT_TRUE(f.store.tickets.empty());
}

}  // namespace
}  // namespace paymentd::testing
