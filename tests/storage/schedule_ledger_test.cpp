// The schedule ledger against both backends: what a schedule request records,
// the legacy (API 1.1) enqueue of the same request, the one-paid-attempt-per-
// cycle guard, and the schema 7 backfill of schedules made before the ledger.
#include <gtest/gtest.h>

#include <chrono>

#include "paymentd/outbox.h"
#include "storage/errors.h"
#include "storage/migrations.h"
#include "storage/plan_catalog.h"
#include "storage/test_database.h"
#include "storage/transaction.h"

namespace paymentd::storage {
namespace {

using paymentd::testing::execute;
using paymentd::testing::queryInt;
using paymentd::testing::queryText;
using std::chrono::microseconds;

const Timestamp kNow = Timestamp(microseconds(1'717'243'200'123'456));

SchedulePaymentRequest renewal(std::int64_t subscription, int cycle, int attempt) {
  SchedulePaymentRequest request;
  request.subscription_id = subscription;
  request.cycle = cycle;
  request.attempt = attempt;
  request.user_id = "user-1";
  request.plan_id = "monthly-4";
  request.billing_key = "bk-1";
  request.amount = 59000;
  request.order_name = "Monthly 4";
  request.time_to_pay = kNow + std::chrono::hours(24 * 30);
  return request;
}

template <typename B>
class ScheduleLedgerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    PAYMENTD_REQUIRE_BACKEND(B::kBackend);
    db_ = std::make_unique<paymentd::testing::TestDatabase>(B::kBackend);
    DatabaseOptions options;
    options.clock = [] { return kNow; };
    options.sqlite_busy_timeout = std::chrono::milliseconds(300);
    database_ = db_->open(options);
  }
  void migrateTo(std::int64_t version) {
    migrate(*database_, version);
    syncPlanCatalog(*database_, {Plan{"monthly-4", "Monthly 4", 59000, 1, 4, false}});
  }
  std::int64_t subscribe(const std::string& user) {
    Transaction tx(*database_);
    auto id = tx.store().createSubscription(
        {user, "monthly-4", false, "bk-1", kNow, kNow + std::chrono::hours(24 * 30), "B1"});
    EXPECT_TRUE(id.hasValue());
    tx.commit();
    return id ? *id : 0;
  }
  std::string status(const std::string& payment_id) {
    return queryText(
        *database_, "SELECT status FROM payment_schedules WHERE payment_id = '" + payment_id + "'");
  }

  std::unique_ptr<paymentd::testing::TestDatabase> db_;
  std::shared_ptr<Database> database_;
};

using Backends =
    ::testing::Types<paymentd::testing::SqliteBackend, paymentd::testing::PostgresBackend>;
TYPED_TEST_SUITE(ScheduleLedgerTest, Backends, paymentd::testing::BackendNames);

// Both ways of asking record the same row and one outbox item naming only the
// payment; the item carries no copy of the charge to disagree with.
TYPED_TEST(ScheduleLedgerTest, RecordsWhatWasAskedOnceWhicheverWayItWasAsked) {
  this->migrateTo(latestSchemaVersion());
  const std::int64_t sub = this->subscribe("user-1");
  {
    Transaction tx(*this->database_);
    ASSERT_TRUE(tx.store().schedulePayment(renewal(sub, 2, 1)).isOk());
    ASSERT_TRUE(tx.store().schedulePayment(renewal(sub, 2, 1)).isOk());  // a repeat: no-op
    ASSERT_TRUE(tx.store().enqueueOutbox(toOutboxItem(renewal(sub, 3, 1))).isOk());  // API 1.1
    const auto seen = tx.schedules().find("paymentd-sub1-c2-a1");  // uncommitted, same transaction
    ASSERT_TRUE(seen);
    EXPECT_EQ(seen->request.amount, 59000);
    tx.commit();
  }
  EXPECT_EQ(queryInt(*this->database_, "SELECT COUNT(*) FROM payment_schedules"), 2);
  EXPECT_EQ(queryInt(*this->database_, "SELECT COUNT(*) FROM outbox"), 2);
  EXPECT_EQ(
      queryText(*this->database_,
                "SELECT payload FROM outbox WHERE dedupe_key = 'schedule:paymentd-sub1-c3-a1'"),
      R"({"payment_id":"paymentd-sub1-c3-a1"})");
  // The reconciler's lead: the subscription's next payment is the last one asked for.
  EXPECT_EQ(queryText(*this->database_, "SELECT next_payment_id FROM subscriptions"),
            "paymentd-sub1-c3-a1");

  Transaction tx(*this->database_);
  const auto charge = tx.schedules().find("paymentd-sub1-c3-a1");
  ASSERT_TRUE(charge);
  EXPECT_EQ(charge->status, ScheduleStatus::kPending);
  EXPECT_EQ(charge->request.amount, 59000);
  EXPECT_EQ(charge->request.currency, "KRW");
  EXPECT_EQ(charge->request.order_name, "Monthly 4");
  EXPECT_EQ(charge->request.billing_key, "bk-1");
  EXPECT_EQ(charge->request.time_to_pay, kNow + std::chrono::hours(24 * 30));
  EXPECT_FALSE(tx.schedules().find("paymentd-sub1-c2-a2"));
  EXPECT_FALSE(tx.schedules().find("paymentd-sub1-c9-a1"));
}

// Bad requests are refused and change nothing: an unreadable 1.1 payload, a
// schedule without billing key or amount, one for no subscription.
TYPED_TEST(ScheduleLedgerTest, RefusesWhatCannotBeChargedAndRecordsNothing) {
  this->migrateTo(latestSchemaVersion());
  const std::int64_t sub = this->subscribe("user-1");
  Transaction tx(*this->database_);
  const OutboxItem unreadable{"schedule_payment", "schedule:paymentd-sub1-c3-a1", R"({"amount":)",
                              kNow};
  EXPECT_EQ(tx.store().enqueueOutbox(unreadable).code(), "STORE_INVALID");
  SchedulePaymentRequest keyless = renewal(sub, 2, 1);
  keyless.billing_key.clear();
  EXPECT_EQ(tx.store().schedulePayment(keyless).code(), "STORE_INVALID");
  SchedulePaymentRequest free = renewal(sub, 2, 1);
  free.amount = 0;
  EXPECT_EQ(tx.store().schedulePayment(free).code(), "STORE_INVALID");
  tx.commit();
  EXPECT_EQ(queryInt(*this->database_, "SELECT COUNT(*) FROM payment_schedules"), 0);
  EXPECT_EQ(queryInt(*this->database_, "SELECT COUNT(*) FROM outbox"), 0);
  Transaction orphan(*this->database_);
  EXPECT_FALSE(orphan.store().schedulePayment(renewal(99, 1, 1)).isOk());  // no subscription 99
}

// Settling one attempt marks it PAID and withdraws the cycle's other pending
// attempts (each gets a revoke item); a second PAID attempt of the cycle is
// refused by the database itself.
TYPED_TEST(ScheduleLedgerTest, OneCycleIsPaidOnceAndItsOtherAttemptsAreWithdrawn) {
  this->migrateTo(latestSchemaVersion());
  const std::int64_t sub = this->subscribe("user-1");
  {
    Transaction tx(*this->database_);
    for (int attempt = 1; attempt <= 3; ++attempt) {
      ASSERT_TRUE(tx.store().schedulePayment(renewal(sub, 1, attempt)).isOk());
    }
    ASSERT_TRUE(tx.store().schedulePayment(renewal(sub, 2, 1)).isOk());
    EXPECT_TRUE(tx.schedules().markFailed("paymentd-sub1-c1-a1"));
    tx.commit();
  }
  {
    Transaction tx(*this->database_);
    EXPECT_FALSE(tx.schedules().paidAttempt(sub, 1));
    const auto paid = tx.schedules().find("paymentd-sub1-c1-a1");  // a late approval
    ASSERT_TRUE(paid);
    EXPECT_EQ(tx.settleCycle(*paid),
              (std::vector<std::string>{"paymentd-sub1-c1-a2", "paymentd-sub1-c1-a3"}));
    tx.commit();
  }
  EXPECT_EQ(this->status("paymentd-sub1-c1-a1"), "PAID");
  EXPECT_EQ(this->status("paymentd-sub1-c1-a2"), "REVOKED");
  EXPECT_EQ(this->status("paymentd-sub1-c1-a3"), "REVOKED");
  EXPECT_EQ(this->status("paymentd-sub1-c2-a1"), "PENDING");  // another cycle: untouched
  EXPECT_EQ(queryInt(*this->database_,
                     "SELECT COUNT(*) FROM outbox WHERE kind = 'revoke_schedule' AND dedupe_key "
                     "IN ('revoke:paymentd-sub1-c1-a2', 'revoke:paymentd-sub1-c1-a3')"),
            2);

  Transaction tx(*this->database_);
  EXPECT_EQ(tx.schedules().paidAttempt(sub, 1), std::optional<std::string>("paymentd-sub1-c1-a1"));
  EXPECT_THROW(tx.schedules().markPaid("paymentd-sub1-c1-a2"), Duplicate);
}

// Schedules enqueued before schema 7 move into the ledger with what happened
// to them; a cycle charged twice before the guard is kept as PAID_TWICE.
TYPED_TEST(ScheduleLedgerTest, TheBackfillMovesOlderSchedulesWithTheirFate) {
  this->migrateTo(6);
  const std::int64_t sub = this->subscribe("user-1");
  const char* kItem =
      "INSERT INTO outbox (kind, dedupe_key, payload, status, attempts, due_at_us, "
      "created_at_us, updated_at_us) VALUES ('schedule_payment', '";
  const auto legacy = [&](int cycle, int attempt, const std::string& item_status) {
    const OutboxItem item = toOutboxItem(renewal(sub, cycle, attempt));
    execute(*this->database_, kItem + item.dedupe_key + "', '" + item.payload + "', '" +
                                  item_status + "', 1, 0, 0, 0)");
  };
  legacy(1, 1, "DONE");     // declined, counted
  legacy(1, 2, "DONE");     // its retry, charged
  legacy(1, 3, "DONE");     // charged too: the double charge of before
  legacy(2, 1, "PENDING");  // not yet sent
  legacy(3, 1, "DONE");     // at PortOne
  execute(*this->database_,
          "INSERT INTO outbox (kind, dedupe_key, payload, status, attempts, due_at_us, "
          "created_at_us, updated_at_us) VALUES ('schedule_payment', "
          "'schedule:paymentd-sub1-c4-a1', '{\"amount\":', 'DONE', 1, 0, 0, 0)");
  execute(*this->database_,
          "INSERT INTO billing_failures (payment_id, subscription_id, cycle, attempt, "
          "failure_number, outcome, created_at_us) VALUES ('paymentd-sub1-c1-a1', 1, 1, 1, 1, "
          "'PAST_DUE', 0)");
  for (const char* id : {"paymentd-sub1-c1-a2", "paymentd-sub1-c1-a3"}) {
    execute(*this->database_,
            std::string("INSERT INTO payments (id, payment_type, user_id, amount, currency, "
                        "fulfilled_at_us) VALUES ('") +
                id + "', 'BILLING', 'user-1', 59000, 'KRW', 0)");
  }

  const MigrationReport report = migrate(*this->database_);
  EXPECT_EQ(report.from, 6);
  EXPECT_EQ(report.to, latestSchemaVersion());
  EXPECT_EQ(this->status("paymentd-sub1-c1-a1"), "FAILED");
  EXPECT_EQ(this->status("paymentd-sub1-c1-a2"), "PAID");
  EXPECT_EQ(this->status("paymentd-sub1-c1-a3"), "PAID_TWICE");
  EXPECT_EQ(this->status("paymentd-sub1-c2-a1"), "PENDING");
  EXPECT_EQ(this->status("paymentd-sub1-c3-a1"), "SCHEDULED");
  EXPECT_EQ(queryInt(*this->database_,
                     "SELECT COUNT(*) FROM payment_schedules WHERE payment_id = "
                     "'paymentd-sub1-c4-a1'"),
            0);  // unreadable: left out, never a guessed amount
  EXPECT_EQ(
      queryInt(*this->database_,
               "SELECT amount FROM payment_schedules WHERE payment_id = 'paymentd-sub1-c2-a1'"),
      59000);
}

}  // namespace
}  // namespace paymentd::storage
