// A PostgreSQL restart in the middle of a run: the call that meets the dead
// connection is Transient, and the next call succeeds on a fresh one. Restarts
// the shared test server, so ctest runs this binary alone (RUN_SERIAL).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>

#include "storage/migrations.h"
#include "storage/payment_log.h"
#include "storage/test_database.h"
#include "storage/transaction.h"
#include "support/subprocess.h"

namespace paymentd::storage {
namespace {

class PostgresRestart : public ::testing::Test {
 protected:
  void SetUp() override {
    PAYMENTD_REQUIRE_BACKEND(Backend::kPostgres);
    const char* bin = std::getenv("PAYMENTD_TEST_PG_BIN");
    const char* data = std::getenv("PAYMENTD_TEST_PG_DATA");
    if (bin == nullptr || data == nullptr) {
      const char* require = std::getenv("PAYMENTD_TEST_REQUIRE_SERVERS");
      if (require != nullptr && std::string(require) == "1")
        FAIL() << "PAYMENTD_TEST_PG_BIN/PG_DATA not set";
      GTEST_SKIP() << "PAYMENTD_TEST_PG_BIN and PAYMENTD_TEST_PG_DATA are not set";
    }
    pg_bin_ = bin;
    pg_data_ = data;
  }

  void restartServer() {
    std::vector<std::string> args = {"-D", pg_data_, "-l", pg_data_ + "/../restart.log",
                                     "-m", "fast",   "-w", "restart"};
    std::string program = pg_bin_ + "/pg_ctl";
    if (geteuid() == 0) {  // PostgreSQL refuses to run as root
      args.insert(args.begin(), {"-u", "postgres", "--", program});
      program = "/usr/sbin/runuser";
    }
    const auto result = paymentd::testing::runProcess(program, args);
    ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  }

  std::string pg_bin_;
  std::string pg_data_;
};

TEST_F(PostgresRestart, TheCallThatMeetsTheRestartIsTransientAndTheNextSucceeds) {
  paymentd::testing::TestDatabase db(Backend::kPostgres);
  auto database = db.open();
  migrate(*database);
  {
    Transaction tx(*database);
    ASSERT_TRUE(tx.store().isFulfilled("pay-1").hasValue());
    restartServer();
    auto read = tx.store().isFulfilled("pay-1");
    ASSERT_FALSE(read.hasValue());
    EXPECT_TRUE(read.error().isTransient());
    EXPECT_EQ(read.error().code(), "STORAGE_UNAVAILABLE");
    EXPECT_THROW(tx.recordFulfilment({"pay-1", "BILLING", "u", {}, {}, {}, 1, "KRW"}), Transient);
  }
  Transaction tx(*database);
  tx.recordFulfilment({"pay-1", "BILLING", "u", {}, {}, {}, 1, "KRW"});
  tx.commit();
  EXPECT_EQ(paymentd::testing::queryInt(*database, "SELECT COUNT(*) FROM payments"), 1);
}

TEST_F(PostgresRestart, IdlePooledSessionsThatWentStaleAreReplacedAtBegin) {
  paymentd::testing::TestDatabase db(Backend::kPostgres);
  auto database = db.open();
  migrate(*database);
  {
    // Three sessions go idle in the pool.
    Transaction a(*database);
    Transaction b(*database);
    Transaction c(*database);
  }
  restartServer();
  Transaction tx(*database);  // the stale session fails at BEGIN; retried on a fresh one
  tx.recordFulfilment({"pay-2", "BILLING", "u", {}, {}, {}, 1, "KRW"});
  tx.commit();
  PaymentLog log(*database);
  EXPECT_EQ(log.check("pay-2").status, PaymentCheck::Status::kCompleted);
  database->ping();
}

TEST_F(PostgresRestart, ACommitThatMeetsTheRestartIsTransient) {
  paymentd::testing::TestDatabase db(Backend::kPostgres);
  auto database = db.open();
  migrate(*database);
  {
    Transaction tx(*database);
    tx.recordFulfilment({"pay-3", "BILLING", "u", {}, {}, {}, 1, "KRW"});
    restartServer();
    EXPECT_THROW(tx.commit(), Transient);
  }
  EXPECT_EQ(paymentd::testing::queryInt(*database, "SELECT COUNT(*) FROM payments"), 0);
}

}  // namespace
}  // namespace paymentd::storage
