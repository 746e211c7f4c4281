// The store contract, run against both backends: each assertion reads back
// what landed in the database.
#include <gtest/gtest.h>

#include <chrono>

#include "paymentd/outbox.h"
#include "storage/coupon_book.h"
#include "storage/migrations.h"
#include "storage/outbox_queue.h"
#include "storage/payment_log.h"
#include "storage/plan_catalog.h"
#include "storage/subscriber_phone.h"
#include "storage/test_database.h"
#include "storage/transaction.h"

namespace paymentd::storage {
namespace {

using paymentd::testing::queryInt;
using paymentd::testing::queryText;
using std::chrono::microseconds;

// A fixed instant with a microsecond fraction, so precision loss would show.
const Timestamp kNow = Timestamp(microseconds(1'717'243'200'123'456));

template <typename B>
class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    PAYMENTD_REQUIRE_BACKEND(B::kBackend);
    db_ = std::make_unique<paymentd::testing::TestDatabase>(B::kBackend);
    DatabaseOptions options;
    options.clock = [] { return kNow; };
    options.sqlite_busy_timeout = std::chrono::milliseconds(300);
    database_ = db_->open(options);
  }

  void migrateAndSeed() {
    migrate(*database_);
    syncPlanCatalog(*database_, {Plan{"monthly-4", "Monthly 4", 59000, 1, 4, false},
                                 Plan{"yearly-8", "Yearly 8", 89000, 12, 8, false},
                                 Plan{"trial", "Trial", 0, 1, 1, true}});
  }

  std::int64_t createSubscription(const std::string& user, const std::string& plan,
                                  bool trial = false) {
    Transaction tx(*database_);
    NewSubscription sub{user, plan, trial, "bk-1", kNow, kNow + std::chrono::hours(24 * 30), "B1"};
    auto id = tx.store().createSubscription(sub);
    EXPECT_TRUE(id.hasValue()) << (id ? "" : id.error().message());
    tx.commit();
    return id ? *id : 0;
  }

  std::int64_t count(const std::string& table) {
    return queryInt(*database_, "SELECT COUNT(*) FROM " + table);
  }

  std::unique_ptr<paymentd::testing::TestDatabase> db_;
  std::shared_ptr<Database> database_;
};

using Backends =
    ::testing::Types<paymentd::testing::SqliteBackend, paymentd::testing::PostgresBackend>;
TYPED_TEST_SUITE(StoreTest, Backends, paymentd::testing::BackendNames);

TYPED_TEST(StoreTest, MigratesAnEmptyDatabaseAndRecordsTheVersion) {
  const MigrationReport report = migrate(*this->database_);
  EXPECT_EQ(report.from, 0);
  EXPECT_EQ(report.to, latestSchemaVersion());
  EXPECT_EQ(queryInt(*this->database_, "SELECT MAX(version) FROM schema_migrations"),
            latestSchemaVersion());
  EXPECT_EQ(queryText(*this->database_, "SELECT name FROM schema_migrations WHERE version = 1"),
            "domain schema");
  for (const char* table :
       {"plans", "subscriptions", "tickets", "lessons", "level_tests", "coupons", "payments",
        "payment_failures", "payment_events", "outbox"}) {
    EXPECT_EQ(this->count(table), 0) << table;
  }
}

TYPED_TEST(StoreTest, RerunningMigrationsChangesNothing) {
  migrate(*this->database_);
  // Version numbers may have gaps: the rows are counted, the highest is the latest.
  const std::int64_t applied = this->count("schema_migrations");
  EXPECT_GE(applied, 9);
  EXPECT_EQ(
      paymentd::testing::queryInt(*this->database_, "SELECT MAX(version) FROM schema_migrations"),
      latestSchemaVersion());
  const MigrationReport again = migrate(*this->database_);
  EXPECT_EQ(again.from, latestSchemaVersion());
  EXPECT_EQ(again.to, latestSchemaVersion());
  EXPECT_EQ(this->count("schema_migrations"), applied);
}

TYPED_TEST(StoreTest, RefusesASchemaNewerThanItKnows) {
  migrate(*this->database_);
  const std::int64_t applied = this->count("schema_migrations");
  const std::int64_t newer = latestSchemaVersion() + 1;
  paymentd::testing::execute(
      *this->database_, "INSERT INTO schema_migrations (version, name, applied_at_us) VALUES (" +
                            std::to_string(newer) + ", 'from the future', 0)");
  try {
    migrate(*this->database_);
    FAIL() << "migrate accepted a newer schema";
  } catch (const SchemaTooNew& e) {
    EXPECT_EQ(std::string(e.what()), "database " + this->database_->display() +
                                         " has schema version " + std::to_string(newer) +
                                         ", newer than this paymentd knows (" +
                                         std::to_string(latestSchemaVersion()) +
                                         "); upgrade paymentd or point it at another database");
  }
  EXPECT_EQ(this->count("schema_migrations"), applied + 1);
}

TYPED_TEST(StoreTest, ReadsBackWhatProcessorsWroteWithMicrosecondTimes) {
  this->migrateAndSeed();
  const std::int64_t id = this->createSubscription("user-1", "monthly-4");
  EXPECT_EQ(queryInt(*this->database_, "SELECT period_start_us FROM subscriptions"),
            1'717'243'200'123'456);

  Transaction tx(*this->database_);
  auto sub = tx.store().subscription(id);
  ASSERT_TRUE(sub.hasValue());
  ASSERT_TRUE(sub->has_value());
  const Subscription& s = **sub;
  EXPECT_EQ(s.user_id, "user-1");
  EXPECT_EQ(s.plan_id, "monthly-4");
  EXPECT_EQ(s.status, SubscriptionStatus::kActive);
  EXPECT_FALSE(s.trial);
  EXPECT_EQ(s.billing_key, std::optional<std::string>("bk-1"));
  EXPECT_EQ(s.period_start, kNow);
  EXPECT_EQ(s.period_end, kNow + std::chrono::hours(24 * 30));
  EXPECT_EQ(s.level, std::optional<std::string>("B1"));

  auto current = tx.store().currentSubscription("user-1", "monthly-4");
  ASSERT_TRUE(current.hasValue());
  ASSERT_TRUE(current->has_value());
  EXPECT_EQ((*current)->id, id);
  auto none = tx.store().currentSubscription("user-2", "monthly-4");
  ASSERT_TRUE(none.hasValue());
  EXPECT_FALSE(none->has_value());

  auto plan = tx.store().plan("yearly-8");
  ASSERT_TRUE(plan.hasValue());
  ASSERT_TRUE(plan->has_value());
  EXPECT_EQ((*plan)->name, "Yearly 8");
  EXPECT_EQ((*plan)->price, 89000);
  EXPECT_EQ((*plan)->months, 12);
  EXPECT_EQ((*plan)->lessons_per_month, 8);
  EXPECT_FALSE((*plan)->trial);
  auto missing = tx.store().plan("nope");
  ASSERT_TRUE(missing.hasValue());
  EXPECT_FALSE(missing->has_value());
}

TYPED_TEST(StoreTest, UpdatesOnlyTheGivenSubscriptionFields) {
  this->migrateAndSeed();
  const std::int64_t id = this->createSubscription("user-1", "monthly-4");
  {
    Transaction tx(*this->database_);
    SubscriptionUpdate update;
    update.subscription_id = id;
    update.status = SubscriptionStatus::kPastDue;
    update.consecutive_failures = 3;
    ASSERT_TRUE(tx.store().updateSubscription(update).isOk());
    tx.commit();
  }
  EXPECT_EQ(queryText(*this->database_, "SELECT status FROM subscriptions"), "PAST_DUE");
  EXPECT_EQ(queryInt(*this->database_, "SELECT consecutive_failures FROM subscriptions"), 3);
  EXPECT_EQ(queryText(*this->database_, "SELECT billing_key FROM subscriptions"), "bk-1");
  EXPECT_EQ(queryInt(*this->database_, "SELECT period_end_us FROM subscriptions"),
            1'717'243'200'123'456 + 30LL * 24 * 3600 * 1'000'000);

  Transaction tx(*this->database_);
  SubscriptionUpdate unknown;
  unknown.subscription_id = id + 1000;
  unknown.status = SubscriptionStatus::kActive;
  const Outcome outcome = tx.store().updateSubscription(unknown);
  EXPECT_TRUE(outcome.isRejected());
  EXPECT_EQ(outcome.code(), "SUBSCRIPTION_NOT_FOUND");
}

TYPED_TEST(StoreTest, KeepsThePayersPhoneWithTheSubscriptionsItWrites) {
  this->migrateAndSeed();
  std::int64_t with_phone = 0;
  {
    Transaction tx(*this->database_);
    tx.forPayment("pay-1", "01012345678");
    auto id = tx.store().createSubscription(
        {"user-1", "monthly-4", false, "bk-1", kNow, kNow + std::chrono::hours(24), {}});
    ASSERT_TRUE(id.hasValue());
    with_phone = *id;
    tx.commit();
  }
  const std::int64_t without_phone = this->createSubscription("user-2", "monthly-4");
  EXPECT_EQ(subscriberPhone(*this->database_, with_phone), "01012345678");
  EXPECT_EQ(subscriberPhone(*this->database_, without_phone), std::nullopt);
  EXPECT_EQ(subscriberPhone(*this->database_, with_phone + 1000), std::nullopt);

  // A renewal paid without a number keeps the stored one; one with a number replaces it.
  const auto renew = [&](std::optional<std::string> phone) {
    Transaction tx(*this->database_);
    tx.forPayment("pay-renewal", std::move(phone));
    SubscriptionUpdate update;
    update.subscription_id = with_phone;
    update.consecutive_failures = 0;
    ASSERT_TRUE(tx.store().updateSubscription(update).isOk());
    tx.commit();
  };
  renew(std::nullopt);
  EXPECT_EQ(subscriberPhone(*this->database_, with_phone), "01012345678");
  renew("01099998888");
  EXPECT_EQ(subscriberPhone(*this->database_, with_phone), "01099998888");
  EXPECT_EQ(subscriberPhone(*this->database_, without_phone), std::nullopt);
}

TYPED_TEST(StoreTest, FulfillingAPaymentTwiceIsATypedDuplicate) {
  this->migrateAndSeed();
  const FulfilledPayment payment{"pay-1",      "LUMP_SUM",   "user-1", "yearly-8",
                                 std::nullopt, std::nullopt, 1068000,  "KRW"};
  {
    Transaction tx(*this->database_);
    EXPECT_EQ(tx.store().isFulfilled("pay-1").value(), false);
    tx.recordFulfilment(payment);
    tx.commit();
  }
  Transaction tx(*this->database_);
  EXPECT_EQ(tx.store().isFulfilled("pay-1").value(), true);
  EXPECT_THROW(tx.recordFulfilment(payment), Duplicate);
  tx.rollback();
  EXPECT_EQ(this->count("payments"), 1);
  EXPECT_EQ(queryInt(*this->database_, "SELECT amount FROM payments WHERE id = 'pay-1'"), 1068000);
}

TYPED_TEST(StoreTest, IssuesTwelveTicketsInOneStatement) {
  this->migrateAndSeed();
  const std::int64_t id = this->createSubscription("user-1", "yearly-8");
  Transaction tx(*this->database_);
  std::vector<NewTicket> tickets;
  for (int month = 0; month < 12; ++month) {
    const Timestamp start = kNow + std::chrono::hours(24 * 30 * month);
    tickets.push_back({id, "pay-1", start, start + std::chrono::hours(24 * 30), 8});
  }
  const std::uint64_t before = tx.statements();
  auto issued = tx.store().issueTickets(tickets);
  EXPECT_EQ(tx.statements() - before, 1u);
  ASSERT_TRUE(issued.hasValue()) << issued.error().message();
  EXPECT_EQ(*issued, 12);
  tx.commit();
  EXPECT_EQ(this->count("tickets"), 12);
  EXPECT_EQ(
      queryInt(*this->database_, "SELECT SUM(lessons) FROM tickets WHERE payment_id = 'pay-1'"),
      96);
  EXPECT_EQ(queryInt(*this->database_, "SELECT MAX(period_start_us) FROM tickets"),
            1'717'243'200'123'456 + 11LL * 30 * 24 * 3600 * 1'000'000);
}

TYPED_TEST(StoreTest, ASecondTicketForTheSamePeriodIsADuplicate) {
  this->migrateAndSeed();
  const std::int64_t id = this->createSubscription("user-1", "monthly-4");
  const std::vector<NewTicket> ticket{{id, "pay-1", kNow, kNow + std::chrono::hours(720), 4}};
  {
    Transaction tx(*this->database_);
    ASSERT_TRUE(tx.store().issueTickets(ticket).hasValue());
    tx.commit();
  }
  Transaction tx(*this->database_);
  auto again = tx.store().issueTickets(ticket);
  ASSERT_FALSE(again.hasValue());
  EXPECT_TRUE(again.error().isRejected());
  EXPECT_EQ(again.error().code(), kDuplicateCode);
  tx.rollback();
  EXPECT_EQ(this->count("tickets"), 1);
}

TYPED_TEST(StoreTest, AllowsOneLiveSubscriptionPerUserAndPlan) {
  this->migrateAndSeed();
  const std::int64_t first = this->createSubscription("user-1", "monthly-4");
  {
    Transaction tx(*this->database_);
    auto second =
        tx.store().createSubscription({"user-1", "monthly-4", false, std::nullopt, kNow, kNow, {}});
    ASSERT_FALSE(second.hasValue());
    EXPECT_EQ(second.error().code(), kDuplicateCode);
  }
  {
    Transaction tx(*this->database_);
    SubscriptionUpdate cancel;
    cancel.subscription_id = first;
    cancel.status = SubscriptionStatus::kCancelled;
    ASSERT_TRUE(tx.store().updateSubscription(cancel).isOk());
    tx.commit();
  }
  this->createSubscription("user-1", "monthly-4");
  this->createSubscription("user-2", "monthly-4");
  EXPECT_EQ(this->count("subscriptions"), 3);
  EXPECT_EQ(
      queryInt(*this->database_,
               "SELECT COUNT(*) FROM subscriptions WHERE user_id = 'user-1' AND status = 'ACTIVE'"),
      1);
}

TYPED_TEST(StoreTest, AllowsOneTrialPerUserEver) {
  this->migrateAndSeed();
  {
    Transaction tx(*this->database_);
    EXPECT_EQ(tx.store().hadTrial("user-1").value(), false);
  }
  const std::int64_t trial = this->createSubscription("user-1", "trial", true);
  {
    Transaction tx(*this->database_);
    SubscriptionUpdate cancel;
    cancel.subscription_id = trial;
    cancel.status = SubscriptionStatus::kCancelled;
    ASSERT_TRUE(tx.store().updateSubscription(cancel).isOk());
    tx.commit();
  }
  Transaction tx(*this->database_);
  EXPECT_EQ(tx.store().hadTrial("user-1").value(), true);
  auto again =
      tx.store().createSubscription({"user-1", "trial", true, std::nullopt, kNow, kNow, {}});
  ASSERT_FALSE(again.hasValue());
  EXPECT_EQ(again.error().code(), kDuplicateCode);
  tx.rollback();
  EXPECT_EQ(queryInt(*this->database_, "SELECT COUNT(*) FROM subscriptions WHERE trial"), 1);
}

TYPED_TEST(StoreTest, ACouponIsUsedByAtMostOnePayment) {
  this->migrateAndSeed();
  issueCoupon(*this->database_, {"cpn-1", "user-1", 5000, std::nullopt});
  EXPECT_THROW(issueCoupon(*this->database_, {"cpn-1", "user-2", 1, std::nullopt}), Duplicate);
  {
    Transaction tx(*this->database_);
    auto coupon = tx.store().coupon("cpn-1");
    ASSERT_TRUE(coupon.hasValue());
    ASSERT_TRUE(coupon->has_value());
    EXPECT_EQ((*coupon)->user_id, "user-1");
    EXPECT_EQ((*coupon)->discount, 5000);
    EXPECT_FALSE((*coupon)->used_by_payment_id.has_value());
    ASSERT_TRUE(tx.store().useCoupon("cpn-1", "pay-1").isOk());
    tx.commit();
  }
  Transaction tx(*this->database_);
  const Outcome second = tx.store().useCoupon("cpn-1", "pay-2");
  EXPECT_TRUE(second.isRejected());
  EXPECT_EQ(second.code(), kDuplicateCode);
  const Outcome unknown = tx.store().useCoupon("cpn-404", "pay-2");
  EXPECT_EQ(unknown.code(), "COUPON_NOT_FOUND");
  tx.rollback();
  EXPECT_EQ(
      queryText(*this->database_, "SELECT used_by_payment_id FROM coupons WHERE id = 'cpn-1'"),
      "pay-1");
}

TYPED_TEST(StoreTest, ReadsTheLatestLevelTestTheApplicationWrote) {
  this->migrateAndSeed();
  paymentd::testing::execute(
      *this->database_,
      "INSERT INTO level_tests (user_id, level, taken_at_us) VALUES ('user-1', 'A2', 100), "
      "('user-1', 'B1', 200), ('user-2', 'C1', 300)");
  Transaction tx(*this->database_);
  auto test = tx.store().levelTest("user-1");
  ASSERT_TRUE(test.hasValue());
  ASSERT_TRUE(test->has_value());
  EXPECT_EQ((*test)->level, "B1");
  EXPECT_EQ((*test)->taken_at, Timestamp(microseconds(200)));
  auto none = tx.store().levelTest("user-3");
  ASSERT_TRUE(none.hasValue());
  EXPECT_FALSE(none->has_value());
}

TYPED_TEST(StoreTest, ReservesALessonAndEnqueuesOutboxItemsOncePerKey) {
  this->migrateAndSeed();
  const std::int64_t sub = this->createSubscription("user-1", "trial", true);
  {
    Transaction tx(*this->database_);
    auto lesson = tx.store().reserveLesson({sub, "user-1", "TRIAL", kNow + std::chrono::hours(2)});
    ASSERT_TRUE(lesson.hasValue());
    const OutboxItem item{"notify", "notify:pay-1:committed", R"({"channel":"sms"})", kNow};
    ASSERT_TRUE(tx.store().enqueueOutbox(item).isOk());
    ASSERT_TRUE(tx.store().enqueueOutbox(item).isOk());
    tx.commit();
  }
  EXPECT_EQ(queryText(*this->database_, "SELECT kind FROM lessons"), "TRIAL");
  EXPECT_EQ(this->count("outbox"), 1);

  OutboxQueue queue(*this->database_);
  auto due = queue.due(kNow, 10);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].item.dedupe_key, "notify:pay-1:committed");
  EXPECT_EQ(due[0].item.payload, R"({"channel":"sms"})");
  EXPECT_EQ(due[0].item.due_at, kNow);
  EXPECT_TRUE(queue.due(kNow - microseconds(1), 10).empty());
  queue.retryLater(due[0].id, kNow + std::chrono::seconds(60), "timeout");
  EXPECT_TRUE(queue.due(kNow, 10).empty());
  ASSERT_EQ(queue.due(kNow + std::chrono::seconds(60), 10).size(), 1u);
  queue.markDone(due[0].id);
  EXPECT_TRUE(queue.due(kNow + std::chrono::hours(1), 10).empty());
  EXPECT_EQ(queryText(*this->database_, "SELECT status FROM outbox"), "DONE");
  EXPECT_EQ(queryInt(*this->database_, "SELECT attempts FROM outbox"), 2);
}

TYPED_TEST(StoreTest, EventsAndFailuresSurviveTheRollbackOfThePaymentsWork) {
  this->migrateAndSeed();
  PaymentLog log(*this->database_);
  log.recordEvent({"pay-9", kNow, "received", "ok", "Transaction.Paid"});
  {
    Transaction tx(*this->database_);
    ASSERT_TRUE(tx.store()
                    .createSubscription({"user-9", "monthly-4", false, {}, kNow, kNow, {}})
                    .hasValue());
    tx.recordFulfilment({"pay-9", "FIRST_BILLING", "user-9", "monthly-4", std::nullopt,
                         std::nullopt, 59000, "KRW"});
    if (this->database_->backend() == Backend::kPostgres) {
      // Its own transaction even while the payment's is open.
      log.recordEvent({"pay-9", kNow, "processor:first_billing", "rejected", "AMOUNT_MISMATCH"});
    }
    tx.rollback();
  }
  if (this->database_->backend() == Backend::kSqlite) {
    log.recordEvent({"pay-9", kNow, "processor:first_billing", "rejected", "AMOUNT_MISMATCH"});
  }
  log.recordFailure({"pay-9", std::string("FIRST_BILLING"), "AMOUNT_MISMATCH", "paid 1 of 59000",
                     RefundState::kIntended});
  EXPECT_EQ(this->count("subscriptions"), 0);
  EXPECT_EQ(this->count("payments"), 0);
  EXPECT_EQ(this->count("payment_events"), 2);

  PaymentCheck check = log.check("pay-9");
  EXPECT_EQ(check.status, PaymentCheck::Status::kFailed);
  EXPECT_EQ(check.reason, std::optional<std::string>("AMOUNT_MISMATCH"));
  EXPECT_EQ(check.payment_type, std::optional<std::string>("FIRST_BILLING"));
  EXPECT_FALSE(check.refunded);
  log.setRefund("pay-9", RefundState::kDone);
  EXPECT_TRUE(log.check("pay-9").refunded);
  EXPECT_EQ(
      queryText(*this->database_, "SELECT refund FROM payment_failures WHERE payment_id = 'pay-9'"),
      "DONE");

  const auto events = log.events("pay-9");
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].stage, "received");
  EXPECT_EQ(events[1].stage, "processor:first_billing");
  EXPECT_EQ(events[1].detail, "AMOUNT_MISMATCH");
  EXPECT_EQ(events[1].at, kNow);
}

TYPED_TEST(StoreTest, ReportsPendingThenCompleted) {
  this->migrateAndSeed();
  PaymentLog log(*this->database_);
  EXPECT_EQ(log.check("pay-5").status, PaymentCheck::Status::kPending);
  {
    Transaction tx(*this->database_);
    tx.recordFulfilment(
        {"pay-5", "BILLING", "user-5", "monthly-4", std::nullopt, std::nullopt, 59000, "KRW"});
    EXPECT_EQ(log.check("pay-5").status, PaymentCheck::Status::kPending);  // not committed yet
    tx.commit();
  }
  const PaymentCheck check = log.check("pay-5");
  EXPECT_EQ(check.status, PaymentCheck::Status::kCompleted);
  EXPECT_EQ(check.payment_type, std::optional<std::string>("BILLING"));
  EXPECT_FALSE(check.reason.has_value());
}

TYPED_TEST(StoreTest, CatalogSyncUpsertsAndNeverDeletesAReferencedPlan) {
  migrate(*this->database_);
  const Plan a{"a", "Plan A", 1000, 1, 4, false};
  const Plan b{"b", "Plan B", 2000, 1, 8, false};
  const Plan c{"c", "Plan C", 3000, 1, 8, false};
  CatalogSyncReport first = syncPlanCatalog(*this->database_, {a, b, c});
  EXPECT_EQ(first.upserted, 3u);
  this->createSubscription("user-1", "b");

  Plan a2 = a;
  a2.price = 1500;
  a2.name = "Plan A, dearer";
  const CatalogSyncReport second = syncPlanCatalog(*this->database_, {a2});
  EXPECT_EQ(second.upserted, 1u);
  EXPECT_EQ(second.retired, 1u);
  EXPECT_EQ(second.deleted, 1u);
  EXPECT_EQ(queryInt(*this->database_, "SELECT price FROM plans WHERE id = 'a'"), 1500);
  EXPECT_EQ(queryText(*this->database_, "SELECT name FROM plans WHERE id = 'a'"), "Plan A, dearer");
  EXPECT_EQ(queryInt(*this->database_, "SELECT COUNT(*) FROM plans WHERE id = 'b' AND retired"), 1);
  EXPECT_EQ(queryInt(*this->database_, "SELECT COUNT(*) FROM plans WHERE id = 'c'"), 0);

  // Listing it again brings it back.
  syncPlanCatalog(*this->database_, {a2, b});
  EXPECT_EQ(queryInt(*this->database_, "SELECT COUNT(*) FROM plans WHERE retired"), 0);
}

}  // namespace
}  // namespace paymentd::storage
