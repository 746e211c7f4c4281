#include <gtest/gtest.h>

#include "payment_fixture.h"
#include "plugin_under_test.h"

namespace paymentd::testing {
namespace {

TEST(DuplicateLessonValidator, RejectsASecondLiveSubscriptionToThePlan) {
  PaymentFixture f;
  auto validator = createPlugin<Validator>();
  EXPECT_TRUE(validator->validate(f.context(), f.store).isOk());
  f.store.subscriptions.push_back(f.liveSubscription("monthly-4", SubscriptionStatus::kActive));
  Outcome outcome = validator->validate(f.context(), f.store);
  EXPECT_EQ(outcome.code(), "DUPLICATE_SUBSCRIPTION");
  f.claims.subscribe_id = "yearly-8";  // another plan is fine
  EXPECT_TRUE(validator->validate(f.context(), f.store).isOk());
}

TEST(DuplicateLessonValidator, AllowsANewSubscriptionAfterTheOldOneFailed) {
  PaymentFixture f;
  f.store.subscriptions.push_back(f.liveSubscription("monthly-4", SubscriptionStatus::kFailed));
  EXPECT_TRUE(createPlugin<Validator>()->validate(f.context(), f.store).isOk());
}

TEST(DuplicateLessonValidator, RejectsASecondTrial) {
  PaymentFixture f;
  f.claims.payment_type = "TRIAL_FREE";
  auto validator = createPlugin<Validator>();
  EXPECT_TRUE(validator->validate(f.context(), f.store).isOk());
  Subscription trial = f.liveSubscription("trial", SubscriptionStatus::kCancelled);
  trial.trial = true;
  f.store.subscriptions.push_back(trial);
  EXPECT_EQ(validator->validate(f.context(), f.store).code(), "DUPLICATE_TRIAL");
}

TEST(DuplicateLessonValidator, LeavesRenewalsAlone) {
  PaymentFixture f;
  f.claims.payment_type = "BILLING";
  f.store.subscriptions.push_back(f.liveSubscription("monthly-4", SubscriptionStatus::kActive));
  EXPECT_TRUE(createPlugin<Validator>()->validate(f.context(), f.store).isOk());
}

}  // namespace
}  // namespace paymentd::testing
