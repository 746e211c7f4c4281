// PostgreSQL-only behaviour: concurrent fulfilment and connection failures.
#include <gtest/gtest.h>

#include <atomic>
#include <barrier>
#include <thread>

#include "storage/coupon_book.h"
#include "storage/migrations.h"
#include "storage/plan_catalog.h"
#include "storage/readiness_probe.h"
#include "storage/test_database.h"
#include "storage/transaction.h"

namespace paymentd::storage {
namespace {

class PostgresStore : public ::testing::Test {
 protected:
  void SetUp() override { PAYMENTD_REQUIRE_BACKEND(Backend::kPostgres); }
};

TEST_F(PostgresStore, TwoConcurrentFulfilmentsOfOnePaymentCommitExactlyOnce) {
  paymentd::testing::TestDatabase db(Backend::kPostgres);
  auto database = db.open();
  migrate(*database);
  const FulfilledPayment payment{"pay-race",   "BILLING",    "user-1", std::nullopt,
                                 std::nullopt, std::nullopt, 59000,    "KRW"};
  std::barrier both_begun(2);
  std::atomic<int> committed{0};
  std::atomic<int> duplicates{0};
  std::atomic<int> other{0};
  auto fulfil = [&] {
    try {
      Transaction tx(*database);
      both_begun.arrive_and_wait();  // both transactions are open before either inserts
      tx.recordFulfilment(payment);
      tx.commit();
      ++committed;
    } catch (const Duplicate&) {
      ++duplicates;
    } catch (...) {
      ++other;
    }
  };
  std::thread a(fulfil);
  std::thread b(fulfil);
  a.join();
  b.join();
  EXPECT_EQ(committed.load(), 1);
  EXPECT_EQ(duplicates.load(), 1);
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(
      paymentd::testing::queryInt(*database, "SELECT COUNT(*) FROM payments WHERE id = 'pay-race'"),
      1);
}

// Runs `work` in two transactions at once (both begun before either works)
// and returns how many committed; `rejected` counts DUPLICATE outcomes.
template <typename Work>
int race(Database& database, Work work, int& rejected) {
  std::barrier both_begun(2);
  std::atomic<int> committed{0};
  std::atomic<int> duplicates{0};
  auto run = [&](int which) {
    Transaction tx(database);
    both_begun.arrive_and_wait();
    const Outcome outcome = work(tx.store(), which);
    if (outcome.isOk()) {
      tx.commit();
      ++committed;
    } else if (outcome.isRejected() && outcome.code() == kDuplicateCode) {
      ++duplicates;
    }
  };
  std::thread a(run, 1);
  std::thread b(run, 2);
  a.join();
  b.join();
  rejected = duplicates.load();
  return committed.load();
}

TEST_F(PostgresStore, TwoConcurrentUsesOfOneCouponLetExactlyOnePaymentHaveIt) {
  paymentd::testing::TestDatabase db(Backend::kPostgres);
  auto database = db.open();
  migrate(*database);
  issueCoupon(*database, {"cpn-1", "user-1", 5000, std::nullopt});
  int rejected = 0;
  const int committed = race(
      *database,
      [](StoreWriter& store, int which) {
        return store.useCoupon("cpn-1", "pay-" + std::to_string(which));
      },
      rejected);
  EXPECT_EQ(committed, 1);
  EXPECT_EQ(rejected, 1);
  EXPECT_EQ(paymentd::testing::queryInt(
                *database, "SELECT COUNT(*) FROM coupons WHERE used_by_payment_id IS NOT NULL"),
            1);
}

TEST_F(PostgresStore, TwoConcurrentSubscriptionsToOnePlanLeaveOneLive) {
  paymentd::testing::TestDatabase db(Backend::kPostgres);
  auto database = db.open();
  migrate(*database);
  syncPlanCatalog(*database, {Plan{"monthly-4", "Monthly 4", 59000, 1, 4, false}});
  int rejected = 0;
  const int committed = race(
      *database,
      [](StoreWriter& store, int) -> Outcome {
        auto id =
            store.createSubscription({"user-1", "monthly-4", false, std::nullopt, {}, {}, {}});
        return id ? Outcome::ok() : id.error();
      },
      rejected);
  EXPECT_EQ(committed, 1);
  EXPECT_EQ(rejected, 1);
  EXPECT_EQ(paymentd::testing::queryInt(*database, "SELECT COUNT(*) FROM subscriptions"), 1);
}

TEST_F(PostgresStore, ARefusedConnectionIsTransient) {
  EXPECT_THROW(Database::open("postgresql://postgres@127.0.0.1:1/paymentd", {}), Transient);
}

TEST_F(PostgresStore, AnUnknownDatabaseIsNamedInTheError) {
  paymentd::testing::TestDatabase db(Backend::kPostgres);
  const std::string url = db.url() + "_missing";
  try {
    Database::open(url, {});
    FAIL() << "opened a missing database";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("does not exist"), std::string::npos) << e.what();
  }
}

TEST_F(PostgresStore, TheReadinessProbeAnswersFromItsLastResultWithinTheInterval) {
  paymentd::testing::TestDatabase db(Backend::kPostgres);
  auto database = db.open();
  ReadinessProbe probe(*database, std::chrono::milliseconds(300));
  EXPECT_EQ(probe.check(), std::nullopt);
  const std::uint64_t statements = database->statements();
  db.drop();                               // the database goes away, and with it every session
  EXPECT_EQ(probe.check(), std::nullopt);  // cached: no query sent
  EXPECT_EQ(database->statements(), statements);
  std::this_thread::sleep_for(std::chrono::milliseconds(350));
  const auto failure = probe.check();
  ASSERT_TRUE(failure.has_value());
  EXPECT_NE(failure->find(db.name()), std::string::npos) << *failure;
}

}  // namespace
}  // namespace paymentd::storage
