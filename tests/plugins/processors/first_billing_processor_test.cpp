#include <gtest/gtest.h>

#include "payment_fixture.h"
#include "paymentd/calendar.h"
#include "plugin_under_test.h"

namespace paymentd::testing {
namespace {

TEST(FirstBillingProcessor, CreatesTheSubscriptionTicketAndRenewalSchedule) {
  PaymentFixture f;
  f.store.level_tests["42"] = LevelTest{"42", "B1", kNow};
  Outcome outcome = createPlugin<Processor>()->process(f.context(), f.store);
  ASSERT_TRUE(outcome.isOk()) << outcome.message();

  ASSERT_EQ(f.store.subscriptions.size(), 1u);
  const Subscription& s = f.store.subscriptions[0];
  EXPECT_EQ(s.user_id, "42");
  EXPECT_EQ(s.plan_id, "monthly-4");
  EXPECT_EQ(s.billing_key, "billing-key-1");
  EXPECT_EQ(s.level, "B1");
  EXPECT_EQ(s.period_start, kNow);
  // Paid 09:00 on January 31 in Seoul: the period ends on the last day of February.
  EXPECT_EQ(s.period_end, Timestamp(std::chrono::sys_days(std::chrono::year{2026} / 2 / 28)) +
                              std::chrono::hours(0));

  ASSERT_EQ(f.store.tickets.size(), 1u);
  EXPECT_EQ(f.store.tickets[0].payment_id, "pay-1");
  EXPECT_EQ(f.store.tickets[0].lessons, 4);

  EXPECT_TRUE(f.store.outbox.empty());  // API 1.2: asked with schedulePayment()
  ASSERT_EQ(f.store.schedules.size(), 1u);
  const SchedulePaymentRequest& next = f.store.schedules[0];
  EXPECT_EQ(scheduledPaymentId(next.subscription_id, next.cycle, next.attempt),
            "paymentd-sub1-c1-a1");
  // The renewal's payment type is the host's (recurring.payment_type), not the plugin's.
  EXPECT_EQ(next.payment_type, "");
  EXPECT_EQ(next.amount, 59000);
  EXPECT_EQ(next.billing_key, "billing-key-1");
}

TEST(FirstBillingProcessor, UsesTheCoupon) {
  PaymentFixture f;
  f.store.coupons["c-1"] = Coupon{"c-1", "42", 9000, std::nullopt, std::nullopt};
  f.claims.coupon_id = "c-1";
  ASSERT_TRUE(createPlugin<Processor>()->process(f.context(), f.store).isOk());
  EXPECT_EQ(f.store.coupons["c-1"].used_by_payment_id, "pay-1");
}

TEST(FirstBillingProcessor, PassesTheStoresDuplicateOn) {
  PaymentFixture f;
  f.store.subscriptions.push_back(f.liveSubscription("monthly-4", SubscriptionStatus::kActive));
  Outcome outcome = createPlugin<Processor>()->process(f.context(), f.store);
  EXPECT_EQ(outcome.code(), kDuplicateCode);
  EXPECT_TRUE(f.store.tickets.empty());
}

TEST(FirstBillingProcessor, RefusesAPaymentWithoutBillingKey) {
  PaymentFixture f;
  f.payment.billing_key.reset();
  EXPECT_EQ(createPlugin<Processor>()->process(f.context(), f.store).code(), "MISSING_BILLING_KEY");
  EXPECT_TRUE(f.store.subscriptions.empty());
}

// Issue 20 defect 7: first-billing sells monthly plans only. A lump-sum plan
// used to be charged price x months, given one month and renewed monthly; a
// trial plan became a renewing subscription.
TEST(FirstBillingProcessor, RefusesPlansOfAnotherKindAndWritesNothing) {
  for (const Plan& other : {Plan{"yearly-8", "Yearly 8", 89000, 12, 8, false},
                            Plan{"trial-paid", "Trial", 9900, 1, 1, true}}) {
    PaymentFixture f;
    f.store.plans[other.id] = other;
    f.claims.subscribe_id = other.id;
    const Outcome outcome = createPlugin<Processor>()->process(f.context(), f.store);
    EXPECT_EQ(outcome.code(), "PLAN_NOT_MONTHLY") << other.id;
    EXPECT_TRUE(outcome.isRejected()) << other.id;
    EXPECT_TRUE(f.store.subscriptions.empty()) << other.id;
    EXPECT_TRUE(f.store.tickets.empty()) << other.id;
    EXPECT_TRUE(f.store.schedules.empty()) << other.id;
  }
}

TEST(Calendar, AddsKoreanCalendarMonths) {
  using namespace std::chrono;
  // 2026-03-31T15:30Z is 00:30 on April 1 in Seoul: one month later is May 1, 00:30 KST.
  const Timestamp t = sys_days(year{2026} / 3 / 31) + hours(15) + minutes(30);
  EXPECT_EQ(addMonths(t, 1), sys_days(year{2026} / 4 / 30) + hours(15) + minutes(30));
  // Twelve months from 2024-02-29 (Seoul) is 2025-02-28.
  const Timestamp leap = sys_days(year{2024} / 2 / 29) + hours(1);
  EXPECT_EQ(addMonths(leap, 12), sys_days(year{2025} / 2 / 28) + hours(1));
}

}  // namespace
}  // namespace paymentd::testing
