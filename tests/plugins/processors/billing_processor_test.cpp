#include <gtest/gtest.h>

#include "payment_fixture.h"
#include "paymentd/calendar.h"
#include "paymentd/outbox.h"
#include "plugin_under_test.h"

namespace paymentd::testing {
namespace {

// A renewal of subscription 7 (monthly-4, period ending kNow), cycle 2, attempt 3.
struct RenewalFixture : PaymentFixture {
  RenewalFixture() {
    payment.id = scheduledPaymentId(7, 2, 3);
    scheduled_amount = 59000;
    claims.payment_type = "BILLING";
    Subscription s = liveSubscription("monthly-4", SubscriptionStatus::kPastDue);
    s.billing_key = "billing-key-1";
    s.period_start = addMonths(kNow, -1);
    s.period_end = kNow;
    s.consecutive_failures = 2;
    store.subscriptions.push_back(s);
  }
};

TEST(BillingProcessor, RenewsThePeriodRecoversThePastDueAndSchedulesTheNextCycle) {
  RenewalFixture f;
  Outcome outcome = createPlugin<Processor>()->process(f.context(), f.store);
  ASSERT_TRUE(outcome.isOk()) << outcome.message();

  const Subscription& s = f.store.subscriptions[0];
  EXPECT_EQ(s.status, SubscriptionStatus::kActive);
  EXPECT_EQ(s.consecutive_failures, 0);
  EXPECT_EQ(s.period_end, addMonths(kNow, 1));

  ASSERT_EQ(f.store.tickets.size(), 1u);
  EXPECT_EQ(f.store.tickets[0].subscription_id, 7);
  EXPECT_EQ(f.store.tickets[0].payment_id, "paymentd-sub7-c2-a3");
  EXPECT_EQ(f.store.tickets[0].period_start, kNow);
  EXPECT_EQ(f.store.tickets[0].period_end, addMonths(kNow, 1));
  EXPECT_EQ(f.store.tickets[0].lessons, 4);

  EXPECT_TRUE(f.store.outbox.empty());  // API 1.2: asked with schedulePayment()
  ASSERT_EQ(f.store.schedules.size(), 1u);
  const SchedulePaymentRequest& next = f.store.schedules[0];
  EXPECT_EQ(scheduledPaymentId(next.subscription_id, next.cycle, next.attempt),
            "paymentd-sub7-c3-a1");
  EXPECT_EQ(next.time_to_pay, addMonths(kNow, 1));
  EXPECT_EQ(next.amount, 59000);
  // The renewal's payment type is the host's (recurring.payment_type), not the plugin's.
  EXPECT_EQ(next.payment_type, "");
}

// Issue 20 defect 7: a renewal renews monthly plans only (a subscription whose
// plan became a lump sum or a trial is not charged as a month).
TEST(BillingProcessor, RefusesARenewalOfAPlanOfAnotherKind) {
  RenewalFixture f;
  f.store.plans["monthly-4"].months = 12;
  EXPECT_EQ(createPlugin<Processor>()->process(f.context(), f.store).code(), "PLAN_NOT_MONTHLY");
  EXPECT_TRUE(f.store.tickets.empty());
  EXPECT_TRUE(f.store.schedules.empty());
}

TEST(BillingProcessor, RefusesAPaymentIdThatNoScheduleMade) {
  RenewalFixture f;
  f.payment.id = "browser-payment-1";
  EXPECT_EQ(createPlugin<Processor>()->process(f.context(), f.store).code(),
            "NOT_A_SCHEDULED_PAYMENT");
  EXPECT_TRUE(f.store.tickets.empty());
}

TEST(BillingProcessor, SchedulesTheNextCycleAtThePlansPriceNow) {
  RenewalFixture f;
  f.store.plans["monthly-4"].price = 69000;  // changed after this renewal was scheduled at 59000
  ASSERT_TRUE(createPlugin<Processor>()->process(f.context(), f.store).isOk());
  ASSERT_EQ(f.store.schedules.size(), 1u);
  EXPECT_EQ(f.store.schedules[0].amount, 69000);
}

TEST(BillingProcessor, RefusesAScheduledLookingIdPaymentdNeverScheduled) {
  RenewalFixture f;
  f.scheduled_amount.reset();
  const Outcome outcome = createPlugin<Processor>()->process(f.context(), f.store);
  EXPECT_EQ(outcome.code(), "UNKNOWN_SCHEDULE");
  EXPECT_EQ(outcome.message(), "paymentd never scheduled paymentd-sub7-c2-a3");
  EXPECT_TRUE(f.store.tickets.empty());
  EXPECT_TRUE(f.store.outbox.empty());
  EXPECT_TRUE(f.store.schedules.empty());
  EXPECT_EQ(f.store.subscriptions[0].status, SubscriptionStatus::kPastDue);
}

TEST(BillingProcessor, RefusesAnotherUsersSubscription) {
  RenewalFixture f;
  f.claims.user_id = "43";
  EXPECT_EQ(createPlugin<Processor>()->process(f.context(), f.store).code(),
            "SUBSCRIPTION_MISMATCH");
  EXPECT_TRUE(f.store.outbox.empty());
  EXPECT_TRUE(f.store.schedules.empty());
}

TEST(BillingProcessor, RefusesAFailedSubscription) {
  RenewalFixture f;
  f.store.subscriptions[0].status = SubscriptionStatus::kFailed;
  EXPECT_EQ(createPlugin<Processor>()->process(f.context(), f.store).code(),
            "SUBSCRIPTION_NOT_LIVE");
}

TEST(BillingProcessor, RefusesAnotherBillingKey) {
  RenewalFixture f;
  f.payment.billing_key = "billing-key-2";
  EXPECT_EQ(createPlugin<Processor>()->process(f.context(), f.store).code(),
            "BILLING_KEY_MISMATCH");
  EXPECT_EQ(f.store.subscriptions[0].consecutive_failures, 2);
}

TEST(BillingProcessor, PassesOnTheDuplicateOfASecondChargeForThePeriod) {
  RenewalFixture f;
  f.store.tickets.push_back(NewTicket{7, "paymentd-sub7-c2-a1", kNow, addMonths(kNow, 1), 4});
  EXPECT_EQ(createPlugin<Processor>()->process(f.context(), f.store).code(), kDuplicateCode);
  EXPECT_TRUE(f.store.outbox.empty());
  EXPECT_TRUE(f.store.schedules.empty());
}

TEST(ScheduledPaymentId, ParsesWhatItMakesAndNothingElse) {
  const auto ref = parseScheduledPaymentId(scheduledPaymentId(12, 3, 4));
  ASSERT_TRUE(ref);
  EXPECT_EQ(ref->subscription_id, 12);
  EXPECT_EQ(ref->cycle, 3);
  EXPECT_EQ(ref->attempt, 4);
  for (const char* id : {"paymentd-sub12-c3", "paymentd-sub12-c3-a", "paymentd-sub-c3-a1",
                         "paymentd-sub1-c0-a1", "paymentd-sub1-c1-a1x", "pay-1", ""}) {
    EXPECT_FALSE(parseScheduledPaymentId(id)) << id;
  }
}

}  // namespace
}  // namespace paymentd::testing
