// SQLite-only behaviour: one writer at a time, and fast failures instead of
// Poco's 60-second retries.
#include <gtest/gtest.h>

#include <chrono>

#include "storage/migrations.h"
#include "storage/test_database.h"
#include "storage/transaction.h"

namespace paymentd::storage {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

TEST(SqliteStore, ASecondWriterIsTransientAfterTheShortBusyTimeout) {
  paymentd::testing::TestDatabase db(Backend::kSqlite);
  DatabaseOptions options;
  options.sqlite_busy_timeout = milliseconds(300);
  auto database = db.open(options);
  migrate(*database);

  Transaction first(*database);
  const auto started = steady_clock::now();
  EXPECT_THROW(Transaction second(*database), Transient);
  const auto waited = steady_clock::now() - started;
  EXPECT_GE(waited, milliseconds(250));
  EXPECT_LT(waited, milliseconds(5000));
  first.commit();
  Transaction third(*database);  // the lock is free again
  third.commit();
}

TEST(SqliteStore, ASecondWriterProceedsWhenTheFirstCommitsWithinTheTimeout) {
  paymentd::testing::TestDatabase db(Backend::kSqlite);
  auto database = db.open();
  migrate(*database);
  auto first = std::make_unique<Transaction>(*database);
  first->recordFulfilment(
      {"pay-1", "BILLING", "u", std::nullopt, std::nullopt, std::nullopt, 1, "KRW"});
  std::thread committer([&] {
    std::this_thread::sleep_for(milliseconds(200));
    first->commit();
  });
  Transaction second(*database);
  EXPECT_THROW(second.recordFulfilment(
                   {"pay-1", "BILLING", "u", std::nullopt, std::nullopt, std::nullopt, 1, "KRW"}),
               Duplicate);
  committer.join();
}

TEST(SqliteStore, AMissingDirectoryFailsAtOnceWithItsName) {
  const auto started = steady_clock::now();
  try {
    Database::open("sqlite:/nonexistent-paymentd-dir/sub/paymentd.db", {});
    FAIL() << "opened a database in a missing directory";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("directory /nonexistent-paymentd-dir/sub does not exist"),
              std::string::npos)
        << e.what();
  }
  EXPECT_LT(steady_clock::now() - started, milliseconds(1000));
}

TEST(SqliteStore, TurnsOnWalAndForeignKeys) {
  paymentd::testing::TestDatabase db(Backend::kSqlite);
  auto database = db.open();
  EXPECT_EQ(paymentd::testing::queryText(*database, "PRAGMA journal_mode"), "wal");
  EXPECT_EQ(paymentd::testing::queryInt(*database, "PRAGMA foreign_keys"), 1);
  migrate(*database);
  Transaction tx(*database);
  auto ticket = tx.store().issueTickets({{424242, "pay-1", Timestamp(), Timestamp(), 4}});
  ASSERT_FALSE(ticket.hasValue());
  EXPECT_EQ(ticket.error().code(), "STORE_INVALID");  // no such subscription
}

}  // namespace
}  // namespace paymentd::storage
